import HTTP
import MediaCore
import Runtime

/// The WebSocket transport: `GET /v1/realtime?model=…` with the bearer, JSON events both ways,
/// audio as base64 PCM16 inside events (the client encodes and decodes it).
final class WebSocketTransport: RealtimeTransport {
    let kind = TransportKind.websocket
    private let socket: ClientWebSocket
    private(set) var setupPhases: [(String, Duration)] = []

    init(endpoint: EndpointURL, bearer: String, model: String, caFile: String?, timeout: Duration) throws(RealtimeClientError) {
        let start = RuntimeClock.now()
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(bearer)")
        socket = try ClientWebSocket(endpoint: endpoint, target: "/v1/realtime?model=\(model)", headers: headers,
                                     caFile: caFile, timeout: timeout)
        setupPhases.append(("websocket", RuntimeClock.now() - start))
    }

    func send(text: String) throws(RealtimeClientError) {
        do { try socket.send(text: text) } catch { throw .transport(error, "sending an event") }
    }

    func receive(timeout: Duration) -> TransportInput? {
        do {
            return try socket.receive(timeout: timeout).map(TransportInput.message)
        } catch {
            return .dropped(socket.closedReason ?? "\(error)")
        }
    }

    func pushCapture(_ frame: UnsafeBufferPointer<Int16>) {}
    func pullPlayout(into frame: UnsafeMutableBufferPointer<Int16>) -> Bool { false }
    func stats() -> PeerConnectionStats? { nil }
    func close() { socket.close() }
}

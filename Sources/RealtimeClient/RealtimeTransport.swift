import MediaCore
import Runtime

/// Which way a client reaches the endpoint.
public enum TransportKind: String, Sendable, CaseIterable {
    case webrtc, websocket
}

/// What a transport delivers to the client thread.
enum TransportInput {
    /// One server event as JSON text.
    case message(String)
    /// The transport broke (peer gone, ICE failed, WebSocket closed); the reason for the log.
    case dropped(String)
}

/// One connection to the endpoint carrying one Realtime session. The client thread alone calls
/// it. Audio differs by transport: WebRTC moves 48 kHz frames through the call's rings
/// (`pushCapture`/`pullPlayout`); a WebSocket carries audio inside events, which the client
/// encodes and decodes itself (both audio calls are no-ops there).
protocol RealtimeTransport: AnyObject {
    var kind: TransportKind { get }
    /// Set-up phases completed so far, in order, as (name, time since the connect began).
    var setupPhases: [(String, Duration)] { get }
    func send(text: String) throws(RealtimeClientError)
    /// The next input, waiting at most `timeout`; nil when nothing came.
    func receive(timeout: Duration) -> TransportInput?
    func pushCapture(_ frame: UnsafeBufferPointer<Int16>)
    func pullPlayout(into frame: UnsafeMutableBufferPointer<Int16>) -> Bool
    func stats() -> PeerConnectionStats?
    func close()
}

import HTTP
import MediaCore
import Runtime

/// A WebSocket client over `ws://` (TCP) or `wss://` (TLS): the opening handshake, then a
/// client-role `WebSocketConnection` core driven with deadlines. One thread at a time.
final class ClientWebSocket {
    private let stream: any ByteStream
    private var core: WebSocketConnection
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private(set) var closedReason: String?

    /// Connects to `endpoint` + `target`, sends the upgrade with `headers` and checks the 101. A
    /// non-101 answer is a protocol error carrying the status and the OpenAI error message.
    init(endpoint: EndpointURL, target: String, headers: HTTPHeaders, caFile: String?, timeout: Duration) throws(RealtimeClientError) {
        let deadline = RuntimeClock.now() + timeout
        do throws(TransportError) {
            stream = endpoint.secure
                ? try TLSConnection(host: endpoint.host, port: endpoint.port, caFile: caFile, timeout: timeout)
                : try TCPStream(host: endpoint.host, port: endpoint.port, timeout: timeout)
        } catch { throw .transport(error, "connecting to \(endpoint.webSocketURL(target))") }
        var nonce = [UInt8](repeating: 0, count: 16)
        for i in nonce.indices { nonce[i] = UInt8.random(in: 0...255) }
        let handshake = WebSocketClientHandshake(host: endpoint.hostField, target: endpoint.prefix + target, nonce: nonce, headers: headers)
        let path = String(target.prefix { $0 != "?" })
        let buffer: [UInt8]
        do throws(RealtimeClientError) {
            buffer = try Self.upgrade(stream, handshake, path: path, deadline: deadline)
        } catch {
            stream.close()
            throw error
        }
        core = WebSocketConnection(role: .client, configuration: .init(pingInterval: .seconds(20)), now: RuntimeClock.now())
        core.handle(bytes: buffer, at: RuntimeClock.now())
    }


    /// Sends the upgrade request and reads the answer; returns the bytes after its head.
    private static func upgrade(_ stream: any ByteStream, _ handshake: WebSocketClientHandshake, path: String,
                                deadline: Instant) throws(RealtimeClientError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var buffer: [UInt8] = []
        func io<T>(_ body: () throws(TransportError) -> T) throws(RealtimeClientError) -> T {
            do { return try body() } catch { throw .transport(error, "WebSocket handshake with \(path)") }
        }
        try io { () throws(TransportError) in try stream.write(handshake.requestBytes, deadline: deadline) }
        var end: Int? = nil
        while end == nil {
            let n = try io { () throws(TransportError) in try stream.read(into: &chunk, deadline: deadline) }
            guard n > 0 else { throw .transport(.closed, "WebSocket handshake with \(path)") }
            buffer += chunk[..<n]
            end = HTTPClient.blankLine(buffer)
            guard buffer.count < 64 * 1024 else { throw .protocolError("WebSocket handshake with \(path): response head too large") }
        }
        let head: HTTPResponseHead
        do { head = try HTTPResponseHead(parsing: buffer[..<end!]) } catch {
            throw .protocolError("WebSocket handshake with \(path): unreadable answer (\(error))")
        }
        buffer = Array(buffer[(end! + 4)...])
        if head.status != 101 {
            // Read the error body (bounded by Content-Length and the deadline) for its message.
            let length = min(Int(head.headers["Content-Length"] ?? "") ?? 0, 64 * 1024)
            while buffer.count < length, let n = try? stream.read(into: &chunk, deadline: deadline), n > 0 {
                buffer += chunk[..<n]
            }
            throw .http(HTTPClientResponse(status: head.status, headers: head.headers, body: buffer), path)
        }
        do { _ = try handshake.verify(head) } catch { throw .protocolError("WebSocket handshake with \(path): \(error)") }
        return buffer
    }

    deinit { stream.close() }

    var isClosed: Bool { closedReason != nil }

    func send(text: String) throws(TransportError) {
        guard closedReason == nil else { throw .closed }
        do { try core.send(text: text) } catch { throw .closed }
        try flush()
    }

    /// The next text message (binary ones are skipped: the protocol is JSON text), or nil when
    /// none arrives within `timeout`. Throws once the connection is closed.
    func receive(timeout: Duration) throws(TransportError) -> String? {
        let deadline = RuntimeClock.now() + timeout
        while true {
            while let event = core.pollEvent() {
                switch event {
                case .text(let t): return t
                case .binary, .ping, .pong: continue
                case let .closed(code, reason):
                    try? flush()
                    closedReason = "WebSocket closed \(code.rawValue)\(reason.isEmpty ? "" : " \(reason)")"
                    stream.close()
                    throw .closed
                case .failed(let error):
                    try? flush()
                    closedReason = "WebSocket failed: \(error)"
                    stream.close()
                    throw .closed
                }
            }
            if closedReason != nil { throw .closed }
            try flush()
            let now = RuntimeClock.now()
            guard now < deadline else { return nil }
            var wait = deadline - now
            if let t = core.pollTimeout() { wait = min(wait, max(.zero, t - now)) }
            if stream.readable(within: wait) {
                do {
                    let n = try stream.read(into: &readBuffer, deadline: RuntimeClock.now() + .milliseconds(50))
                    if n == 0 { core.handleEndOfInput(at: RuntimeClock.now()) } else { core.handle(bytes: readBuffer[..<n], at: RuntimeClock.now()) }
                } catch TransportError.timedOut {
                    // Readable but no whole TLS record yet: wait for more.
                } catch {
                    core.handleEndOfInput(at: RuntimeClock.now())
                }
            }
            core.handleTimeout(at: RuntimeClock.now())
        }
    }

    /// Sends a close frame and gives the server a moment to answer, then closes the socket.
    func close(reason: String = "") {
        guard closedReason == nil else { return }
        core.close(code: .normalClosure, reason: reason, at: RuntimeClock.now())
        try? flush()
        let deadline = RuntimeClock.now() + .milliseconds(500)
        while closedReason == nil, RuntimeClock.now() < deadline {
            do { _ = try receive(timeout: deadline - RuntimeClock.now()) } catch { break }
        }
        closedReason = closedReason ?? "closed by the client"
        stream.close()
    }

    private func flush() throws(TransportError) {
        while let bytes = core.pollTransmit() {
            try stream.write(bytes, deadline: RuntimeClock.now() + .seconds(5))
        }
    }
}

import Glibc
import HTTP
import MediaCore

/// Why the WebSocket client could not connect or stopped.
public enum WebSocketClientError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case transport(TCPError)
    /// The server's answer was not a valid 101 for our request.
    case handshakeFailed(String)
    /// The connection is closed (closing handshake done, or dropped: 1006).
    case closed(code: WebSocketCloseCode, reason: String)
    /// We failed the connection for a protocol violation by the server.
    case failed(WebSocketError)

    public var description: String {
        switch self {
        case let .invalidURL(u): return "invalid WebSocket URL \(u)"
        case let .transport(e): return "transport: \(e)"
        case let .handshakeFailed(why): return "handshake failed: \(why)"
        case let .closed(code, reason): return "closed \(code) \(reason)"
        case let .failed(e): return "failed: \(e)"
        }
    }
}

/// A WebSocket client over a plain TCP socket (`ws://` only for now), driving a client-role
/// `WebSocketConnection`. Blocking calls with timeouts; use it from one thread at a time.
public final class WebSocketClient {
    let fd: Int32
    var core: WebSocketConnection
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    var fdClosed = false
    /// The subprotocol the server chose, if any.
    public let subprotocol: String?
    /// The server's 101 response head.
    public let handshakeResponse: HTTPResponseHead

    /// Connects to `ws://host[:port]/path?query`, performs the opening handshake with `headers`
    /// (e.g. `Authorization`) and offered `protocols`, all within `timeout`.
    public static func connect(url: String, headers: HTTPHeaders = HTTPHeaders(), protocols: [String] = [],
                               configuration: WebSocketConnection.Configuration = .init(),
                               timeout: Duration = .seconds(5)) throws(WebSocketClientError) -> WebSocketClient {
        let (host, port, target) = try parse(url)
        let fd: Int32
        do { fd = try TCP.connect(host: host, port: port, timeout: timeout) } catch { throw .transport(error) }
        do throws(WebSocketClientError) {
            var nonce = [UInt8](repeating: 0, count: 16)
            var rng = SystemRandomNumberGenerator()
            for i in nonce.indices { nonce[i] = rng.next() }
            let hostField = port == 80 ? host : "\(host):\(port)"
            let handshake = WebSocketClientHandshake(host: hostField, target: target, nonce: nonce, protocols: protocols, headers: headers)
            do { try TCP.writeAll(fd, handshake.requestBytes, timeout: timeout) } catch { throw WebSocketClientError.transport(error) }
            let (head, leftover) = try readHead(fd, deadline: TCP.now() + timeout)
            let chosen: String?
            do { chosen = try handshake.verify(head) } catch { throw WebSocketClientError.handshakeFailed(error.description) }
            let client = WebSocketClient(fd: fd, core: WebSocketConnection(role: .client, configuration: configuration, now: TCP.now()),
                                         subprotocol: chosen, head: head)
            client.core.handle(bytes: leftover, at: TCP.now())
            return client
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    init(fd: Int32, core: WebSocketConnection, subprotocol: String?, head: HTTPResponseHead) {
        self.fd = fd
        self.core = core
        self.subprotocol = subprotocol
        handshakeResponse = head
    }

    deinit { if !fdClosed { Glibc.close(fd) } }

    public func send(text: String, fragmentSize: Int? = nil) throws(WebSocketClientError) {
        do { try core.send(text: text, fragmentSize: fragmentSize) } catch { throw closedError() }
        try flush()
    }

    public func send(binary: [UInt8], fragmentSize: Int? = nil) throws(WebSocketClientError) {
        do { try core.send(binary: binary, fragmentSize: fragmentSize) } catch { throw closedError() }
        try flush()
    }

    public func ping(_ payload: [UInt8] = []) throws(WebSocketClientError) {
        do { try core.ping(payload) } catch { throw closedError() }
        try flush()
    }

    /// The next message, or nil if none arrives within `timeout`. Throws `.closed` once the
    /// connection has closed (pings are answered meanwhile).
    public func receive(timeout: Duration) throws(WebSocketClientError) -> WebSocketMessage? {
        let deadline = TCP.now() + timeout
        while true {
            while let event = core.pollEvent() {
                switch event {
                case let .text(t): return .text(t)
                case let .binary(b): return .binary(b)
                case .ping, .pong: continue
                case let .closed(code, reason):
                    try? flush()
                    closeSocket()
                    closedState = .closed(code: code, reason: reason)
                    throw closedState!
                case let .failed(error):
                    try? flush()
                    closeSocket()
                    closedState = .failed(error)
                    throw closedState!
                }
            }
            if let closedState { throw closedState }
            try flush()
            let now = TCP.now()
            guard now < deadline else { return nil }
            var wait = deadline - now
            if let t = core.pollTimeout() { wait = min(wait, max(.zero, t - now)) }
            if TCP.waitFor(fd, events: Int16(POLLIN), timeout: wait) {
                switch TCP.read(fd, into: &readBuffer) {
                case let .bytes(n): core.handle(bytes: readBuffer[..<n], at: TCP.now())
                case .wouldBlock: break
                case .endOfInput, .failed: core.handleEndOfInput(at: TCP.now())
                }
            }
            core.handleTimeout(at: TCP.now())
        }
    }

    /// Sends a close and waits (up to `timeout`) for the server's, then closes the socket.
    /// Messages still arriving meanwhile are discarded.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "", timeout: Duration = .seconds(2)) {
        guard closedState == nil, !fdClosed else { closeSocket(); return }
        core.close(code: code, reason: reason, at: TCP.now())
        try? flush()
        let deadline = TCP.now() + timeout
        while TCP.now() < deadline {
            do { _ = try receive(timeout: deadline - TCP.now()) } catch { break }
        }
        closeSocket()
    }

    var closedState: WebSocketClientError?

    func closedError() -> WebSocketClientError { closedState ?? .closed(code: .abnormalClosure, reason: "not open") }

    func flush() throws(WebSocketClientError) {
        while let bytes = core.pollTransmit() {
            guard !fdClosed else { return }
            do { try TCP.writeAll(fd, bytes, timeout: .seconds(5)) } catch { throw .transport(error) }
        }
    }

    func closeSocket() {
        guard !fdClosed else { return }
        fdClosed = true
        Glibc.close(fd)
    }

    /// `ws://host[:port][/path][?query]` → host, port (default 80), request-target.
    static func parse(_ url: String) throws(WebSocketClientError) -> (String, UInt16, String) {
        guard url.hasPrefix("ws://") else { throw .invalidURL(url) } // wss needs TLS: later
        let rest = url.dropFirst(5)
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        var target = String(rest[slash...])
        if target.isEmpty { target = "/" } else if target.hasPrefix("?") { target = "/" + target }
        var host = String(authority), port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":") {
            guard let p = UInt16(authority[authority.index(after: colon)...]) else { throw .invalidURL(url) }
            host = String(authority[..<colon])
            port = p
        }
        guard !host.isEmpty, !target.contains(" ") else { throw .invalidURL(url) }
        return (host, port, target)
    }

    /// Reads until the blank line ending the response head; returns the head and any bytes after.
    static func readHead(_ fd: Int32, deadline: Instant) throws(WebSocketClientError) -> (HTTPResponseHead, [UInt8]) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = findBlankLine(buffer) {
                do {
                    return (try HTTPResponseHead(parsing: buffer[..<end]), Array(buffer[(end + 4)...]))
                } catch {
                    throw .handshakeFailed("unreadable response: \(error)")
                }
            }
            guard buffer.count < 64 * 1024 else { throw .handshakeFailed("response head too large") }
            let now = TCP.now()
            guard now < deadline, TCP.waitFor(fd, events: Int16(POLLIN), timeout: deadline - now) else { throw .transport(.timedOut) }
            switch TCP.read(fd, into: &chunk) {
            case let .bytes(n): buffer += chunk[..<n]
            case .wouldBlock: continue
            case .endOfInput: throw .transport(.closed)
            case let .failed(e): throw .transport(.system(call: "recv", errno: e))
            }
        }
    }

    static func findBlankLine(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 0x0D && b[i + 1] == 0x0A && b[i + 2] == 0x0D && b[i + 3] == 0x0A { return i }
        return nil
    }
}

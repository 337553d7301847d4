import Glibc
import HTTP
import Synchronization

/// A complete WebSocket message.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
}

/// What the request handler answers: a response, or "upgrade this request to a WebSocket and
/// give its events to this handler" (the server checks the handshake and answers 101 or 4xx).
public enum HTTPServerReply: Sendable {
    case response(HTTPResponse)
    case webSocket(any HTTPServerWebSocketHandler, subprotocol: String? = nil)
}

/// Receives one upgraded connection's events, on the server thread: keep each call short.
public protocol HTTPServerWebSocketHandler: AnyObject, Sendable {
    func webSocketDidOpen(_ session: HTTPServerWebSocketSession)
    func webSocket(_ session: HTTPServerWebSocketSession, didReceive message: WebSocketMessage)
    /// Called once: after the closing handshake, a protocol failure (`code` is what we sent), or
    /// a dropped connection (1006).
    func webSocketDidClose(_ session: HTTPServerWebSocketSession, code: WebSocketCloseCode, reason: String)
}

extension HTTPServerWebSocketHandler {
    public func webSocketDidOpen(_ session: HTTPServerWebSocketSession) {}
    public func webSocketDidClose(_ session: HTTPServerWebSocketSession, code: WebSocketCloseCode, reason: String) {}
}

/// The server side of one upgraded connection, usable from any thread: `send` and `close`
/// enqueue a command and wake the server thread, which applies it to the connection's core.
public final class HTTPServerWebSocketSession: Sendable {
    /// Unique per server, for logs and maps.
    public let id: Int
    /// The upgrade request (path, query such as `?model=…`, headers such as `Authorization`).
    public let request: HTTPRequest
    /// The subprotocol agreed in the handshake, if any.
    public let subprotocol: String?
    let inbox: HTTPServerInbox

    init(id: Int, request: HTTPRequest, subprotocol: String?, inbox: HTTPServerInbox) {
        self.id = id
        self.request = request
        self.subprotocol = subprotocol
        self.inbox = inbox
    }

    public func send(text: String) { inbox.post(id, .text(text)) }
    public func send(binary: [UInt8]) { inbox.post(id, .binary(binary)) }
    /// Starts the closing handshake; `webSocketDidClose` follows when it ends.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") { inbox.post(id, .close(code, reason)) }
}

/// Commands for the server thread from other threads, and the pipe that wakes its `poll`.
final class HTTPServerInbox: Sendable {
    enum Command: Sendable {
        case text(String)
        case binary([UInt8])
        case close(WebSocketCloseCode, String)
    }

    struct Queue: ~Copyable {
        var commands: [(Int, Command)] = []
        var stopping = false
        /// The pipe's write end; -1 once the server closed it (a late `send` then does nothing).
        var wakeFD: Int32
    }

    let queue: Mutex<Queue>
    /// The pipe's read end, polled and drained by the server thread only.
    let wakeReadFD: Int32

    init() throws(TCPError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .system(call: "pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeReadFD = fds[0]
        queue = Mutex(Queue(wakeFD: fds[1]))
    }

    func post(_ id: Int, _ command: Command) {
        queue.withLock { q in
            guard q.wakeFD >= 0, !q.stopping else { return }
            q.commands.append((id, command))
            Self.wake(q.wakeFD)
        }
    }

    func requestStop() {
        queue.withLock { q in
            q.stopping = true
            if q.wakeFD >= 0 { Self.wake(q.wakeFD) }
        }
    }

    /// Takes the queued commands and whether a stop was requested; empties the pipe.
    func take() -> (commands: [(Int, Command)], stopping: Bool) {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ Glibc.read(wakeReadFD, $0.baseAddress, $0.count) }) > 0 {}
        return queue.withLock { q in
            defer { q.commands = [] }
            return (q.commands, q.stopping)
        }
    }

    /// Closes both pipe ends (the server thread, at exit).
    func closePipe() {
        queue.withLock { q in
            if q.wakeFD >= 0 { Glibc.close(q.wakeFD) }
            q.wakeFD = -1
        }
        Glibc.close(wakeReadFD)
    }

    private static func wake(_ fd: Int32) {
        var one: UInt8 = 1
        _ = Glibc.write(fd, &one, 1) // a full pipe already means "wake up"
    }
}

import CLinux
import Glibc
import HTTP
import MediaCore
import Synchronization

/// An HTTP/1.1 + WebSocket server on one IPv4 address: one thread runs a `poll` loop over the
/// listener and every connection, driving `HTTPServerConnection` and `WebSocketConnection` cores
/// with the monotonic clock. The request handler runs on that thread and answers each request
/// with a response or a WebSocket upgrade.
///
/// Bounded: at most `maxConnections` at once (further clients get 503 and are closed), plus the
/// per-request limits and timeouts of `HTTPLimits`.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPServerReply

    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; `start()` returns the bound one.
        public var port: UInt16
        public var limits: HTTPLimits
        public var maxConnections: Int
        public var webSocket: WebSocketConnection.Configuration
        /// How long a closing connection may take to drain before it is dropped.
        public var lingerTimeout: Duration

        public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: HTTPLimits = HTTPLimits(), maxConnections: Int = 256,
                    webSocket: WebSocketConnection.Configuration = .init(pingInterval: .seconds(30)),
                    lingerTimeout: Duration = .seconds(2)) {
            self.host = host
            self.port = port
            self.limits = limits
            self.maxConnections = maxConnections
            self.webSocket = webSocket
            self.lingerTimeout = lingerTimeout
        }
    }

    public let configuration: Configuration
    let handler: Handler
    /// The loop thread while running.
    let thread = Mutex<pthread_t?>(nil)

    public init(configuration: Configuration, handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
    }

    public convenience init(host: String = "127.0.0.1", port: UInt16 = 0, limits: HTTPLimits = HTTPLimits(),
                            maxConnections: Int = 256, handler: @escaping Handler) {
        self.init(configuration: Configuration(host: host, port: port, limits: limits, maxConnections: maxConnections), handler: handler)
    }

    private let inboxSlot = Mutex<HTTPServerInbox?>(nil)

    /// Binds, starts the loop thread and returns the bound port.
    @discardableResult
    public func start() throws(TCPError) -> UInt16 {
        let (fd, port) = try TCP.listen(host: configuration.host, port: configuration.port)
        let inbox: HTTPServerInbox
        do {
            inbox = try HTTPServerInbox()
        } catch {
            close(fd)
            throw error
        }
        let loop = HTTPServerLoop(listener: fd, configuration: configuration, handler: handler, inbox: inbox)
        inboxSlot.withLock { $0 = inbox }
        var t = pthread_t()
        let box = Unmanaged.passRetained(loop)
        let created = pthread_create(&t, nil, { arg in
            // Invariant: `arg` is the retained loop passed just above.
            let loop = Unmanaged<HTTPServerLoop>.fromOpaque(arg!).takeRetainedValue()
            clinux_name_this_thread("rtc-http")
            loop.run()
            return nil
        }, box.toOpaque())
        guard created == 0 else {
            box.release()
            close(fd)
            inbox.closePipe()
            throw .system(call: "pthread_create", errno: created)
        }
        thread.withLock { $0 = t }
        return port
    }

    /// Closes every connection and the listener, and joins the thread. Idempotent.
    public func stop() {
        guard let t = thread.withLock({ (t: inout pthread_t?) -> pthread_t? in defer { t = nil }; return t }) else { return }
        inboxSlot.withLock { $0?.requestStop() }
        pthread_join(t, nil)
        inboxSlot.withLock { $0 = nil }
    }

    deinit { stop() }
}

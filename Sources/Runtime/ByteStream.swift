import Glibc
import MediaCore

/// A connected byte stream (plain TCP or TLS) that the HTTP and WebSocket clients read and write
/// with deadlines. Used from one thread at a time.
public protocol ByteStream: AnyObject {
    /// Reads what is available into `buffer` (waiting until `deadline`); 0 means end of stream.
    func read(into buffer: inout [UInt8], deadline: Instant) throws(TransportError) -> Int
    /// Writes every byte before `deadline`.
    func write(_ bytes: [UInt8], deadline: Instant) throws(TransportError)
    /// True when a read would not block (bytes buffered or readable on the socket).
    func readable(within timeout: Duration) -> Bool
    func close()
}

/// Why a connection could not be made or broke; `isConnect` marks failures before any byte of
/// the protocol was exchanged (exit code 3 in realtime-call).
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case unresolvableHost(String)
    case connectFailed(host: String, port: UInt16, reason: String)
    case timedOut(String)
    case closed
    case io(String)
    /// TLS handshake or certificate verification failed.
    case tls(String)

    public var description: String {
        switch self {
        case .unresolvableHost(let h): return "cannot resolve host \(h)"
        case let .connectFailed(host, port, reason): return "cannot connect to \(host):\(port): \(reason)"
        case .timedOut(let what): return "timed out \(what)"
        case .closed: return "connection closed by the peer"
        case .io(let m): return m
        case .tls(let m): return "TLS: \(m)"
        }
    }
}

/// A non-blocking IPv4 TCP socket (`socket`, `connect` + `poll`, `recv`, `send`).
public final class TCPStream: ByteStream {
    let fd: Int32
    private var isClosed = false

    /// Connects within `timeout`; names resolve with `getaddrinfo` (IPv4).
    public init(host: String, port: UInt16, timeout: Duration) throws(TransportError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        if inet_pton(AF_INET, host, &address.sin_addr) != 1 {
            var hints = addrinfo()
            hints.ai_family = AF_INET
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result, let sa = first.pointee.ai_addr else {
                throw .unresolvableHost(host)
            }
            address.sin_addr = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            freeaddrinfo(result)
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("socket: \(String(cString: strerror(errno)))") }
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if r != 0 {
            let e = errno
            guard e == EINPROGRESS else {
                Glibc.close(fd)
                throw .connectFailed(host: host, port: port, reason: String(cString: strerror(e)))
            }
            guard Self.poll(fd, events: Int16(POLLOUT), timeout: timeout) else {
                Glibc.close(fd)
                throw .timedOut("connecting to \(host):\(port)")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else {
                Glibc.close(fd)
                throw .connectFailed(host: host, port: port, reason: String(cString: strerror(error)))
            }
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    deinit { close() }

    public func read(into buffer: inout [UInt8], deadline: Instant) throws(TransportError) -> Int {
        while true {
            guard !isClosed else { throw .closed }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return n }
            let e = errno
            guard e == EAGAIN || e == EWOULDBLOCK || e == EINTR else { throw .io("recv: \(String(cString: strerror(e)))") }
            let left = deadline - RuntimeClock.now()
            guard left > .zero, Self.poll(fd, events: Int16(POLLIN), timeout: left) else { throw .timedOut("waiting for data") }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Instant) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            guard !isClosed else { throw .closed }
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            let e = errno
            guard n < 0, e == EAGAIN || e == EWOULDBLOCK || e == EINTR else { throw .io("send: \(String(cString: strerror(e)))") }
            let left = deadline - RuntimeClock.now()
            guard left > .zero, Self.poll(fd, events: Int16(POLLOUT), timeout: left) else { throw .timedOut("sending") }
        }
    }

    public func readable(within timeout: Duration) -> Bool { Self.poll(fd, events: Int16(POLLIN), timeout: timeout) }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    /// `poll` on one descriptor: true when ready (or hung up) within `timeout`.
    static func poll(_ fd: Int32, events: Int16, timeout: Duration) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        let ms = Int32(clamping: max(0, (timeout.nanoseconds + 999_999) / 1_000_000))
        return Glibc.poll(&p, 1, ms) > 0
    }
}

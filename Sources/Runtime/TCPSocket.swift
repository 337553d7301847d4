import Glibc
import HTTP
import MediaCore

/// Why a socket call failed.
public enum TCPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed with this errno.
    case system(call: String, errno: Int32)
    /// The host is not an IPv4 address and did not resolve to one.
    case unresolvableHost(String)
    case timedOut
    /// The peer closed the connection.
    case closed

    public var description: String {
        switch self {
        case let .system(call, e): return "\(call): \(String(cString: strerror(e)))"
        case let .unresolvableHost(h): return "cannot resolve \(h) to IPv4"
        case .timedOut: return "timed out"
        case .closed: return "connection closed"
        }
    }
}

/// Thin wrappers over the BSD socket calls the HTTP server and WebSocket client use (IPv4 TCP,
/// non-blocking descriptors). The only place in the HTTP stack that touches file descriptors.
enum TCP {
    /// A non-blocking listening socket on `host:port` (`socket`, `setsockopt(SO_REUSEADDR)`, `bind`,
    /// `listen`); port 0 lets the kernel pick, and the bound port is returned (`getsockname`).
    static func listen(host: String, port: UInt16, backlog: Int32 = 128) throws(TCPError) -> (fd: Int32, port: UInt16) {
        var address = try ipv4Address(host: host, port: port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { let e = errno; close(fd); throw .system(call: "bind", errno: e) }
        guard Glibc.listen(fd, backlog) == 0 else { let e = errno; close(fd); throw .system(call: "listen", errno: e) }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: actual.sin_port))
    }

    /// The next pending connection as a non-blocking, close-on-exec socket with `TCP_NODELAY`
    /// (`accept`, `fcntl`), or nil when none is waiting.
    static func accept(_ listener: Int32) -> Int32? {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        setNoDelay(fd)
        return fd
    }

    /// Connects to `host:port` within `timeout` (non-blocking `connect` + `poll`), returning a
    /// non-blocking socket.
    static func connect(host: String, port: UInt16, timeout: Duration) throws(TCPError) -> Int32 {
        var address = try ipv4Address(host: host, port: port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if r != 0 {
            guard errno == EINPROGRESS else { let e = errno; close(fd); throw .system(call: "connect", errno: e) }
            guard waitFor(fd, events: Int16(POLLOUT), timeout: timeout) else { close(fd); throw .timedOut }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { close(fd); throw .system(call: "connect", errno: error) }
        }
        setNoDelay(fd)
        return fd
    }

    enum ReadResult { case bytes(Int), wouldBlock, endOfInput, failed(Int32) }

    /// One `recv` into `buffer`.
    static func read(_ fd: Int32, into buffer: inout [UInt8]) -> ReadResult {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return .bytes(n) }
        if n == 0 { return .endOfInput }
        let e = errno
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { return .wouldBlock }
        return .failed(e)
    }

    /// One `send` (`MSG_NOSIGNAL`: a vanished peer is an error, not SIGPIPE). Returns bytes
    /// written, 0 when the socket buffer is full, nil on error.
    static func write(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int? {
        let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n >= 0 { return n }
        let e = errno
        return e == EAGAIN || e == EWOULDBLOCK || e == EINTR ? 0 : nil
    }

    /// Writes everything, waiting for the socket when it is full (clients only: the server never
    /// blocks).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], timeout: Duration) throws(TCPError) {
        var offset = 0
        while offset < bytes.count {
            guard let n = write(fd, bytes[offset...]) else { throw .system(call: "send", errno: errno) }
            if n == 0, !waitFor(fd, events: Int16(POLLOUT), timeout: timeout) { throw .timedOut }
            offset += n
        }
    }

    /// `poll` on one descriptor; true when ready (or hung up) within `timeout`.
    static func waitFor(_ fd: Int32, events: Int16, timeout: Duration) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        let ms = Int32(clamping: max(0, (timeout.nanoseconds + 999_999) / 1_000_000))
        return poll(&p, 1, ms) > 0
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// `sockaddr_in` for a dotted quad, or the first IPv4 address `getaddrinfo` gives for a name.
    static func ipv4Address(host: String, port: UInt16) throws(TCPError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        if inet_pton(AF_INET, host, &address.sin_addr) == 1 { return address }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result, let sa = first.pointee.ai_addr else {
            throw .unresolvableHost(host)
        }
        defer { freeaddrinfo(result) }
        address.sin_addr = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
        return address
    }

    /// The monotonic clock (`clock_gettime(CLOCK_MONOTONIC)`), the runtime's `now`.
    static func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// The `Date` field value from the wall clock (`time`).
    static func httpDate() -> String { HTTPDate.format(secondsSince1970: Int64(time(nil))) }
}

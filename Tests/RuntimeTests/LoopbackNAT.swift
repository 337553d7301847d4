import Glibc
import Synchronization

/// A userspace NAT in front of one UDP server on 127.0.0.1, for server-reflexive tests.
///
/// On loopback a STUN server sees an agent's own address, so libnice prunes the resulting
/// server-reflexive candidate as redundant with the host one (RFC 8445 §5.1.3). Here each internal
/// source gets its own external socket (an endpoint-independent mapping, RFC 4787): datagrams it
/// sends to `port` leave from the mapping's port toward the server, and replies come back through
/// it. The server then reports the mapping, exactly what a real NAT would make it report.
final class LoopbackNAT: @unchecked Sendable {
    /// Where internal hosts send (it stands for the server's address).
    let port: UInt16
    private let front: Int32
    private let server: sockaddr_in
    private let running = Atomic<Bool>(true)
    private let state = Mutex<[UInt16]>([])
    private var thread: pthread_t?

    /// The external ports of the mappings made so far.
    var mappedPorts: [UInt16] { state.withLock { $0 } }

    init(serverPort: UInt16) {
        server = loopbackAddress(port: serverPort)
        front = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var a = loopbackAddress(port: 0)
        // A test fixture: failing to bind an ephemeral loopback port means the machine is broken.
        precondition(bindSocket(front, &a) == 0, "cannot bind a loopback UDP socket")
        port = boundPort(front)
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            Unmanaged<LoopbackNAT>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        thread = t
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing), let t = thread else { return }
        pthread_join(t, nil)
        close(front)
    }

    private func run() {
        var mappings: [(inside: sockaddr_in, fd: Int32)] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while running.load(ordering: .acquiring) {
            var fds = [pollfd(fd: front, events: Int16(POLLIN), revents: 0)] + mappings.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 20) > 0 else { continue }
            if fds[0].revents & Int16(POLLIN) != 0 {
                var from = sockaddr_in()
                let n = receive(front, &buffer, &from)
                if n > 0 {
                    let index = mappings.firstIndex { $0.inside.sin_port == from.sin_port && $0.inside.sin_addr.s_addr == from.sin_addr.s_addr }
                        ?? newMapping(for: from, in: &mappings)
                    var to = server
                    _ = send(mappings[index].fd, buffer, n, &to)
                }
            }
            // Only the mappings that were polled (one may have been added just above).
            for i in fds.indices.dropFirst() where fds[i].revents & Int16(POLLIN) != 0 {
                let m = mappings[i - 1]
                var from = sockaddr_in()
                let n = receive(m.fd, &buffer, &from)
                var inside = m.inside
                if n > 0 { _ = send(front, buffer, n, &inside) }
            }
        }
        for m in mappings { close(m.fd) }
    }

    private func newMapping(for inside: sockaddr_in, in mappings: inout [(inside: sockaddr_in, fd: Int32)]) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var a = loopbackAddress(port: 0)
        precondition(bindSocket(fd, &a) == 0, "cannot bind a loopback UDP socket")
        let external = boundPort(fd)
        state.withLock { $0.append(external) }
        mappings.append((inside, fd))
        return mappings.count - 1
    }

    private func receive(_ fd: Int32, _ buffer: inout [UInt8], _ from: inout sockaddr_in) -> Int {
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let capacity = buffer.count
        return buffer.withUnsafeMutableBytes { b in
            withUnsafeMutablePointer(to: &from) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, b.baseAddress, capacity, 0, $0, &length) } }
        }
    }

    private func send(_ fd: Int32, _ buffer: [UInt8], _ count: Int, _ to: inout sockaddr_in) -> Int {
        withUnsafePointer(to: &to) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, buffer, count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    }
}

func boundPort(_ fd: Int32) -> UInt16 {
    var a = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return UInt16(bigEndian: a.sin_port)
}

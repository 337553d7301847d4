import Foundation
import Glibc

/// A coturn `turnserver` child process on 127.0.0.1 for ICE tests: a temporary config, long-term
/// credentials (RFC 8489 §9.2), a free port for UDP and TCP, relay ports on loopback (loopback
/// peers allowed, which coturn refuses by default), no daemon, no CLI, no TLS (libnice 0.1.21
/// cannot use TURN over TLS; see `ICEAgent.TURNTransport`).
final class TURNServerProcess {
    let username = "swiftrealtime"
    let password = "relay-\(UInt32.random(in: 0...UInt32.max))"
    let port: UInt16
    let directory: URL
    private let process = Process()

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/turnserver") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coturn-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        let relayBase = Int.random(in: 50_000...59_000)
        let lines = [
            "listening-ip=127.0.0.1", "relay-ip=127.0.0.1", "listening-port=\(port)",
            "min-port=\(relayBase)", "max-port=\(relayBase + 400)",
            "lt-cred-mech", "user=\(username):\(password)", "realm=swiftrealtime.test",
            "allow-loopback-peers", "no-cli", "no-tls", "no-dtls", "no-multicast-peers", "no-software-attribute",
            "userdb=\(directory.path)/turndb", "pidfile=\(directory.path)/turnserver.pid",
            "log-file=\(directory.path)/turnserver.log", "simple-log",
        ]
        let config = directory.appendingPathComponent("turnserver.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/turnserver")
        process.arguments = ["-c", config.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once its TCP listeners accept (the UDP ones open in the same start-up step).
        let deadline = Date().addingTimeInterval(5)
        while !canConnect(port: port) {
            guard Date() < deadline, process.isRunning else { stop(); throw TURNServerProcessError.didNotStart(log) }
            usleep(20_000)
        }
    }

    deinit { stop() }

    /// What coturn logged (allocations, permissions, errors).
    var log: String { (try? String(contentsOf: directory.appendingPathComponent("turnserver.log"), encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

enum TURNServerProcessError: Error {
    case didNotStart(String)
    case noFreePort
}

/// A port that 127.0.0.1 has free for both UDP and TCP right now (the kernel picks it for UDP).
func freeLoopbackPort() throws -> UInt16 {
    for _ in 0..<20 {
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(udp) }
        var address = loopbackAddress(port: 0)
        guard bindSocket(udp, &address) == 0 else { continue }
        let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(tcp) }
        var tcpAddress = loopbackAddress(port: boundPort(udp))
        if bindSocket(tcp, &tcpAddress) == 0 { return boundPort(udp) }
    }
    throw TURNServerProcessError.noFreePort
}

func loopbackAddress(port: UInt16) -> sockaddr_in {
    var a = sockaddr_in()
    a.sin_family = sa_family_t(AF_INET)
    a.sin_port = port.bigEndian
    a.sin_addr.s_addr = inet_addr("127.0.0.1")
    return a
}

func bindSocket(_ fd: Int32, _ address: inout sockaddr_in) -> Int32 {
    withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
}

private func canConnect(port: UInt16) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var a = loopbackAddress(port: port)
    return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
}

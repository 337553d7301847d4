import Foundation
import Realtime
import RealtimeClient
import Testing

/// `wss://` through OpenSSL against a local TLS WebSocket server whose certificate a test CA
/// (made here with the openssl CLI) signed for IP 127.0.0.1 only.
@Suite(.serialized) struct ClientTLSTests {
    /// CA and server certificate in a temp folder: (ca.pem, server.pem, server.key).
    static func makeCertificates() throws -> (String, String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func openssl(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "openssl \(args)")
        }
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                     "-subj", "/CN=Test CA", "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem"])
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
                     "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr"])
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: "\(dir)/san.ext", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key", "-CAcreateserial",
                     "-days", "2", "-extfile", "\(dir)/san.ext", "-out", "\(dir)/server.pem"])
        return ("\(dir)/ca.pem", "\(dir)/server.pem", "\(dir)/server.key")
    }

    static func connect(_ url: String, caFile: String?) throws {
        var c = RealtimeClient.Configuration()
        c.url = url
        c.transport = .websocket
        c.apiKey = "sk-test"
        c.caFile = caFile
        c.connectTimeout = .seconds(5)
        let client = try RealtimeClient(configuration: c)
        try client.connect()
        #expect(client.sessionID?.hasPrefix("sess_") == true)
        client.close()
    }

    @Test func wssWithTheTestCAReachesSessionCreated() throws {
        let (ca, cert, key) = try Self.makeCertificates()
        guard let (peer, port) = try startPythonPeer("client_tls_ws_server.py", ["--cert", cert, "--key", key]) else { return }
        defer { peer.terminate() }
        try Self.connect("wss://127.0.0.1:\(port)", caFile: ca)
    }

    @Test func wssRefusesACertificateForAnotherName() throws {
        let (ca, cert, key) = try Self.makeCertificates()
        guard let (peer, port) = try startPythonPeer("client_tls_ws_server.py", ["--cert", cert, "--key", key]) else { return }
        defer { peer.terminate() }
        // Same server, reached as "localhost": the certificate names only 127.0.0.1.
        #expect { try Self.connect("wss://localhost:\(port)", caFile: ca) } throws: { e in
            guard let e = e as? RealtimeClientError, case .connect(let m) = e else { return false }
            return m.contains("certificate verify failed") && m.contains("mismatch")
        }
    }

    @Test func wssRefusesAChainTheSystemStoreDoesNotTrust() throws {
        let (_, cert, key) = try Self.makeCertificates()
        guard let (peer, port) = try startPythonPeer("client_tls_ws_server.py", ["--cert", cert, "--key", key]) else { return }
        defer { peer.terminate() }
        #expect { try Self.connect("wss://127.0.0.1:\(port)", caFile: nil) } throws: { e in
            guard let e = e as? RealtimeClientError, case .connect(let m) = e else { return false }
            return m.contains("certificate verify failed")
        }
    }
}

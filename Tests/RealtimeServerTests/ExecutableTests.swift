import Foundation
import Glibc
import Testing

/// The `realtime-server` executable: its command line and its signal handling.
@Suite struct ExecutableTests {
    /// The built executable beside the test bundle (swift build --build-tests builds it too).
    static var executable: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let path = dir.appendingPathComponent("realtime-server").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(executable))
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func usageErrorsExitWithStatus2AndOneLine() throws {
        guard Self.executable != nil else { Issue.record("realtime-server not built next to the tests"); return }
        for args in [["--tier", "9"], ["--port", "http"], ["--backend", "magic"], ["--bogus", "1"], ["--max-sessions", "0"], ["--dtx", "maybe"], ["--call-threads", "0"], ["--host", "0.0.0.0"], ["--port"]] {
            let (status, stderr) = try Self.run(args)
            #expect(status == 2, "\(args)")
            #expect(stderr.split(separator: "\n").count == 1, "\(args): \(stderr)")
        }
    }

    @Test func printsItsAddressAndExitsZeroOnSIGTERM() throws {
        let path = try #require(Self.executable)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["--host", "127.0.0.1", "--port", "0"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        var text = ""
        let deadline = Date().addingTimeInterval(10)
        while !text.contains("\n"), Date() < deadline {
            text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(text.hasPrefix("listening on http://127.0.0.1:"))
        let port = text.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect((port ?? 0) > 0)
        if let port {
            let health = try curl("GET", "http://127.0.0.1:\(port)/healthz")
            #expect(health.status == 200)
        }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit)
        #expect(p.terminationStatus == 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("open endpoint"))
    }
}

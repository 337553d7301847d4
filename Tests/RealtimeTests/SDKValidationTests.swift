import Foundation
import Testing
@testable import Realtime

/// Every client and server event type we encode is checked by the official `openai` Python SDK's
/// pydantic models (Tests/Interop/validate_events.py): a shape the SDK rejects fails here.
@Suite struct SDKValidationTests {
    /// The package root, from this file's path (Tests/RealtimeTests/<file>).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func python() -> String? {
        let candidates = [packageRoot.appendingPathComponent(".venv/bin/python").path, "/tmp/probe-venv/bin/python"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func officialSDKAcceptsEveryEncodedEvent() throws {
        guard let python = Self.python() else {
            Issue.record("No Python with the openai SDK: run `scripts/setup.sh interop` to create .venv")
            return
        }
        let lines = EventSamples.client.map(\.jsonText) + EventSamples.server.map(\.jsonText)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("realtime-events-\(getpid()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let (status, output) = try Self.run(python, [Self.packageRoot.appendingPathComponent("Tests/Interop/validate_events.py").path, file.path])
        #expect(status == 0, "SDK validation failed:\n\(output)")
        #expect(output.contains("validated \(lines.count) events, 0 problem(s)"), "\(output)")
    }

    @Test func validatorRejectsABetaShapedEvent() throws {
        guard let python = Self.python() else {
            Issue.record("No Python with the openai SDK: run `scripts/setup.sh interop` to create .venv")
            return
        }
        // Proves the validator can fail: a beta session field and a beta event name.
        let lines = [#"{"type":"session.update","session":{"type":"realtime","modalities":["text"]}}"#,
                     #"{"type":"response.audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"delta":""}"#]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("realtime-beta-\(getpid()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try Self.run(python, [Self.packageRoot.appendingPathComponent("Tests/Interop/validate_events.py").path, file.path])
        #expect(status == 1)
        #expect(output.contains("session.modalities"))
        #expect(output.contains("response.audio.delta"))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

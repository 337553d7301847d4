import Foundation
import RealtimeServer
import Testing
import TestSupport

/// The official `openai` Python SDK (pinned in Tests/Interop/requirements.txt) talks to our
/// endpoint: Tests/Interop/openai_ws_client.py does one turn and prints a JSON summary.
@Suite struct OpenAISDKInteropTests {
    /// Runs the SDK client against `endpoint`; nil (with a recorded issue) when no Python has the SDK.
    static func runClient(_ endpoint: RunningEndpoint, apiKey: String, _ extra: [String]) throws -> [String: Any]? {
        guard let python = interopPython() else {
            Issue.record("No Python with the openai SDK: run `scripts/setup.sh interop` to create .venv")
            return nil
        }
        let script = packageRoot().appendingPathComponent("Tests/Interop/openai_ws_client.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script, "--base-url", endpoint.base + "/v1", "--api-key", apiKey] + extra
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "SDK client failed: \(String(decoding: errors, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func expectCleanEvents(_ summary: [String: Any]) {
        #expect((summary["problems"] as? [String]) == [], "SDK model problems: \(summary["problems"] ?? "")")
        #expect((summary["parse_errors"] as? [String]) == [], "SDK parse errors: \(summary["parse_errors"] ?? "")")
        #expect((summary["events"] as? Int ?? 0) > 5)
        #expect(summary["status"] as? String == "completed")
    }

    @Test func sdkEchoTurnGetsItsAudioBackAndEveryEventParses() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        guard let summary = try Self.runClient(e, apiKey: "sk-test", ["--mode", "echo", "--tone-ms", "300"]) else { return }
        Self.expectCleanEvents(summary)
        #expect(summary["audio_in_samples"] as? Int == 7_200)
        #expect(summary["audio_out_samples"] as? Int == summary["audio_in_samples"] as? Int)
        #expect((summary["types"] as? [String])?.contains("response.output_audio.delta") == true)
    }

    @Test func sdkTextTurnWithAScriptedBackendReadsTheScriptedReply() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sdk-script-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("script.json")
        try #"[{"text":"The scripted answer."}]"#.write(to: script, atomically: true, encoding: .utf8)
        let e = try RunningEndpoint(apiKey: "sk-test", backend: .scripted(path: script.path))
        defer { e.stop() }
        guard let summary = try Self.runClient(e, apiKey: "sk-test", ["--mode", "text"]) else { return }
        Self.expectCleanEvents(summary)
        #expect(summary["text"] as? String == "The scripted answer.")
    }

    @Test func sdkMintsAnEphemeralKeyAndConnectsWithIt() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        guard let summary = try Self.runClient(e, apiKey: "sk-test", ["--mode", "text", "--ephemeral"]) else { return }
        Self.expectCleanEvents(summary)
        let secret = try #require(summary["client_secret"] as? [String: Any])
        #expect(secret["typed"] as? Bool == true)
        #expect(secret["prefix"] as? String == "ek_")
        #expect(secret["session_instructions"] as? String == "Minted by the SDK.")
        // The key's session config is the session's starting config.
        #expect(summary["session_instructions"] as? String == "Minted by the SDK.")
    }
}

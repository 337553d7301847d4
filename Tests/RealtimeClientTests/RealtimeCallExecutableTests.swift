import Foundation
import RealtimeServer
import Testing

/// The `realtime-call` executable as a child process: a whole call, and each failure's exit code
/// and one-line cause.
@Suite(.serialized) struct RealtimeCallExecutableTests {
    @Test func usageErrorsExit2WithOneLine() throws {
        for args in [["--transport", "carrier-pigeon"], ["--ptime", "30"], ["--bogus"], ["--seconds"], ["--url", "ftp://x"]] {
            guard let r = try runRealtimeCall(args, timeout: 20) else { Issue.record("realtime-call not built"); return }
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }

    @Test func callsTheInProcessEndpointOverWebSocketAndWritesItsReport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("call-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let report = dir.appendingPathComponent("report.json").path, events = dir.appendingPathComponent("events.jsonl").path
        let wav = dir.appendingPathComponent("reply.wav").path
        guard let r = try runRealtimeCall(["--transport", "websocket", "--report", report, "--events", events, "--output", wav, "--seconds", "20"]) else {
            Issue.record("realtime-call not built"); return
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("--- report ---"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect((json?["responses"] as? Int ?? 0) >= 1)
        #expect((json?["audible_reply_seconds"] as? Double ?? 0) > 1.0)
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.contains("\"session.created\"") == true)
        #expect(FileManager.default.fileExists(atPath: wav))
    }

    @Test func scriptedFunctionCallRunsTheToolFromTheToolsFile() throws {
        let script = try writeScript("""
            {"replies": [{"function_call": {"name": "lookup", "arguments": {"q": "x"}}}, {"text": "done"}]}
            """)
        let tools = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("tools.json").path
        try #"[{"name": "lookup", "output": {"answer": 7}}]"#.write(toFile: tools, atomically: true, encoding: .utf8)
        guard let r = try runRealtimeCall(["--transport", "websocket", "--backend", "scripted=\(script)", "--tools", tools,
                                           "--text", "look it up", "--seconds", "15"]) else { Issue.record("realtime-call not built"); return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tool lookup({\"q\":\"x\"}) -> {\"answer\":7}"), "\(r.stdout)")
    }

    @Test func unreachableHostExits3() throws {
        guard let r = try runRealtimeCall(["--url", "http://127.0.0.1:1", "--transport", "websocket", "--seconds", "10"]) else {
            Issue.record("realtime-call not built"); return
        }
        #expect(r.status == 3)
        #expect(r.stderr.hasPrefix("realtime-call: ") && r.stderr.contains("Connection refused"), "\(r.stderr)")
    }

    @Test func wrongKeyExits4NamingTheHTTPStatus() throws {
        let (endpoint, url) = try startEndpoint(apiKey: "sk-right")
        defer { endpoint.stop() }
        for transport in ["websocket", "webrtc"] {
            guard let r = try runRealtimeCall(["--url", url, "--api-key", "sk-wrong", "--transport", transport, "--seconds", "10"]) else {
                Issue.record("realtime-call not built"); return
            }
            #expect(r.status == 4, "\(transport): \(r.stderr)")
            #expect(r.stderr.hasPrefix("realtime-call: HTTP 401 from /v1/realtime"), "\(r.stderr)")
        }
    }

    @Test func nonSDPAnswerExits4() throws {
        guard let (peer, port) = try startPythonPeer("client_openai_style_answerer.py", ["--mode", "non-sdp"]) else { return }
        defer { peer.terminate() }
        guard let r = try runRealtimeCall(["--url", "http://127.0.0.1:\(port)", "--api-key", "sk-test", "--seconds", "10"]) else { return }
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("is not SDP"), "\(r.stderr)")
    }

    @Test func silentServerExits5() throws {
        guard let (peer, port) = try startPythonPeer("client_openai_style_answerer.py", ["--mode", "never"]) else { return }
        defer { peer.terminate() }
        guard let r = try runRealtimeCall(["--url", "http://127.0.0.1:\(port)", "--api-key", "sk-test", "--seconds", "3"], timeout: 30) else { return }
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("no answer"), "\(r.stderr)")
    }
}

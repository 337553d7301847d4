import Foundation
import HTTP
import MediaCore
import Realtime
import RealtimeServer
import Runtime
import Testing

/// Whole sessions over a real WebSocket on 127.0.0.1, driven by the endpoint thread.
@Suite struct EndpointWebSocketTests {
    /// session.update (manual turns) → append → commit → response.create; returns the events
    /// from the update's answer up to response.done.
    static func echoTurn(_ socket: EventSocket, tone: (base64: String, samples: Int)) throws -> [[String: Any]] {
        try socket.send(["type": "session.update",
                         "session": ["type": "realtime", "audio": ["input": ["turn_detection": NSNull()]]]])
        var events = try socket.collect(until: "session.updated")
        try socket.send(["type": "input_audio_buffer.append", "audio": tone.base64])
        try socket.send(["type": "input_audio_buffer.commit"])
        events += try socket.collect(until: "input_audio_buffer.committed")
        try socket.send(["type": "response.create"])
        events += try socket.collect(until: "response.done", seconds: 15)
        return events
    }

    static func audioSamples(_ events: [[String: Any]]) -> Int {
        events.filter { $0["type"] as? String == "response.output_audio.delta" }
            .compactMap { ($0["delta"] as? String).flatMap { Data(base64Encoded: $0) }?.count }
            .reduce(0, +) / 2
    }

    @Test func echoSessionReturnsTheCommittedAudioAndCompletes() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let socket = try EventSocket(e.wsURL(), bearer: "sk-test")
        let first = try socket.collect(until: "session.created")
        #expect(types(first) == ["session.created"])
        let session = try #require(first[0]["session"] as? [String: Any])
        #expect(session["model"] as? String == "gpt-realtime-mini")
        #expect((session["id"] as? String)?.hasPrefix("sess_") == true)

        let tone = toneBase64(milliseconds: 300)
        let events = try Self.echoTurn(socket, tone: tone)
        let names = types(events)
        #expect(names.contains("response.created"))
        #expect(names.contains("response.output_audio.delta"))
        #expect(Self.audioSamples(events) == tone.samples)
        let done = try #require(events.last)
        #expect(done["type"] as? String == "response.done")
        let response = try #require(done["response"] as? [String: Any])
        #expect(response["status"] as? String == "completed")
        let usage = try #require(response["usage"] as? [String: Any])
        #expect((usage["total_tokens"] as? Int ?? 0) > 0)
        socket.client.close()
    }

    @Test func invalidJSONIsAnErrorEventAndTheSessionGoesOn() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let socket = try EventSocket(e.wsURL())
        _ = try socket.collect(until: "session.created")
        try socket.sendRaw("{this is not json")
        let error = try socket.collect(until: "error")
        #expect(!error.isEmpty)
        let details = try #require(error.last?["error"] as? [String: Any])
        #expect(details["type"] as? String == "invalid_request_error")
        try socket.sendRaw(#"{"type":"no.such.event"}"#)
        #expect(!(try socket.collect(until: "error")).isEmpty)
        // Still serving: a valid update is answered.
        try socket.send(["type": "session.update", "session": ["type": "realtime", "instructions": "Still here."]])
        let updated = try socket.collect(until: "session.updated")
        let session = try #require(updated.last?["session"] as? [String: Any])
        #expect(session["instructions"] as? String == "Still here.")
        socket.client.close()
    }

    @Test func scriptedBackendRepliesWithItsText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("endpoint-script-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("script.json")
        try #"{"replies":[{"text":"Hello from the script."}]}"#.write(to: script, atomically: true, encoding: .utf8)
        let e = try RunningEndpoint(backend: .scripted(path: script.path))
        defer { e.stop() }
        let socket = try EventSocket(e.wsURL())
        _ = try socket.collect(until: "session.created")
        try socket.send(["type": "session.update", "session": ["type": "realtime", "output_modalities": ["text"]]])
        _ = try socket.collect(until: "session.updated")
        try socket.send(["type": "conversation.item.create",
                         "item": ["type": "message", "role": "user", "content": [["type": "input_text", "text": "Hi"]]]])
        try socket.send(["type": "response.create"])
        let events = try socket.collect(until: "response.done")
        let text = events.filter { $0["type"] as? String == "response.output_text.delta" }.compactMap { $0["delta"] as? String }.joined()
        #expect(text == "Hello from the script.")
        #expect((events.last?["response"] as? [String: Any])?["status"] as? String == "completed")
        socket.client.close()
    }

    @Test func stoppingClosesSessionsWith1001AndLogsEach() throws {
        let e = try RunningEndpoint()
        let socket = try EventSocket(e.wsURL())
        _ = try socket.collect(until: "session.created")
        _ = try Self.echoTurn(socket, tone: toneBase64(milliseconds: 200))
        e.stop()
        var closeCode: WebSocketCloseCode?
        let deadline = Date().addingTimeInterval(5)
        while closeCode == nil, Date() < deadline {
            do { _ = try socket.client.receive(timeout: .milliseconds(200)) } catch {
                if case .closed(let code, _) = error { closeCode = code } else { break }
            }
        }
        #expect(closeCode == .goingAway)
        let lines = e.log.all
        #expect(lines.count == 1)
        let line = try #require(lines.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(line["event"] as? String == "session.closed")
        #expect(line["model"] as? String == "gpt-realtime-mini")
        #expect(line["responses"] as? Int == 1)
        #expect((line["cost_usd"] as? Double ?? 0) > 0)
    }

    @Test func metricsCountSessionsResponsesAndTokens() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let socket = try EventSocket(e.wsURL())
        _ = try socket.collect(until: "session.created")
        _ = try Self.echoTurn(socket, tone: toneBase64(milliseconds: 200))
        let metrics = try curl("GET", e.base + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("realtime_sessions_open 1\n"))
        #expect(metrics.body.contains("realtime_sessions_total 1\n"))
        #expect(metrics.body.contains("realtime_responses_total{status=\"completed\"} 1\n"))
        let audioIn = metrics.body.split(separator: "\n").first { $0.hasPrefix("realtime_tokens_total{direction=\"input\",modality=\"audio\"}") }
        #expect(audioIn.map { !$0.hasSuffix(" 0") } == true)
        socket.client.close()
    }
}

import Audio
import Foundation
import Testing
import TestSupport
import RealtimeServer

/// aiortc (a WebRTC stack nobody here wrote) calls the endpoint as OpenAI's browser examples do:
/// offer with an `oai-events` channel POSTed to `/v1/realtime/calls`, a microphone playing a WAV.
@Suite(.serialized) struct EndpointAiortcInteropTests {
    static let second = 48_000

    /// Runs Tests/Interop/aiortc_realtime_caller.py against `endpoint` with `microphone` as its
    /// microphone; returns its report and what it heard (channel 0).
    func call(_ endpoint: RunningEndpoint, microphone: [Int16], seconds: Double, flags: [String]) throws -> (report: [String: Any], heard: [Int16])? {
        guard let python = interopPython() else {
            Issue.record("no interop Python: run scripts/setup.sh interop")
            return nil
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtc-aiortc-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let play = dir.appendingPathComponent("play.wav").path
        let record = dir.appendingPathComponent("heard.wav").path
        try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(microphone)).write(to: play)
        let script = packageRoot().appendingPathComponent("Tests/Interop/aiortc_realtime_caller.py").path
        let peer = try LineProcess(executable: python, arguments: [
            script, "--url", endpoint.base + "/v1/realtime/calls", "--key", "sk-test", "--play", play, "--record", record,
            "--seconds", String(seconds),
        ] + flags)
        defer { peer.terminate() }
        let done = try #require(peer.receive(seconds: seconds + 25), "aiortc caller reported nothing")
        #expect(done["status"] as? Int == 201, "\(done)")
        #expect((done["location"] as? String)?.hasPrefix("/v1/realtime/calls/rtc_") == true)
        #expect((done["states"] as? [String])?.contains("connected") == true, "\(done)")
        #expect(done["channel_open"] as? Bool == true, "the oai-events channel never opened: \(done)")
        guard let wav = try? WAVAudio(contentsOf: record) else { return (done, []) }
        let pcm = wav.pcm16
        return (done, (0..<wav.frameCount).map { pcm[$0 * wav.channels] })
    }

    @Test func aiortcCallerHearsItsEchoAndGetsEventsOnOaiEvents() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let signal = chirp(count: Self.second)
        // aiortc starts playing as soon as it connects: a second of silence covers set-up.
        let padded = [Int16](repeating: 0, count: Self.second) + signal + [Int16](repeating: 0, count: Self.second * 4)
        guard let (done, heard) = try call(e, microphone: padded, seconds: 5, flags: ["--send-update"]) else { return }
        let events = done["events"] as? [String] ?? []
        #expect(events.first == "session.created", "events: \(events)")
        #expect(events.contains("session.updated"))
        #expect(events.contains("input_audio_buffer.speech_stopped"), "events: \(events)")
        #expect(events.contains("output_audio_buffer.started"), "events: \(events)")
        let match = segmentedMatch(sent: signal, received: heard, maxLag: Self.second * 4, window: 4_800..<43_200, segment: 4_800)
        #expect(match.medianCorrelation > 0.6, "aiortc heard its echo: median correlation \(match.medianCorrelation) at lag \(match.lag)")
    }

    /// The scripted backend asks for `get_weather`; aiortc answers with `function_call_output` and
    /// `response.create` over the channel and gets the scripted text back.
    @Test func aiortcCallerRunsAScriptedFunctionCallRoundTrip() throws {
        let script = try weatherScript()
        defer { try? FileManager.default.removeItem(at: script.directory) }
        let e = try RunningEndpoint(apiKey: "sk-test", backend: .scripted(path: script.path))
        defer { e.stop() }
        let silence = [Int16](repeating: 0, count: Self.second * 4)
        guard let (done, _) = try call(e, microphone: silence, seconds: 3, flags: ["--function-call"]) else { return }
        let calls = done["function_calls"] as? [[String: Any]] ?? []
        #expect(calls.count == 1 && calls.first?["name"] as? String == "get_weather", "\(done)")
        #expect((calls.first?["arguments"] as? String)?.contains("Paris") == true)
        #expect(done["texts"] as? [String] == [script.reply], "\(done)")
        let dones = done["dones"] as? [[String: Any]] ?? []
        #expect(dones.count == 2 && dones.allSatisfy { $0["status"] as? String == "completed" }, "\(dones)")
    }

    /// aiortc speaks, the echo starts, aiortc speaks over it: the response is cancelled with
    /// `turn_detected`, the output buffer is cleared and the item truncated at what was sent.
    @Test func aiortcCallerBargesInMidResponse() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let silence = { (s: Double) in [Int16](repeating: 0, count: Int(s * Double(Self.second))) }
        // 1 s for set-up, 1.5 s of speech, 0.9 s pause (VAD stops after 0.5 s: the echo starts),
        // then speech over the echo.
        let microphone = silence(1) + chirp(count: Self.second * 3 / 2) + silence(0.9) + chirp(count: Self.second) + silence(3)
        guard let (done, _) = try call(e, microphone: microphone, seconds: 6.5, flags: []) else { return }
        let events = done["events"] as? [String] ?? []
        let dones = done["dones"] as? [[String: Any]] ?? []
        #expect(dones.contains { $0["status"] as? String == "cancelled" && $0["reason"] as? String == "turn_detected" },
                "response.done: \(dones); events: \(events)")
        #expect(events.contains("output_audio_buffer.cleared"), "events: \(events)")
        let truncated = done["truncated_ms"] as? [Int] ?? []
        #expect(truncated.contains { $0 > 100 && $0 < 1_500 }, "audio_end_ms \(truncated); events: \(events)")
    }
}

import Audio
import Foundation
import Testing
import TestSupport

/// aiortc (a WebRTC stack nobody here wrote) calls the endpoint as OpenAI's browser examples do:
/// offer with an `oai-events` channel POSTed to `/v1/realtime/calls`, a microphone playing a chirp.
@Suite(.serialized) struct EndpointAiortcInteropTests {
    @Test func aiortcCallerHearsItsEchoAndGetsEventsOnOaiEvents() throws {
        guard let python = interopPython() else {
            Issue.record("no interop Python: run scripts/setup.sh interop")
            return
        }
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtc-aiortc-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let signal = chirp(count: 48_000)
        // aiortc starts playing as soon as it connects: a second of silence covers set-up.
        let padded = [Int16](repeating: 0, count: 48_000) + signal + [Int16](repeating: 0, count: 48_000 * 4)
        let play = dir.appendingPathComponent("play.wav").path
        let record = dir.appendingPathComponent("heard.wav").path
        try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(padded)).write(to: play)
        let script = packageRoot().appendingPathComponent("Tests/Interop/aiortc_realtime_caller.py").path
        let peer = try LineProcess(executable: python, arguments: [
            script, "--url", e.base + "/v1/realtime/calls", "--key", "sk-test", "--play", play, "--record", record,
            "--seconds", "5", "--send-update",
        ])
        defer { peer.terminate() }
        let done = try #require(peer.receive(seconds: 30), "aiortc caller reported nothing")
        #expect(done["status"] as? Int == 201, "\(done)")
        #expect((done["location"] as? String)?.hasPrefix("/v1/realtime/calls/rtc_") == true)
        #expect((done["states"] as? [String])?.contains("connected") == true, "\(done)")
        #expect(done["channel_open"] as? Bool == true, "the oai-events channel never opened: \(done)")
        let events = done["events"] as? [String] ?? []
        #expect(events.first == "session.created", "events: \(events)")
        #expect(events.contains("session.updated"))
        #expect(events.contains("input_audio_buffer.speech_stopped"), "events: \(events)")
        #expect(events.contains("output_audio_buffer.started"), "events: \(events)")
        let heard = try WAVAudio(contentsOf: record)
        var mono = [Int16](repeating: 0, count: heard.frameCount)
        let pcm = heard.pcm16
        for i in 0..<mono.count { mono[i] = pcm[i * heard.channels] }
        let match = segmentedMatch(sent: signal, received: mono, maxLag: 48_000 * 4, window: 4_800..<43_200, segment: 4_800)
        #expect(match.medianCorrelation > 0.6, "aiortc heard its echo: median correlation \(match.medianCorrelation) at lag \(match.lag)")
    }
}

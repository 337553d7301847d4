import Foundation
import Testing
import Audio
import MediaCore
import TestSupport
@testable import Runtime

/// Calls between our PeerConnection and aiortc (a WebRTC stack nobody here wrote), both ways,
/// over 127.0.0.1: each side plays a chirp and what the other side heard must match it.
@Suite(.serialized) struct AiortcInteropTests {
    let glib = GLibLoop()

    func peer(role: String, play: String, record: String, seconds: Double) throws -> LineProcess {
        guard let python = interopPython() else {
            Issue.record("no interop Python: run scripts/setup.sh interop")
            throw CancellationError()
        }
        let script = packageRoot().appendingPathComponent("Tests/Interop/aiortc_peer.py").path
        return try LineProcess(executable: python, arguments: [script, "--role", role, "--play", play, "--record", record,
                                                               "--seconds", String(seconds)])
    }

    func files() throws -> (play: String, record: String, signal: [Int16]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aiortc-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let signal = chirp(count: 48_000 * 2)
        // Half a second of silence first: aiortc starts playing as soon as it connects.
        let padded = [Int16](repeating: 0, count: 24_000) + signal + [Int16](repeating: 0, count: 48_000)
        let play = dir.appendingPathComponent("play.wav").path
        try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(padded)).write(to: play)
        return (play, dir.appendingPathComponent("heard.wav").path, signal)
    }

    /// Segment by segment, because an adaptive jitter buffer may stretch time against a peer's
    /// uneven pacing: one global lag would understate a faithful reproduction.
    func check(heard: [Int16], signal: [Int16], who: String) {
        let match = segmentedMatch(sent: signal, received: heard, maxLag: 48_000, window: 9_600..<86_400, segment: 4_800)
        #expect(match.medianCorrelation > 0.7, "\(who): median segment correlation \(match.medianCorrelation) at lag \(match.lag)")
    }

    func runCall(weOffer: Bool) throws {
        let f = try files()
        let aiortc = try peer(role: weOffer ? "answer" : "offer", play: f.play, record: f.record, seconds: 4)
        defer { aiortc.terminate() }
        let pc = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { pc.close() }
        if weOffer {
            try aiortc.send(["type": "offer", "sdp": try pc.createOffer()])
            let answer = try #require(aiortc.receive(seconds: 10)?["sdp"] as? String)
            try pc.setRemoteAnswer(answer)
        } else {
            let offer = try #require(aiortc.receive(seconds: 10)?["sdp"] as? String)
            try aiortc.send(["type": "answer", "sdp": try pc.createAnswer(offer: offer)])
        }
        #expect(eventually(seconds: 5) { pc.stats()?.timeline.dtlsConnected != nil }, "DTLS with aiortc did not connect")
        guard let ports = pc.takeAudioPorts() else { Issue.record("audio ports already taken"); return }
        let device = SimulatedAudioDevice(capture: ports.capture, playout: ports.playout,
                                          source: [Int16](repeating: 0, count: 24_000) + f.signal, recordSeconds: 3.5)
        device.start()
        let done = aiortc.receive(seconds: 12)
        let heardByUs = device.stop()
        #expect(done?["type"] as? String == "done")
        #expect((done?["states"] as? [String])?.contains("connected") == true)
        check(heard: heardByUs, signal: f.signal, who: "we heard aiortc")
        let heardByAiortc = try WAVAudio(contentsOf: f.record)
        check(heard: firstChannel(heardByAiortc), signal: f.signal, who: "aiortc heard us")
        #expect((pc.stats()?.inboundRTP.packetsReceived ?? 0) > 50)
    }

    @Test func swiftOffersAiortcAnswers() throws { try runCall(weOffer: true) }
    @Test func aiortcOffersSwiftAnswers() throws { try runCall(weOffer: false) }
}

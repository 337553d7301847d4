import Glibc
import Testing
import MediaCore
@testable import Audio

/// A synthetic recording: low noise everywhere, louder "speech" (tone plus noise) in `bursts`
/// (start and end in seconds).
private func recording(rate: Int, seconds: Double, bursts: [(Double, Double)], noiseRMS: Double = 60,
                       speechAmplitude: Double = 6_000, seed: UInt64 = 7) -> [Int16] {
    var rng = SplitMix64(seed: seed)
    let count = Int(seconds * Double(rate))
    var out = [Int16](repeating: 0, count: count)
    for n in 0..<count {
        // Uniform noise in ±√3·rms has the requested RMS.
        let u = Double(rng.next() % 1_000_001) / 1_000_000 * 2 - 1
        var v = u * noiseRMS * 3.0.squareRoot()
        let t = Double(n) / Double(rate)
        if bursts.contains(where: { t >= $0.0 && t < $0.1 }) {
            v += speechAmplitude * (0.7 * sin(2 * .pi * 220 * t) + 0.3 * sin(2 * .pi * 660 * t)) + u * speechAmplitude * 0.2
        }
        out[n] = Int16(max(-32_768, min(32_767, v.rounded())))
    }
    return out
}

/// Feeds `pcm` in `frameMs` frames; returns every event.
private func events(_ vad: inout VoiceActivityDetector, _ pcm: [Int16], frameMs: Int) -> [VoiceActivityDetector.Event] {
    let frame = vad.sampleRate * frameMs / 1000
    var out: [VoiceActivityDetector.Event] = []
    var start = 0
    while start + frame <= pcm.count {
        if let e = vad.process(Array(pcm[start ..< start + frame])) { out.append(e) }
        start += frame
    }
    return out
}

private func near(_ actual: Int, _ expected: Int, within: Int) -> Bool { abs(actual - expected) <= within }

@Suite struct VoiceActivityTests {
    @Test(arguments: [(16_000, 10), (16_000, 20), (8_000, 20), (24_000, 10), (48_000, 20)])
    func oneUtteranceStartsWithPrefixPaddingAndStopsWhereSilenceBegan(rate: Int, frameMs: Int) throws {
        var vad = try VoiceActivityDetector(sampleRate: rate)
        let pcm = recording(rate: rate, seconds: 4, bursts: [(1.0, 2.0)])
        let got = events(&vad, pcm, frameMs: frameMs)
        let frame = rate * frameMs / 1000
        try #require(got.count == 2, "\(got)")
        guard case let .speechStarted(start) = got[0], case let .speechStopped(stop) = got[1] else {
            Issue.record("unexpected events \(got)"); return
        }
        #expect(near(start, rate * 7 / 10, within: frame), "start \(start)")  // 1.0 s − 300 ms
        #expect(near(stop, rate * 2, within: frame), "stop \(stop)")
        #expect(!vad.isSpeaking)
    }

    @Test func stopIsReportedOnlyAfterTheSilenceDuration() throws {
        var vad = try VoiceActivityDetector(sampleRate: 16_000, silenceDurationMs: 500)
        let pcm = recording(rate: 16_000, seconds: 3, bursts: [(0.5, 1.0)])
        var stoppedAt: Int?
        var start = 0
        while start + 160 <= pcm.count {
            if case .speechStopped = vad.process(Array(pcm[start ..< start + 160])) { stoppedAt = vad.position }
            start += 160
        }
        // The event comes with the frame that completes 500 ms of silence after 1.0 s.
        let reportedAt = try #require(stoppedAt)
        #expect(near(reportedAt, 16_000 * 3 / 2, within: 160))
    }

    @Test func gapsShorterThanTheSilenceDurationDoNotEndTheTurn() throws {
        var vad = try VoiceActivityDetector(sampleRate: 16_000, silenceDurationMs: 500)
        let pcm = recording(rate: 16_000, seconds: 5, bursts: [(1.0, 1.6), (1.9, 2.5), (2.9, 3.2)])
        let got = events(&vad, pcm, frameMs: 20)
        try #require(got.count == 2, "\(got)")
        guard case let .speechStopped(stop) = got[1] else { Issue.record("\(got)"); return }
        #expect(near(stop, Int(3.2 * 16_000), within: 320))
        // A gap as long as the silence duration does split the turn.
        var strict = try VoiceActivityDetector(sampleRate: 16_000, silenceDurationMs: 250)
        #expect(events(&strict, pcm, frameMs: 20).count == 6)
    }

    @Test func prefixPaddingIsClampedAtTheStreamStart() throws {
        var vad = try VoiceActivityDetector(sampleRate: 16_000, prefixPaddingMs: 300)
        // 100 ms of noise (enough to learn the floor), then speech.
        let pcm = recording(rate: 16_000, seconds: 2, bursts: [(0.1, 0.8)])
        let got = events(&vad, pcm, frameMs: 10)
        #expect(got.first == .speechStarted(atSample: 0))
        var noPadding = try VoiceActivityDetector(sampleRate: 16_000, prefixPaddingMs: 0)
        guard case let .speechStarted(start)? = events(&noPadding, pcm, frameMs: 10).first else {
            Issue.record("no start"); return
        }
        #expect(near(start, 1_600, within: 160))
    }

    @Test func thresholdDecidesWhetherAQuietBurstCounts() throws {
        // A burst about 20 dB above the noise: probability ≈ 0.93 by the documented mapping.
        let pcm = recording(rate: 16_000, seconds: 3, bursts: [(1.0, 1.5)], noiseRMS: 200, speechAmplitude: 2_000)
        var normal = try VoiceActivityDetector(sampleRate: 16_000, threshold: 0.5)
        #expect(events(&normal, pcm, frameMs: 20).count == 2)
        var strict = try VoiceActivityDetector(sampleRate: 16_000, threshold: 0.99)
        #expect(events(&strict, pcm, frameMs: 20).isEmpty)
    }

    @Test func steadyNoiseOfAnyLevelIsNotSpeech() throws {
        for rms in [5.0, 100, 2_000] {
            var vad = try VoiceActivityDetector(sampleRate: 16_000)
            let pcm = recording(rate: 16_000, seconds: 3, bursts: [], noiseRMS: rms)
            #expect(events(&vad, pcm, frameMs: 20).isEmpty, "noise rms \(rms)")
        }
    }

    @Test func invalidParametersThrow() {
        #expect(throws: VoiceActivityError.unsupportedSampleRate(44_100)) { _ = try VoiceActivityDetector(sampleRate: 44_100) }
        #expect(throws: VoiceActivityError.invalidThreshold(1.5)) { _ = try VoiceActivityDetector(sampleRate: 16_000, threshold: 1.5) }
        #expect(throws: VoiceActivityError.self) { _ = try VoiceActivityDetector(sampleRate: 16_000, silenceDurationMs: -1) }
    }
}

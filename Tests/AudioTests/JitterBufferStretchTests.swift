import Testing
import MediaCore
@testable import Audio

/// Fast accelerate and the decision rules that keep stretching from making packets late.
@Suite struct JitterBufferStretchTests {
    /// 60 ms of the voiced test vowel at 48 kHz.
    private func vowel(frames: Int = 2_880) -> [Int16] { (0..<frames).map { vowelSample($0) } }

    @Test func fastAccelerateRemovesSeveralPitchPeriodsFromVoicedAudio() {
        let stretcher = TimeStretcher(sampleRate: 48_000, channels: 1)
        var pcm = vowel()
        let before = pcm.count
        let removed = stretcher.fastAccelerate(&pcm, from: 0, maximumRemoval: 1_920)
        #expect(pcm.count == before - removed)
        // The vowel's period is about 343 samples (140 Hz): one removal alone is at most 960.
        #expect(removed > 960)
        #expect(removed <= 1_920)
        // No click: the largest step between neighbours stays that of the original signal.
        let step = { (x: [Int16]) in zip(x, x.dropFirst()).map { abs(Int($0) - Int($1)) }.max() ?? 0 }
        #expect(step(pcm) <= step(vowel()) * 3 / 2)
    }

    @Test func fastAccelerateNeverRemovesMoreThanAllowed() {
        let stretcher = TimeStretcher(sampleRate: 48_000, channels: 1)
        for limit in [120, 400, 700, 1_000] {
            var pcm = vowel()
            let removed = stretcher.fastAccelerate(&pcm, from: 0, maximumRemoval: limit)
            #expect(removed <= limit)
            #expect(pcm.count == 2_880 - removed)
        }
    }

    @Test func fastAccelerateLeavesLoudNoiseAlone() {
        // Noise does not repeat and is far from silent: any cut would be audible.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var pcm = (0..<2_880).map { _ -> Int16 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int16(truncatingIfNeeded: Int(state >> 48) - 32_768) / 2
        }
        let original = pcm
        #expect(TimeStretcher(sampleRate: 48_000, channels: 1).fastAccelerate(&pcm, from: 0, maximumRemoval: 1_920) == 0)
        #expect(pcm == original)
    }

    @Test func repeatedPreemptiveExpandInsertsMoreThanOnePeriodFits() {
        // 1 338 samples cannot be one lag (at most 20 ms = 960), but several periods can.
        let stretcher = TimeStretcher(sampleRate: 48_000, channels: 1)
        var pcm = vowel(frames: 2_400)
        #expect(stretcher.preemptiveExpand(&pcm, from: 0, minimumInsertion: 1_338, maximumInsertion: 1_817) == 0)
        let inserted = stretcher.repeatedPreemptiveExpand(&pcm, from: 0, minimumInsertion: 1_338, maximumInsertion: 1_817)
        #expect(inserted >= 1_338 && inserted <= 1_817)
        #expect(pcm.count == 2_400 + inserted)
    }

    @Test func inSilenceAccelerateRemovesAllItMayAndExpandInsertsOnlyWhatItMust() {
        let stretcher = TimeStretcher(sampleRate: 48_000, channels: 1)
        // Quiet hiss (well under the silence level): no pitch to keep, any cut is inaudible.
        let hiss = (0..<2_880).map { Int16(($0 * 7_919) % 61) - 30 }
        for (lo, hi) in [(1, 70), (1, 300), (120, 900)] {
            var pcm = hiss
            #expect(stretcher.accelerate(&pcm, from: 0, minimumRemoval: lo, maximumRemoval: hi) == hi)
            #expect(pcm.count == hiss.count - hi)
            pcm = hiss
            #expect(stretcher.preemptiveExpand(&pcm, from: 0, minimumInsertion: lo, maximumInsertion: hi) == lo)
            #expect(pcm.count == hiss.count + lo)
        }
        // Voiced audio keeps its pitch rule: nothing shorter than the shortest lag (2.5 ms).
        var pcm = vowel()
        #expect(stretcher.accelerate(&pcm, from: 0, minimumRemoval: 1, maximumRemoval: 100) == 0)
        // A removal whose longest lag would reach into speech takes the shortest one that stays in silence.
        pcm = Array(hiss[0..<600]) + vowel(frames: 2_280)
        #expect(stretcher.accelerate(&pcm, from: 0, minimumRemoval: 1, maximumRemoval: 900) == 120)
    }

    @Test func aMarginWithinTheToleranceBelowTheTargetDoesNotExpandByATick() {
        func decide(margin: Int) -> JitterDecision {
            JitterDecision.decide(next: .expected, margin: margin, target: 192, leftover: 0, tick: 480, unit: 120,
                                  maximumGap: 48_000, leftoverTrim: 24, fastExcess: 1_920, expandTolerance: 48)
        }
        #expect(decide(margin: 191) == .normal)
        #expect(decide(margin: 144) == .normal)
        #expect(decide(margin: 143) == .preemptiveExpand(minimum: 480, maximum: 959))
    }

    @Test func farAboveTheTargetTheDecisionIsFastAccelerateByWholeTicks() {
        let d = JitterDecision.decide(next: .expected, margin: 10_000, target: 200, leftover: 100, tick: 480,
                                      unit: 120, maximumGap: 48_000, leftoverTrim: 240, fastExcess: 1_920)
        // 9 800 samples of excess is 20 whole ticks: removing past the leftover moves the margin in ticks.
        #expect(d == .fastAccelerate(maximum: 100 + 20 * 480))
    }

    @Test func noStretchDecisionTakesTheMarginBelowTheTarget() {
        // Removing x > leftover makes the next packet needed ceil((x - leftover) / tick) ticks
        // earlier: the margin after the largest allowed removal must still reach the target.
        let tick = 480
        for margin in stride(from: -1_000, through: 6_000, by: 37) {
            for leftover in stride(from: 0, to: tick, by: 53) {
                let target = 300
                let d = JitterDecision.decide(next: .expected, margin: margin, target: target, leftover: leftover, tick: tick,
                                              unit: 120, maximumGap: 48_000, leftoverTrim: 240, fastExcess: 1_920)
                let maximum: Int
                switch d {
                case let .accelerate(_, hi): maximum = hi
                case let .fastAccelerate(hi): maximum = hi
                default: continue
                }
                let ticksEarlier = maximum > leftover ? (maximum - leftover + tick - 1) / tick : 0
                #expect(margin - ticksEarlier * tick >= target, "margin \(margin) leftover \(leftover): \(d)")
            }
        }
    }
}

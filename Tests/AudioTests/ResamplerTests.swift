import Glibc
import Testing
@testable import Audio

private let ratePairs: [(Int, Int)] = Resampler.supportedRates.flatMap { a in
    Resampler.supportedRates.filter { $0 != a }.map { (a, $0) }
}

/// A 1 kHz sine at half full scale.
private func sine(_ frequency: Double, rate: Int, count: Int, amplitude: Double = 16_384, channels: Int = 1) -> [Int16] {
    var out = [Int16](repeating: 0, count: count * channels)
    for n in 0..<count {
        let v = amplitude * sin(2 * .pi * frequency * Double(n) / Double(rate))
        for c in 0..<channels { out[n * channels + c] = Int16((c == 0 ? v : -v).rounded()) }
    }
    return out
}

/// SNR of a resampled 1 kHz sine against the ideal sine at the output rate, shifted by the
/// resampler's group delay, skipping the filter's start-up and the unfinished tail.
private func measuredSNR(from inRate: Int, to outRate: Int) throws -> Double {
    let resampler = try Resampler(from: inRate, to: outRate)
    let input = sine(1_000, rate: inRate, count: inRate / 2)
    var output = [Int16](repeating: 0, count: resampler.outputCount(forInput: input.count))
    let n = try resampler.process(input, into: &output)
    #expect(n == output.count)
    #expect(abs(n - input.count * outRate / inRate) <= 1)
    let delay = resampler.groupDelay
    let skip = Int(delay) * 2 + 16
    var signal = 0.0, noise = 0.0
    for i in skip ..< (n - skip) {
        let t = (Double(i) - delay) / Double(outRate)
        let ideal = 16_384 * sin(2 * .pi * 1_000 * t)
        signal += ideal * ideal
        noise += (Double(output[i]) - ideal) * (Double(output[i]) - ideal)
    }
    return 10 * log10(signal / noise)
}

@Suite struct ResamplerTests {
    @Test(arguments: ratePairs.map { "\($0.0)→\($0.1)" })
    func aSineKeepsSixtyDecibelsSNR(pair: String) throws {
        let rates = pair.split(separator: "→").map { Int($0)! }
        let snr = try measuredSNR(from: rates[0], to: rates[1])
        #expect(snr >= 60, "\(pair): \(snr) dB")
    }

    @Test func chunkedInputGivesExactlyTheOneShotOutput() throws {
        for (a, b) in ratePairs {
            let input = sine(1_000, rate: a, count: a / 5, channels: 2)
            let whole = try Resampler(from: a, to: b, channels: 2)
            var expected = [Int16](repeating: 0, count: whole.outputCount(forInput: input.count))
            _ = try whole.process(input, into: &expected)

            let streaming = try Resampler(from: a, to: b, channels: 2)
            var got: [Int16] = []
            var start = 0
            var sizes = [1, 7, 160, 2, 333, 960, 17]
            var scratch = [Int16](repeating: 0, count: 16_384)
            while start < input.count {
                let frames = sizes.removeFirst()
                sizes.append(frames)
                let end = min(input.count, start + frames * 2)
                let n = try streaming.process(Array(input[start..<end]), into: &scratch)
                got += scratch[..<n]
                start = end
            }
            #expect(got == expected, "\(a)→\(b)")
        }
    }

    @Test func aToneAboveTheOutputNyquistIsRemoved() throws {
        // 6 kHz cannot exist at 8 kHz: it must be attenuated, not aliased down to 2 kHz.
        let r = try Resampler(from: 48_000, to: 8_000)
        let input = sine(6_000, rate: 48_000, count: 48_000)
        var out = [Int16](repeating: 0, count: r.outputCount(forInput: input.count))
        let n = try r.process(input, into: &out)
        let peak = out[200..<n].map { abs(Int($0)) }.max() ?? 0
        #expect(peak < 16)  // 16384 attenuated by ≥ 60 dB
    }

    @Test func reportsGroupDelayAndRejectsBadSetups() throws {
        let down = try Resampler(from: 48_000, to: 16_000)
        #expect(down.interpolation == 1 && down.decimation == 3)
        #expect(down.groupDelay > 0)
        #expect(abs(down.groupDelayInInputSamples - down.groupDelay * 3) < 1e-9)
        let up = try Resampler(from: 16_000, to: 24_000)
        #expect(up.interpolation == 3 && up.decimation == 2)
        #expect(throws: ResamplerError.unsupportedRate(44_100)) { _ = try Resampler(from: 44_100, to: 48_000) }
        #expect(throws: ResamplerError.unsupportedChannels(3)) { _ = try Resampler(from: 8_000, to: 16_000, channels: 3) }
        var small = [Int16](repeating: 0, count: 10)
        #expect(throws: ResamplerError.bufferTooSmall(needed: 60, available: 10)) {
            _ = try up.process([Int16](repeating: 0, count: 40), into: &small)
        }
    }

    /// The voice filter keeps what a speech path needs: a 1 kHz sine at ≥ 60 dB SNR, and 13 kHz
    /// (above 24 kHz's Nyquist frequency) attenuated by ≥ 60 dB, with fewer taps than `.high`.
    @Test func voiceQualityKeepsSpeechAndRemovesAliases() throws {
        let down = try Resampler(from: 48_000, to: 24_000, quality: .voice)
        #expect(down.tapsPerPhase < (try Resampler(from: 48_000, to: 24_000)).tapsPerPhase)
        let alias = sine(13_000, rate: 48_000, count: 48_000)
        var out = [Int16](repeating: 0, count: down.outputCount(forInput: alias.count))
        let n = try down.process(alias, into: &out)
        #expect((out[200..<n].map { abs(Int($0)) }.max() ?? 0) < 16)
        let up = try Resampler(from: 24_000, to: 48_000, quality: .voice)
        let tone = sine(1_000, rate: 24_000, count: 12_000)
        var back = [Int16](repeating: 0, count: up.outputCount(forInput: tone.count))
        let m = try up.process(tone, into: &back)
        var signal = 0.0, noise = 0.0
        for i in 400..<(m - 400) {
            let ideal = 16_384 * sin(2 * .pi * 1_000 * (Double(i) - up.groupDelay) / 48_000)
            signal += ideal * ideal
            noise += (Double(back[i]) - ideal) * (Double(back[i]) - ideal)
        }
        #expect(10 * log10(signal / noise) >= 60)
    }

    /// Silence skips the products once the filter holds only zeros. Speech with silent gaps of
    /// every length around the filter's span, fed in uneven chunks, must come out as a plain
    /// polyphase convolution computes it (within the last bit of float rounding).
    @Test(arguments: [(48_000, 24_000), (24_000, 48_000), (48_000, 16_000)])
    func silentStretchesGiveWhatTheFullFilterGives(rates: (Int, Int)) throws {
        let r = try Resampler(from: rates.0, to: rates.1, quality: .voice)
        let filter = ResamplerFilter(inputRate: rates.0, interpolation: r.interpolation, decimation: r.decimation, quality: .voice)
        var input: [Int16] = []
        for gap in [3, 40, filter.tapsPerPhase - 1, filter.tapsPerPhase, filter.tapsPerPhase + 1, 200, 300, 555, 1_000] {
            input += sine(700, rate: rates.0, count: 211)
            input += [Int16](repeating: 0, count: gap)
        }
        // Reference: the zero history, then every input sample; output k uses upsampled time k·M.
        let taps = filter.tapsPerPhase
        let history = [Float](repeating: 0, count: taps - 1) + input.map(Float.init)
        var expected: [Int16] = []
        var t = 0
        while t < input.count * r.interpolation {
            let j = t / r.interpolation, phase = t - j * r.interpolation
            var acc: Float = 0
            for k in 0..<taps { acc += filter.coefficients[phase * taps + k] * history[j + k] }
            expected.append(Int16(max(-32_768, min(32_767, acc.rounded()))))
            t += r.decimation
        }
        // Every chunk size puts the gaps' edges at other places against the 256-frame blocks.
        for size in [1, 7, 13, 64, 97, 256, 300, 480, 1_000] {
            let streaming = try Resampler(from: rates.0, to: rates.1, quality: .voice)
            var got: [Int16] = []
            var start = 0
            var scratch = [Int16](repeating: 0, count: 8_192)
            while start < input.count {
                let end = min(input.count, start + size)
                let n = try streaming.process(Array(input[start..<end]), into: &scratch)
                got += scratch[..<n]
                start = end
            }
            #expect(got.count == expected.count)
            let worst = zip(got, expected).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 1, "chunks of \(size): largest difference \(worst)")
        }
    }

    @Test func sameRateIsACopy() throws {
        let r = try Resampler(from: 16_000, to: 16_000)
        let input = sine(1_000, rate: 16_000, count: 100)
        var out = [Int16](repeating: 0, count: 100)
        #expect(try r.process(input, into: &out) == 100)
        #expect(out == input)
        #expect(r.groupDelay == 0)
    }

    @Test func resetForgetsThePreviousStream() throws {
        let r = try Resampler(from: 8_000, to: 48_000)
        let input = sine(1_000, rate: 8_000, count: 400)
        var first = [Int16](repeating: 0, count: r.outputCount(forInput: input.count))
        _ = try r.process(input, into: &first)
        r.reset()
        var second = first
        _ = try r.process(input, into: &second)
        #expect(first == second)
    }
}

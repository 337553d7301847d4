/// Why a resampler could not be created or run.
public enum ResamplerError: Error, Equatable, Sendable {
    case unsupportedRate(Int)
    case unsupportedChannels(Int)
    case bufferTooSmall(needed: Int, available: Int)
}

/// A streaming band-limited sample-rate converter between 8, 16, 24 and 48 kHz.
///
/// Rational L/M polyphase filtering with a Kaiser-windowed sinc (`Quality`: 90 dB stopband and a
/// passband to 42 % of the lower rate, or a cheaper filter for voice). It keeps the last input samples between calls, so feeding a signal in any
/// chunking gives exactly the one-shot output. Buffers are allocated in `init`; `process`
/// allocates nothing. Output lags input by `groupDelay` output samples. Digital silence costs
/// almost nothing: once the filter holds only zeros, zero input gives zero output without a
/// product (a DTX caller leaves the endpoint's input silent most of the time).
public final class Resampler {
    public static let supportedRates = [8_000, 16_000, 24_000, 48_000]

    /// How good the anti-aliasing filter is, against how many products each output costs.
    public enum Quality: Sendable {
        /// 90 dB stopband, passband to 42 % of the lower rate (48 ↔ 24 kHz: 144 taps down, 72 up).
        case high
        /// 70 dB stopband, passband to 40 % of the lower rate (48 ↔ 24 kHz: 88 taps down, 48 up):
        /// far beyond what a speech codec keeps or a speech model hears, for two-thirds of the
        /// cost. The local endpoint's calls use it, twice per call, every 10 ms.
        case voice

        var attenuationDB: Double { self == .high ? 90 : 70 }
        var passbandEdge: Double { self == .high ? 0.42 : 0.40 }
    }

    public let inputRate: Int
    public let outputRate: Int
    public let channels: Int
    /// Upsampling factor L and downsampling factor M (outputRate / inputRate = L / M, reduced).
    public let interpolation: Int
    public let decimation: Int
    /// Filter taps used per output sample per channel.
    public var tapsPerPhase: Int { taps }
    /// Delay of the output against the input, in output samples (may be fractional).
    public let groupDelay: Double
    /// The same delay in input samples.
    public var groupDelayInInputSamples: Double { groupDelay * Double(inputRate) / Double(outputRate) }

    private let taps: Int
    private let coefficients: UnsafeMutablePointer<Float>
    /// Per channel: `taps - 1` samples of history then up to `block` new ones.
    private let history: UnsafeMutablePointer<Float>
    private let stride: Int
    private static let block = 256
    /// Upsampled-domain time of the next output, relative to the first not-yet-received input
    /// sample (times L); always in 0 ..< M between calls.
    private var offset = 0
    /// Input frames at the end of the history that are exactly zero (counted up to `taps`).
    private var zeroFrames = 0

    public init(from inputRate: Int, to outputRate: Int, channels: Int = 1, quality: Quality = .high) throws(ResamplerError) {
        guard Self.supportedRates.contains(inputRate) else { throw .unsupportedRate(inputRate) }
        guard Self.supportedRates.contains(outputRate) else { throw .unsupportedRate(outputRate) }
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        let g = gcd(inputRate, outputRate)
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.channels = channels
        interpolation = outputRate / g
        decimation = inputRate / g
        let filter = ResamplerFilter(inputRate: inputRate, interpolation: interpolation, decimation: decimation, quality: quality)
        taps = filter.tapsPerPhase
        groupDelay = Double(filter.length - 1) / 2 / Double(decimation)
        coefficients = .allocate(capacity: filter.coefficients.count)
        coefficients.initialize(from: filter.coefficients, count: filter.coefficients.count)
        stride = taps - 1 + Self.block
        history = .allocate(capacity: stride * channels)
        history.initialize(repeating: 0, count: stride * channels)
    }

    deinit {
        coefficients.deallocate()
        history.deallocate()
    }

    /// Forgets all past input (a new stream).
    public func reset() {
        history.update(repeating: 0, count: stride * channels)
        offset = 0
        zeroFrames = 0
    }

    /// Output samples (interleaved, all channels) the next `process` call yields for
    /// `inputSamples` interleaved input samples.
    public func outputCount(forInput inputSamples: Int) -> Int {
        let span = inputSamples / channels * interpolation
        return span > offset ? (span - offset + decimation - 1) / decimation * channels : 0
    }

    /// Converts interleaved PCM16; returns the interleaved samples written to `output`.
    public func process(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<Int16>) throws(ResamplerError) -> Int {
        try run(input, output)
    }

    /// Converts interleaved Float32; returns the interleaved samples written to `output`.
    public func process(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) throws(ResamplerError) -> Int {
        try run(input, output)
    }

    /// Converts an array of PCM16 into the front of `output` (kept at its size); returns the count.
    public func process(_ input: [Int16], into output: inout [Int16]) throws(ResamplerError) -> Int {
        try input.withUnsafeBufferPointer { (i) throws(ResamplerError) -> Int in
            try output.withUnsafeMutableBufferPointer { (o) throws(ResamplerError) -> Int in try process(i, into: o) }
        }
    }

    private func run<S: ResamplerSample>(_ input: UnsafeBufferPointer<S>, _ output: UnsafeMutableBufferPointer<S>) throws(ResamplerError) -> Int {
        let needed = outputCount(forInput: input.count)
        guard output.count >= needed else { throw .bufferTooSmall(needed: needed, available: output.count) }
        let frames = input.count / channels
        let l = interpolation, m = decimation, keep = taps - 1
        let stepWhole = m / l, stepPhase = m % l
        var written = 0
        var consumed = 0
        while consumed < frames {
            let chunk = min(Self.block, frames - consumed)
            let trailingZeros = S.trailingZeros(input, from: consumed * channels, count: chunk * channels) / channels
            if trailingZeros == chunk && zeroFrames >= keep {
                // Silence in, silence out: every product would be zero, and the history stays zeros.
                let span = chunk * l
                while offset < span {
                    for _ in 0..<channels { output[written] = .zero; written += 1 }
                    offset += m
                }
                offset -= span
                consumed += chunk
                continue
            }
            zeroFrames = trailingZeros == chunk ? min(taps, zeroFrames + chunk) : trailingZeros
            for c in 0..<channels {
                let h = history + c * stride + keep
                for i in 0..<chunk { h[i] = input[(consumed + i) * channels + c].floatValue }
            }
            let span = chunk * l
            // Input index j and phase of `offset` (= j·L + phase), stepped by M without a division
            // per output (an integer divide cost more than the products of a short filter).
            var j = offset / l, phase = offset - j * l
            while offset < span {
                let coefficientsOfPhase = coefficients + phase * taps
                for c in 0..<channels {
                    output[written] = S(resampled: dot(coefficientsOfPhase, history + c * stride + j, count: taps))
                    written += 1
                }
                offset += m
                j += stepWhole
                phase += stepPhase
                if phase >= l { phase -= l; j += 1 }
            }
            offset -= span
            for c in 0..<channels {
                let h = history + c * stride
                h.update(from: h + chunk, count: keep)
            }
            consumed += chunk
        }
        return written
    }
}

/// Sum of a[i] * b[i], eight lanes at a time (`count` is a multiple of 8). Multiply then add, not
/// `addProduct`: the x86-64 baseline has no FMA instruction, so a fused multiply-add becomes a
/// call to libm's `fmaf` per lane (it was 45 % of the endpoint's CPU). Two accumulators: with
/// one, every add waits for the previous one.
@inline(__always)
private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 16 <= count {
        acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        acc1 += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
        i += 16
    }
    if i < count {
        acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
    }
    // A tree of three adds: `sum()` adds the eight lanes one after another, a chain that cost
    // as much as the products of a short filter.
    let v = acc0 + acc1
    let h = v.lowHalf + v.highHalf
    let q = h.lowHalf + h.highHalf
    return q[0] + q[1]
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

/// A sample type the resampler converts to and from its Float working format.
protocol ResamplerSample {
    var floatValue: Float { get }
    static var zero: Self { get }
    /// How many of `input[start..<start+count]`'s last samples are exactly zero.
    static func trailingZeros(_ input: UnsafeBufferPointer<Self>, from start: Int, count: Int) -> Int
    /// Rounds and saturates for integer types.
    init(resampled value: Float)
}

extension Int16: ResamplerSample {
    var floatValue: Float { Float(self) }
    /// Sixteen samples per compare while they are zero, then one by one.
    static func trailingZeros(_ input: UnsafeBufferPointer<Int16>, from start: Int, count: Int) -> Int {
        let base = UnsafeRawPointer(input.baseAddress! + start)
        var end = count
        while end >= 16, base.loadUnaligned(fromByteOffset: (end - 16) * 2, as: SIMD16<Int16>.self) == .zero { end -= 16 }
        while end > 0, input[start + end - 1] == 0 { end -= 1 }
        return count - end
    }
    /// Rounds half away from zero by adding ±0.5 and truncating: `rounded()` is a call into libm
    /// on the x86-64 baseline (no SSE4.1 `roundss`), once per output sample.
    init(resampled value: Float) {
        guard !value.isNaN else { self = 0; return }
        let c = Swift.min(Swift.max(value, -32_768), 32_767)
        self = Int16(truncatingIfNeeded: Int32(c + (c < 0 ? -0.5 : 0.5)))
    }
}

extension Float: ResamplerSample {
    var floatValue: Float { self }
    init(resampled value: Float) { self = value }
    static func trailingZeros(_ input: UnsafeBufferPointer<Float>, from start: Int, count: Int) -> Int {
        var end = count
        while end > 0, input[start + end - 1] == 0 { end -= 1 }
        return count - end
    }
}

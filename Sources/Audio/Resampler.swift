/// Why a resampler could not be created or run.
public enum ResamplerError: Error, Equatable, Sendable {
    case unsupportedRate(Int)
    case unsupportedChannels(Int)
    case bufferTooSmall(needed: Int, available: Int)
}

/// A streaming band-limited sample-rate converter between 8, 16, 24 and 48 kHz.
///
/// Rational L/M polyphase filtering with a Kaiser-windowed sinc (90 dB stopband, passband to 42 %
/// of the lower rate). It keeps the last input samples between calls, so feeding a signal in any
/// chunking gives exactly the one-shot output. Buffers are allocated in `init`; `process`
/// allocates nothing. Output lags input by `groupDelay` output samples.
public final class Resampler {
    public static let supportedRates = [8_000, 16_000, 24_000, 48_000]

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

    public init(from inputRate: Int, to outputRate: Int, channels: Int = 1) throws(ResamplerError) {
        guard Self.supportedRates.contains(inputRate) else { throw .unsupportedRate(inputRate) }
        guard Self.supportedRates.contains(outputRate) else { throw .unsupportedRate(outputRate) }
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        let g = gcd(inputRate, outputRate)
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.channels = channels
        interpolation = outputRate / g
        decimation = inputRate / g
        let filter = ResamplerFilter(inputRate: inputRate, interpolation: interpolation, decimation: decimation)
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
        var written = 0
        var consumed = 0
        while consumed < frames {
            let chunk = min(Self.block, frames - consumed)
            for c in 0..<channels {
                let h = history + c * stride + keep
                for i in 0..<chunk { h[i] = input[(consumed + i) * channels + c].floatValue }
            }
            let span = chunk * l
            while offset < span {
                let j = offset / l
                let phase = coefficients + (offset - j * l) * taps
                for c in 0..<channels {
                    output[written] = S(resampled: dot(phase, history + c * stride + j, count: taps))
                    written += 1
                }
                offset += m
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
/// call to libm's `fmaf` per lane (it was 45 % of the endpoint's CPU).
@inline(__always)
private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD8<Float>()
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i < count {
        let x = ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        let y = rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        acc += x * y
        i += 8
    }
    return acc.sum()
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

/// A sample type the resampler converts to and from its Float working format.
protocol ResamplerSample {
    var floatValue: Float { get }
    /// Rounds and saturates for integer types.
    init(resampled value: Float)
}

extension Int16: ResamplerSample {
    var floatValue: Float { Float(self) }
    init(resampled value: Float) {
        let r = value.rounded()
        self = r >= 32_767 ? .max : r <= -32_768 ? .min : r.isNaN ? 0 : Int16(r)
    }
}

extension Float: ResamplerSample {
    var floatValue: Float { self }
    init(resampled value: Float) { self = value }
}

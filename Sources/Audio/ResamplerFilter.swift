import Glibc

/// The low-pass prototype of a polyphase resampler: a Kaiser-windowed sinc at the upsampled rate,
/// split into `interpolation` phases of `tapsPerPhase` taps each.
struct ResamplerFilter {
    /// Phase-major, each phase reversed and zero-padded to a multiple of 8, so output sample = dot
    /// product of one phase with a contiguous window of input (oldest sample first).
    let coefficients: [Float]
    let tapsPerPhase: Int
    /// Length of the prototype before padding; its group delay is (length - 1) / 2 upsampled samples.
    let length: Int

    /// The stopband starts at the lower rate's Nyquist frequency (as a fraction of that rate) and
    /// is attenuated by `quality.attenuationDB`; the passband ends at `quality.passbandEdge`.
    static let stopbandEdge = 0.50

    init(inputRate: Int, interpolation l: Int, decimation m: Int, quality: Resampler.Quality = .high) {
        if l == 1 && m == 1 {
            // Same rate: a single unit tap (pure copy, zero delay), padded like any other phase.
            coefficients = [Float](repeating: 0, count: 7) + [1]  // the newest sample's tap is last
            tapsPerPhase = 8
            length = 1
            return
        }
        let upsampledRate = Double(inputRate * l)
        let lowerRate = Double(min(inputRate, inputRate * l / m))
        let transition = (Self.stopbandEdge - quality.passbandEdge) * lowerRate
        let cutoff = (Self.stopbandEdge + quality.passbandEdge) / 2 * lowerRate / upsampledRate  // cycles per sample
        // Kaiser's estimates for β and the length reaching `attenuationDB` over `transition`.
        let a = quality.attenuationDB
        let beta = 0.1102 * (a - 8.7)
        let deltaOmega = 2 * Double.pi * transition / upsampledRate
        let n = Int(((a - 8) / (2.285 * deltaOmega)).rounded(.up)) + 1
        let realTaps = (n + l - 1) / l
        let taps = (realTaps + 7) / 8 * 8
        let centre = Double(n - 1) / 2
        let i0Beta = besselI0(beta)
        var h = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let x = Double(i) - centre
            let arg = 2 * cutoff * x
            let sinc = arg == 0 ? 1 : sin(Double.pi * arg) / (Double.pi * arg)
            let r = 2 * Double(i) / Double(n - 1) - 1
            h[i] = 2 * cutoff * sinc * besselI0(beta * (1 - r * r).squareRoot()) / i0Beta
        }
        // Unity gain at DC after zero-stuffing: the taps sum to L.
        let scale = Double(l) / h.reduce(0, +)
        var coefficients = [Float](repeating: 0, count: l * taps)
        for p in 0..<l {
            for k in 0..<taps {
                let i = p + k * l
                if i < n { coefficients[p * taps + (taps - 1 - k)] = Float(h[i] * scale) }
            }
        }
        self.coefficients = coefficients
        self.tapsPerPhase = taps
        self.length = n
    }
}

/// The zeroth-order modified Bessel function of the first kind, by its power series.
func besselI0(_ x: Double) -> Double {
    var sum = 1.0, term = 1.0
    let q = x * x / 4
    var k = 1.0
    while term > 1e-12 * sum {
        term *= q / (k * k)
        sum += term
        k += 1
    }
    return sum
}

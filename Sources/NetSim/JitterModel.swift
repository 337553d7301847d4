import MediaCore

/// How the random per-packet queueing delay (on top of the base latency) is drawn.
public enum JitterModel: Sendable, Equatable {
    /// No variation.
    case none
    /// Uniform in [0, max]: "`max` of jitter" peak to peak.
    case uniform(max: Duration)
    /// Exponential with `mean`, cut at `cap`: mostly small, with a long tail, as queues behave.
    case exponential(mean: Duration, cap: Duration)

    /// One draw.
    func sample(using rng: inout Xoshiro256StarStar) -> Duration {
        switch self {
        case .none:
            return .zero
        case let .uniform(max):
            return Duration(nanoseconds: Int64(rng.nextUnit() * Double(max.nanoseconds)))
        case let .exponential(mean, cap):
            // Inverse CDF: -mean·ln(1 - u), u in [0, 1).
            let u = rng.nextUnit()
            let x = -Double(mean.nanoseconds) * log1pNegative(u)
            return Duration(nanoseconds: Int64(Swift.min(x, Double(cap.nanoseconds))))
        }
    }
}

/// ln(1 - u) for u in [0, 1), without Foundation: a short series near 0 and the generic path elsewhere.
@inline(__always) func log1pNegative(_ u: Double) -> Double {
    if u < 1e-8 { return -u }
    return naturalLog(1 - u)
}

/// Natural logarithm by range reduction to [1, 2) and an atanh series; accurate to ~1e-15, which
/// is plenty for drawing delays (avoids importing Glibc into a pure module).
func naturalLog(_ x: Double) -> Double {
    guard x > 0 else { return -.infinity }
    let e = x.exponent
    let m = x.significand  // in [1, 2)
    let y = (m - 1) / (m + 1)
    let y2 = y * y
    var term = y, sum = 0.0, k = 1.0
    for _ in 0..<30 {
        sum += term / k
        term *= y2
        k += 2
    }
    return 2 * sum + Double(e) * 0.693_147_180_559_945_309_417_232_121_458
}

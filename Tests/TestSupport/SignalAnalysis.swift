import Foundation

/// A linear chirp from `f0` to `f1` Hz over `count` samples at 48 kHz: every lag looks different,
/// so cross-correlation finds the one true alignment.
public func chirp(count: Int, f0: Double = 200, f1: Double = 3_000, amplitude: Double = 12_000) -> [Int16] {
    let rate = 48_000.0, duration = Double(count) / rate
    return (0..<count).map { i in
        let t = Double(i) / rate
        let phase = 2 * Double.pi * (f0 * t + (f1 - f0) * t * t / (2 * duration))
        return Int16(amplitude * sin(phase))
    }
}

/// The lag (in samples, within `maxLag`) at which `received` best matches `sent`, and the
/// normalized correlation there (1 = identical shape).
/// Searches coarsely (every 4th lag over every 4th sample), then refines at full resolution.
public func bestAlignment(sent: [Int16], received: [Int16], maxLag: Int, window: Range<Int>) -> (lag: Int, correlation: Double) {
    func correlation(_ lag: Int, stride step: Int) -> Double {
        var dot = 0.0, ea = 0.0, eb = 0.0
        var i = window.lowerBound
        while i < window.upperBound, i + lag < received.count, i < sent.count {
            let a = Double(sent[i]), b = Double(received[i + lag])
            dot += a * b; ea += a * a; eb += b * b
            i += step
        }
        return (ea > 0 && eb > 0) ? dot / (ea * eb).squareRoot() : 0
    }
    var coarse = (lag: 0, correlation: -1.0)
    for lag in stride(from: 0, through: maxLag, by: 4) {
        let c = correlation(lag, stride: 4)
        if c > coarse.correlation { coarse = (lag, c) }
    }
    var best = (lag: 0, correlation: -1.0)
    for lag in max(0, coarse.lag - 8)...min(maxLag, coarse.lag + 8) {
        let c = correlation(lag, stride: 1)
        if c > best.correlation { best = (lag, c) }
    }
    return best
}


/// How well `received` reproduces `sent` when the path may stretch time (an adaptive jitter
/// buffer accelerating or expanding): finds the overall lag coarsely, then aligns each
/// `segment`-long piece of `sent` on its own within ±`slack` of it. Returns the median of the
/// segments' correlations and the overall lag.
public func segmentedMatch(sent: [Int16], received: [Int16], maxLag: Int, window: Range<Int>,
                           segment: Int = 9_600, slack: Int = 2_400) -> (lag: Int, medianCorrelation: Double) {
    func correlation(_ range: Range<Int>, lag: Int, stride step: Int) -> Double {
        var dot = 0.0, ea = 0.0, eb = 0.0
        var i = range.lowerBound
        while i < range.upperBound, i + lag < received.count, i < sent.count {
            if i + lag >= 0 {
                let a = Double(sent[i]), b = Double(received[i + lag])
                dot += a * b; ea += a * a; eb += b * b
            }
            i += step
        }
        return (ea > 0 && eb > 0) ? dot / (ea * eb).squareRoot() : 0
    }
    var global = (lag: 0, c: -1.0)
    for lag in stride(from: 0, through: maxLag, by: 8) {
        let c = correlation(window, lag: lag, stride: 16)
        if c > global.c { global = (lag, c) }
    }
    var scores: [Double] = []
    var start = window.lowerBound
    while start + segment <= window.upperBound {
        var best = -1.0
        for lag in stride(from: global.lag - slack, through: global.lag + slack, by: 2) {
            best = max(best, correlation(start..<start + segment, lag: lag, stride: 2))
        }
        scores.append(best)
        start += segment
    }
    scores.sort()
    return (global.lag, scores.isEmpty ? 0 : scores[scores.count / 2])
}

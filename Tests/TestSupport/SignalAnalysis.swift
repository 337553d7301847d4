import Foundation

/// A linear chirp from `f0` to `f1` Hz over `count` samples at `sampleRate` (48 kHz unless
/// told): every lag looks different, so cross-correlation finds the one true alignment.
public func chirp(count: Int, f0: Double = 200, f1: Double = 3_000, amplitude: Double = 12_000,
                  sampleRate: Double = 48_000) -> [Int16] {
    let rate = sampleRate, duration = Double(count) / rate
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

/// Frequency of a single-tone signal per `frame` samples, from its zero-crossing rate (48 kHz).
public func zeroCrossingFrequencies(_ x: [Int16], frame: Int = 960) -> [Double] {
    stride(from: 0, to: x.count - frame, by: frame).map { start in
        var crossings = 0
        for i in start + 1..<start + frame where (x[i - 1] < 0) != (x[i] < 0) { crossings += 1 }
        return Double(crossings) * 48_000 / Double(frame) / 2
    }
}

/// Phase-insensitive match for a chirp: the Pearson correlation of the sent and received
/// frequency tracks at the best frame lag (codecs that do not keep the waveform, such as SILK,
/// still keep the pitch). Frames that are silent in `received` are left out.
public func frequencyTrackMatch(sent: [Int16], received: [Int16], maxLagFrames: Int) -> (lagFrames: Int, correlation: Double) {
    let a = zeroCrossingFrequencies(sent), b = zeroCrossingFrequencies(received)
    let energy = stride(from: 0, to: received.count - 960, by: 960).map { s in
        received[s..<s + 960].reduce(0.0) { $0 + abs(Double($1)) } / 960
    }
    var best = (lagFrames: 0, correlation: -1.0)
    for lag in 0...maxLagFrames {
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<a.count where i + lag < b.count && energy[i + lag] > 500 {
            xs.append(a[i]); ys.append(b[i + lag])
        }
        guard xs.count >= a.count / 2 else { continue }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in zip(xs, ys) { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my) }
        let c = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
        if c > best.correlation { best = (lag, c) }
    }
    return best
}

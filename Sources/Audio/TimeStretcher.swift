/// Pitch-synchronous time stretching of decoded PCM (NetEq's accelerate / preemptive expand, a
/// WSOLA-style overlap-add): it finds the lag `p` at which the signal best repeats itself and
/// removes or inserts exactly `p` samples per channel, cross-fading across one lag so there is no
/// click and no audible jump. It only acts when the two segments correlate well (voiced speech,
/// tones) or the signal is near silence, where any lag is inaudible.
///
/// Removal (A = x[0..<p], B = x[p..<2p]): x → fadeOut(A)+fadeIn(B), x[2p...]   (p fewer)
/// Insertion:                               x → A, fadeOut(B)+fadeIn(A), x[p...]  (p more)
/// Both keep the first and last sample neighbours continuous with what surrounds them.
public struct TimeStretcher: Sendable {
    public let sampleRate: Int
    public let channels: Int
    /// Shortest and longest lag tried (2.5 ms ... 20 ms: one or two pitch periods of speech).
    public var minimumLag: Int
    public var maximumLag: Int
    /// Normalized correlation a lag needs before the signal is stretched.
    public var correlationThreshold: Double
    /// RMS (in PCM16 units) below which a segment counts as silence and any lag will do.
    public var silenceRMS: Double
    /// Samples averaged into one for the coarse lag search (12 kHz at any rate, at least 1).
    let coarseStep: Int

    public init(sampleRate: Int, channels: Int, correlationThreshold: Double = 0.6, silenceRMS: Double = 200) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.minimumLag = sampleRate / 400
        self.maximumLag = sampleRate / 50
        self.correlationThreshold = correlationThreshold
        self.silenceRMS = silenceRMS
        coarseStep = max(1, sampleRate / 12_000)
    }

    /// Removes one lag in `minimumRemoval...maximumRemoval` samples per channel from
    /// `pcm[start...]` (interleaved). Returns the samples per channel removed, 0 if none fits.
    public func accelerate(_ pcm: inout [Int16], from start: Int, minimumRemoval: Int, maximumRemoval: Int) -> Int {
        let frames = (pcm.count - start) / channels
        guard let p = bestLag(pcm, start: start, frames: frames, lower: minimumRemoval, upper: maximumRemoval,
                              whenSilent: .longest) else { return 0 }
        pcm.withUnsafeMutableBufferPointer { x in
            for i in 0..<p {
                let wb = Int32(i), wa = Int32(p - i)
                for c in 0..<channels {
                    let a = Int32(x[start + i * channels + c]), b = Int32(x[start + (i + p) * channels + c])
                    x[start + i * channels + c] = Int16(truncatingIfNeeded: (a * wa + b * wb) / Int32(p))
                }
            }
        }
        pcm.removeSubrange((start + p * channels)..<(start + 2 * p * channels))
        return p
    }

    /// NetEq's fast accelerate: removes pitch periods one after another along `pcm[start...]`,
    /// each found and cross-faded as in `accelerate`, until `maximumRemoval` samples per channel
    /// are gone or the pending audio runs out. Where a stretch of audio does not repeat well
    /// enough, it moves on by one shortest lag and tries again, up to `failedSearches` times in a
    /// row. Returns the samples removed.
    public func fastAccelerate(_ pcm: inout [Int16], from start: Int, maximumRemoval: Int, failedSearches: Int = .max) -> Int {
        var removed = 0
        var position = start
        var failures = 0
        while removed < maximumRemoval, failures < failedSearches {
            let frames = (pcm.count - position) / channels
            guard frames >= 2 * minimumLag else { break }
            let p = accelerate(&pcm, from: position, minimumRemoval: minimumLag, maximumRemoval: maximumRemoval - removed)
            if p > 0 {
                removed += p
                failures = 0
                // Past the cross-faded lag: the next removal starts on untouched audio.
                position += p * channels
            } else {
                failures += 1
                position += minimumLag * channels
            }
        }
        return removed
    }

    /// Inserts one lag in `minimumInsertion...maximumInsertion` samples per channel into
    /// `pcm[start...]`. Returns the samples per channel inserted, 0 if none fits.
    public func preemptiveExpand(_ pcm: inout [Int16], from start: Int, minimumInsertion: Int, maximumInsertion: Int) -> Int {
        let frames = (pcm.count - start) / channels
        guard let p = bestLag(pcm, start: start, frames: frames, lower: minimumInsertion, upper: maximumInsertion,
                              whenSilent: .shortest) else { return 0 }
        var block = [Int16](repeating: 0, count: p * channels)
        pcm.withUnsafeBufferPointer { x in
            for i in 0..<p {
                let wa = Int32(i), wb = Int32(p - i)
                for c in 0..<channels {
                    let a = Int32(x[start + i * channels + c]), b = Int32(x[start + (i + p) * channels + c])
                    block[i * channels + c] = Int16(truncatingIfNeeded: (b * wb + a * wa) / Int32(p))
                }
            }
        }
        pcm.insert(contentsOf: block, at: start + p * channels)
        return p
    }

    /// Inserts pitch periods one after another along `pcm[start...]` (each as in
    /// `preemptiveExpand`) until at least `minimumInsertion` samples per channel were added or the
    /// audio runs out, never more than `maximumInsertion`. For deficits larger than one lag fits,
    /// or a minimum between two multiples of the period. A failed search moves on by one shortest
    /// lag, up to `failedSearches` times in a row. Returns the samples inserted.
    public func repeatedPreemptiveExpand(_ pcm: inout [Int16], from start: Int, minimumInsertion: Int, maximumInsertion: Int,
                                         failedSearches: Int = .max) -> Int {
        var inserted = 0
        var position = start
        var failures = 0
        while inserted < minimumInsertion, inserted < maximumInsertion, failures < failedSearches {
            let frames = (pcm.count - position) / channels
            guard frames >= 2 * minimumLag else { break }
            let p = preemptiveExpand(&pcm, from: position, minimumInsertion: minimumLag, maximumInsertion: maximumInsertion - inserted)
            if p > 0 {
                inserted += p
                failures = 0
                // Past the original lag and the inserted one: the next insertion repeats fresh audio.
                position += 2 * p * channels
            } else {
                failures += 1
                position += minimumLag * channels
            }
        }
        return inserted
    }

    /// Which lag near silence takes, where any lag is inaudible: removing the longest allowed
    /// leaves no leftover for a later trim, inserting the shortest adds no delay beyond the need.
    enum SilentLag { case shortest, longest }

    /// The lag in `lower...upper` (clamped to the configured range and to half the frames) whose
    /// two adjacent segments correlate best, if that correlation passes. Near silence the lag
    /// `whenSilent` asks for, without a search and below `minimumLag` too (no pitch to keep; the
    /// silence is judged over at least two shortest lags). A coarse search in Float on the audio
    /// averaged over blocks of `coarseStep` samples (a crude low-pass to 6 kHz at 48 kHz: pitch
    /// lives far below) at every lag that is a multiple of the block, then two refinements at full
    /// rate around the winner: half the cost of a search in Double on every 2nd lag and 4th sample,
    /// which the jitter buffer repeats for each packet while the audio (a chirp, noise) will not repeat.
    func bestLag(_ pcm: [Int16], start: Int, frames: Int, lower: Int, upper: Int, whenSilent: SilentLag) -> Int? {
        let hi = min(upper, maximumLag, frames / 2)
        let silentLo = max(lower, 1)
        guard silentLo <= hi else { return nil }
        let lo = max(silentLo, minimumLag)
        let channels = self.channels
        return pcm.withUnsafeBufferPointer { x -> Int? in
            func isSilent(lag p: Int) -> Bool {
                let span = min(frames, 2 * max(p, minimumLag))
                var power = 0.0
                for i in 0..<span { let a = Double(x[start + i * channels]); power += a * a }
                return span > 0 && (power / Double(span)).squareRoot() < silenceRMS
            }
            // Near silence any lag is inaudible: no search (a voice call is silent in one direction
            // most of the time), and the exact amount the caller wants. A removal whose longest lag
            // reaches speech still takes the shortest if that one stays in the silence.
            switch whenSilent {
            case .longest:
                if isSilent(lag: hi) { return hi }
                if lo <= hi, isSilent(lag: lo) { return lo }
            case .shortest:
                if isSilent(lag: silentLo) { return silentLo }
            }
            guard lo <= hi else { return nil }
            func correlation(_ p: Int, stride s: Int) -> Double {
                var xy = 0.0, xx = 0.0, yy = 0.0
                var i = 0
                while i < p {
                    let a = Double(x[start + i * channels]), b = Double(x[start + (i + p) * channels])
                    xy += a * b; xx += a * a; yy += b * b
                    i += s
                }
                return (xx > 0 && yy > 0) ? xy / (xx * yy).squareRoot() : 0
            }
            let d = coarseStep
            let blocks = 2 * hi / d
            let coarse = withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, blocks)) { y -> Int in
                for k in 0..<blocks {
                    var sum: Int32 = 0
                    for i in (k * d)..<((k + 1) * d) { sum += Int32(x[start + i * channels]) }
                    y[k] = Float(sum)
                }
                var best = lo, bestCorr: Float = -2
                var q = (lo + d - 1) / d
                while q * d <= hi, 2 * q <= blocks {
                    var xy: Float = 0, xx: Float = 0, yy: Float = 0
                    for k in 0..<q {
                        let a = y[k], b = y[k + q]
                        xy += a * b; xx += a * a; yy += b * b
                    }
                    let c = (xx > 0 && yy > 0) ? xy / (xx * yy).squareRoot() : 0
                    if c > bestCorr { bestCorr = c; best = q * d }
                    q += 1
                }
                return best
            }
            var refined = coarse, refinedScore = correlation(coarse, stride: 2)
            for q in stride(from: max(lo, coarse - d + 2), through: min(hi, coarse + d - 2), by: 2) where q != coarse {
                let s = correlation(q, stride: 2)
                if s > refinedScore { refined = q; refinedScore = s }
            }
            let around = refined
            refinedScore = correlation(around, stride: 1)
            for q in max(lo, around - 1)...min(hi, around + 1) where q != around {
                let s = correlation(q, stride: 1)
                if s > refinedScore { refined = q; refinedScore = s }
            }
            return refinedScore >= correlationThreshold ? refined : nil
        }
    }
}

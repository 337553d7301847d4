/// What the jitter buffer does when its decoded-sample queue cannot fill the next tick, chosen by
/// `decide` from what is buffered and how the current delay compares with the target.
///
/// The delay is measured as the margin `M` the fastest packet would get: how long before it is
/// needed it arrives, which is the headroom `C` (see `DelayEstimator`) minus the `leftover` (the
/// samples of the previous packet still queued, which play before the next packet is needed).
/// `M` moves in whole ticks when samples are removed or inserted past the leftover: removing
/// `x > leftover` samples makes the next packet needed one tick earlier per started tick, inserting
/// `x ≥ tick - leftover` one tick later. So, with `k` whole ticks of excess `M - target`:
/// - `M ≥ target + fastExcess`: fast accelerate, removing up to `leftover + k·tick` over several packets;
/// - `M ≥ target + tick`: accelerate by `leftover < x ≤ leftover + k·tick`;
/// - `M < target - expandTolerance`: preemptive expand by `k·tick - leftover ≤ x < (k+1)·tick - leftover`;
/// - otherwise trim a large leftover (`x ≤ leftover`: less delay for every sample, same `M`).
/// Neither stretch takes `M` below the target, so it cannot make a packet late. The tolerance is
/// there because an expand moves `M` by a whole tick: without it a margin 20 µs short of a target
/// that already carries the estimator's safety margin bought 10 ms of delay, which the next
/// accelerate gave back half a second later (seen on a loaded 2-core machine, where the target
/// steps by 1 ms around the margin the call actually has).
public enum JitterDecision: Sendable, Equatable {
    /// Decode the next packet as it is.
    case normal
    /// Decode, then remove between `minimum` and `maximum` samples per channel.
    case accelerate(minimum: Int, maximum: Int)
    /// Far above the target: decode the next packets too (up to a window), then remove pitch
    /// periods repeatedly, at most `maximum` samples per channel (NetEq's fast accelerate).
    case fastAccelerate(maximum: Int)
    /// Decode, then insert between `minimum` and `maximum` samples per channel.
    case preemptiveExpand(minimum: Int, maximum: Int)
    /// Conceal `samples` per channel (PLC): nothing playable is buffered.
    case expand(samples: Int)
    /// Rebuild the lost `samples` just before the next packet from its in-band FEC.
    case fec(samples: Int)
    /// Skip a gap too long to conceal.
    case skip

    /// What is buffered relative to the playout position (all in samples per channel).
    public enum Next: Sendable, Equatable {
        /// Nothing buffered.
        case none
        /// The packet that continues the playout is there.
        case expected
        /// The next buffered packet starts `gap` samples later; `lastLossIsBeforeIt` when only the
        /// packet right before it is missing (its FEC can rebuild a gap of exactly one frame).
        case gap(samples: Int, nextPacketSamples: Int, lastLossIsBeforeIt: Bool)
    }

    /// Picks the operation. `margin` (`M` above) and `target` are in samples per channel (may be negative);
    /// `unit` is the codec's concealment granularity (2.5 ms for Opus); `maximumGap` the longest
    /// gap worth concealing; `fastExcess` the excess over the target from which fast accelerate
    /// takes over; `expandTolerance` how far below the target `M` may be before a preemptive expand.
    public static func decide(next: Next, margin: Int, target: Int, leftover: Int, tick: Int,
                              unit: Int, maximumGap: Int, leftoverTrim: Int, fastExcess: Int = .max,
                              expandTolerance: Int = 0) -> JitterDecision {
        switch next {
        case .none:
            return .expand(samples: roundUp(max(tick - leftover, unit), unit))
        case let .gap(gap, nextSamples, single):
            if gap > maximumGap { return .skip }
            if single, gap == nextSamples, gap % unit == 0 { return .fec(samples: gap) }
            // Conceal up to where the last lost frame starts, so FEC can rebuild that one.
            let before = gap - nextSamples
            let chunk = before >= unit ? before : gap
            // At most 120 ms per operation (48 units of 2.5 ms): libopus's longest frame.
            let samples = min(chunk, 48 * unit) / unit * unit
            return samples >= unit ? .expand(samples: samples) : .skip
        case .expected:
            let excess = margin - target
            if excess >= fastExcess { return .fastAccelerate(maximum: leftover + excess / tick * tick) }
            if excess >= tick {
                let k = excess / tick
                return .accelerate(minimum: leftover + 1, maximum: leftover + k * tick)
            }
            if excess < -expandTolerance {
                let k = (-excess + tick - 1) / tick
                return .preemptiveExpand(minimum: max(1, k * tick - leftover), maximum: (k + 1) * tick - leftover - 1)
            }
            if leftover >= leftoverTrim { return .accelerate(minimum: 1, maximum: leftover) }
            return .normal
        }
    }

    private static func roundUp(_ x: Int, _ unit: Int) -> Int { (x + unit - 1) / unit * unit }
}

import MediaCore

/// Estimates how much buffering the arrival jitter needs, the way NetEq does — from each packet's
/// relative arrival delay against the fastest packet in a sliding window — but with a 1 ms step
/// (NetEq's histogram uses 20 ms buckets) and a fast forgetting of one-off spikes.
///
/// A packet's relative arrival is `arrival - timestamp / clockRate`; its relative delay `d` is that
/// minus the smallest relative arrival in the window (the fastest packet). A playout that leaves
/// the fastest packet `h` of headroom plays every packet with `d ≤ h` on time, so the target
/// headroom is the `quantile` of `d` over the window, rounded up to `step`, plus `margin`.
///
/// Start: until `warmup` of arrivals has been seen, the target is at least `startHeadroom` (NetEq
/// likewise starts from a fixed start delay), since a few packets say little about the jitter.
///
/// Forgetting: once the last `steadyPeriod` of arrivals all stayed below half the current target
/// (and the target is above `spikeFloor`), history older than `steadyPeriod` is dropped, so a
/// spike stops inflating the target about `steadyPeriod` after arrivals are steady again. The
/// floor (60 ms) is above ordinary jitter tails (Wi-Fi's reach 40 ms): forgetting those would
/// leave a target made of a quarter second of history, and each packet beyond it is concealed.
/// The 10 s window makes a packet later than every one before it rare (about 1 in 500).
public struct DelayEstimator: Sendable {
    public var quantile: Double
    public var window: Duration
    public var steadyPeriod: Duration
    public var spikeFloor: Duration
    public var step: Duration
    public var margin: Duration
    public var maximumHeadroom: Duration
    public var startHeadroom: Duration
    public var warmup: Duration

    private var history: [(arrival: Instant, relative: Int64)] = []
    private var head = 0
    private var scratch: [Int64] = []
    /// Arrival of the first packet since the last reset, and of the latest one (for `warmup`).
    private var firstArrival: Instant?
    private var lastArrival: Instant?
    /// The smallest relative arrival (ns) in the window: the fastest packet.
    public private(set) var fastestRelativeArrival: Int64?
    /// Headroom the fastest packet needs so `quantile` of packets are on time.
    public private(set) var targetHeadroom: Duration = .zero
    /// Headroom the jitter alone asks for (the quantile, without step rounding or margin).
    public private(set) var jitterHeadroom: Duration = .zero

    public init(quantile: Double = 1.0, window: Duration = .seconds(10), steadyPeriod: Duration = .milliseconds(250),
                spikeFloor: Duration = .milliseconds(60), step: Duration = .milliseconds(1),
                margin: Duration = .milliseconds(2), maximumHeadroom: Duration = .seconds(1),
                startHeadroom: Duration = .milliseconds(50), warmup: Duration = .milliseconds(300)) {
        self.quantile = quantile
        self.window = window
        self.steadyPeriod = steadyPeriod
        self.spikeFloor = spikeFloor
        self.step = step
        self.margin = margin
        self.maximumHeadroom = maximumHeadroom
        self.startHeadroom = startHeadroom
        self.warmup = warmup
    }

    /// Packets in the window.
    public var sampleCount: Int { history.count - head }

    /// Feeds one arrival: `mediaTime` is the packet's timestamp as a duration from any fixed origin.
    public mutating func update(arrival: Instant, mediaTime: Duration) {
        if firstArrival == nil { firstArrival = arrival }
        lastArrival = arrival
        history.append((arrival, arrival.nanoseconds - mediaTime.nanoseconds))
        while head < history.count, arrival - history[head].arrival > window { head += 1 }
        recompute()
        forgetSpikeIfSteady(now: arrival)
        if head > 1_024 {
            history.removeFirst(head)
            head = 0
        }
    }

    /// Forgets everything (a resync: timestamps restart).
    public mutating func reset() {
        history.removeAll(keepingCapacity: true)
        head = 0
        fastestRelativeArrival = nil
        firstArrival = nil
        lastArrival = nil
        targetHeadroom = .zero
        jitterHeadroom = .zero
    }

    private mutating func recompute() {
        scratch.removeAll(keepingCapacity: true)
        var minimum = Int64.max
        for i in head..<history.count { minimum = min(minimum, history[i].relative) }
        guard minimum != .max else { return }
        fastestRelativeArrival = minimum
        for i in head..<history.count { scratch.append(history[i].relative - minimum) }
        let q: Int64
        if quantile >= 1 {
            q = scratch.max() ?? 0  // the default: no sort needed
        } else {
            scratch.sort()
            let rank = Int((quantile * Double(scratch.count - 1)).rounded(.up))
            q = scratch[min(scratch.count - 1, max(0, rank))]
        }
        jitterHeadroom = Duration(nanoseconds: q)
        let s = max(1, step.nanoseconds)
        let rounded = (q + s - 1) / s * s
        targetHeadroom = min(maximumHeadroom, Duration(nanoseconds: rounded) + margin)
        if let first = firstArrival, let last = lastArrival, last - first < warmup {
            targetHeadroom = max(targetHeadroom, startHeadroom)
        }
    }

    private mutating func forgetSpikeIfSteady(now: Instant) {
        guard targetHeadroom > spikeFloor, let fastest = fastestRelativeArrival,
              now - history[head].arrival > steadyPeriod else { return }
        var recentMax = Int64.min
        var firstRecent = history.count
        for i in stride(from: history.count - 1, through: head, by: -1) {
            guard now - history[i].arrival <= steadyPeriod else { break }
            recentMax = max(recentMax, history[i].relative - fastest)
            firstRecent = i
        }
        guard recentMax != .min, recentMax * 2 < targetHeadroom.nanoseconds else { return }
        head = firstRecent
        recompute()
    }
}

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
    /// Indices into `history` whose relative arrivals rise (`minima`) or fall (`maxima`) from
    /// front to back: the fronts are the window's fastest and slowest packets, so the default
    /// quantile (the maximum) costs O(1) per packet instead of two passes over a 10 s window.
    private var minima = MonotonicIndices(), maxima = MonotonicIndices()
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
        let relative = arrival.nanoseconds - mediaTime.nanoseconds
        history.append((arrival, relative))
        minima.append(history.count - 1) { history[$0].relative >= relative }
        maxima.append(history.count - 1) { history[$0].relative <= relative }
        while head < history.count, arrival - history[head].arrival > window { head += 1 }
        recompute()
        forgetSpikeIfSteady(now: arrival)
        if head > 1_024 {
            history.removeFirst(head)
            minima.shift(by: head)
            maxima.shift(by: head)
            head = 0
        }
    }

    /// Forgets everything (a resync: timestamps restart).
    public mutating func reset() {
        history.removeAll(keepingCapacity: true)
        head = 0
        minima = MonotonicIndices()
        maxima = MonotonicIndices()
        fastestRelativeArrival = nil
        firstArrival = nil
        lastArrival = nil
        targetHeadroom = .zero
        jitterHeadroom = .zero
    }

    private mutating func recompute() {
        minima.dropFront(before: head)
        maxima.dropFront(before: head)
        guard let fastest = minima.front, let slowest = maxima.front else { return }
        let minimum = history[fastest].relative
        fastestRelativeArrival = minimum
        let q: Int64
        if quantile >= 1 {
            q = history[slowest].relative - minimum  // the default: the window's maximum
        } else {
            scratch.removeAll(keepingCapacity: true)
            for i in head..<history.count { scratch.append(history[i].relative - minimum) }
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

/// A monotonic deque of indices for a sliding-window minimum or maximum: `append` first drops
/// the back entries that the new one dominates, so every entry is the extreme of the window from
/// its position on and the front is the whole window's.
struct MonotonicIndices: Sendable {
    private var indices: [Int] = []
    private var start = 0

    var front: Int? { start < indices.count ? indices[start] : nil }

    mutating func append(_ index: Int, dropping dominated: (Int) -> Bool) {
        while indices.count > start, dominated(indices[indices.count - 1]) { indices.removeLast() }
        indices.append(index)
    }

    /// Forgets entries that left the window (index below `head`).
    mutating func dropFront(before head: Int) {
        while start < indices.count, indices[start] < head { start += 1 }
        if start > 256 {
            indices.removeFirst(start)
            start = 0
        }
    }

    /// The history lost its first `n` entries: every index moves down by `n`.
    mutating func shift(by n: Int) {
        indices.removeFirst(start)
        start = 0
        for i in indices.indices { indices[i] -= n }
    }
}

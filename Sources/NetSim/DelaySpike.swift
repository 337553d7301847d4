import MediaCore

/// A scripted delay spike: every packet sent in `[start, start + duration)` takes `extraDelay`
/// longer. On a FIFO link this stalls the stream and then releases it as a burst, as a radio
/// hand-over or a bufferbloated queue does.
public struct DelaySpike: Sendable, Equatable {
    public var start: Instant
    public var duration: Duration
    public var extraDelay: Duration

    public init(start: Instant, duration: Duration, extraDelay: Duration) {
        self.start = start
        self.duration = duration
        self.extraDelay = extraDelay
    }

    /// The window's end (exclusive).
    public var end: Instant { start + duration }

    /// Whether a packet sent at `t` is delayed by this spike.
    public func covers(_ t: Instant) -> Bool { t >= start && t < end }
}

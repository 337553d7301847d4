/// A time on a media clock, counted in ticks of `clockRate` Hz (RTP timestamps, sample counts).
///
/// Unlike the 32-bit RTP timestamp on the wire this is unwrapped (64-bit), so it can be compared
/// and subtracted directly. Convert to wall durations only at the edges.
public struct MediaTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var ticks: Int64
    public let clockRate: Int32

    @inlinable public init(ticks: Int64, clockRate: Int32) {
        self.ticks = ticks
        self.clockRate = clockRate
    }

    /// The span this many ticks covers at `clockRate`.
    @inlinable public var duration: Duration {
        Duration(nanoseconds: ticks * 1_000_000_000 / Int64(clockRate))
    }

    /// Ticks in `d` at `clockRate`, rounded toward zero.
    @inlinable public static func ticks(in d: Duration, clockRate: Int32) -> Int64 {
        d.nanoseconds * Int64(clockRate) / 1_000_000_000
    }

    /// The same instant on another clock, rounded toward zero.
    @inlinable public func converted(to rate: Int32) -> MediaTime {
        MediaTime(ticks: ticks * Int64(rate) / Int64(clockRate), clockRate: rate)
    }

    /// Compares ticks; both sides must share a clock rate (a mismatch is a programming error).
    @inlinable public static func < (a: MediaTime, b: MediaTime) -> Bool {
        precondition(a.clockRate == b.clockRate, "MediaTime compared across clock rates")
        return a.ticks < b.ticks
    }
    @inlinable public static func + (a: MediaTime, ticks: Int64) -> MediaTime { MediaTime(ticks: a.ticks + ticks, clockRate: a.clockRate) }
    @inlinable public static func - (a: MediaTime, b: MediaTime) -> Int64 {
        precondition(a.clockRate == b.clockRate, "MediaTime subtracted across clock rates")
        return a.ticks - b.ticks
    }

    public var description: String { "\(ticks)@\(clockRate)Hz" }
}

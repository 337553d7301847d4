/// A 32-bit RTP timestamp with wrap-around arithmetic: at 48 kHz it wraps every ~24.9 hours, and
/// its start is random (RFC 3550 §5.1), so wrap can come at any time in a call.
public struct RTPTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: UInt32
    @inlinable public init(_ raw: UInt32) { self.raw = raw }

    /// Signed ticks from self to `other` (positive when `other` is later), assuming the two lie
    /// within 2^31 ticks of each other.
    @inlinable public func distance(to other: RTPTimestamp) -> Int64 {
        Int64(Int32(bitPattern: other.raw &- raw))
    }
    @inlinable public static func < (a: RTPTimestamp, b: RTPTimestamp) -> Bool { a.distance(to: b) > 0 }
    @inlinable public static func &+ (a: RTPTimestamp, ticks: UInt32) -> RTPTimestamp { RTPTimestamp(a.raw &+ ticks) }
    @inlinable public static func &- (a: RTPTimestamp, ticks: UInt32) -> RTPTimestamp { RTPTimestamp(a.raw &- ticks) }
    public var description: String { "ts\(raw)" }
}

/// Unwraps 32-bit RTP timestamps into 64-bit `MediaTime` on one clock, the way
/// `SequenceUnwrapper` does for sequence numbers.
public struct TimestampUnwrapper: Sendable {
    public let clockRate: Int32
    @usableFromInline var lastValue: Int64?
    /// The highest unwrapped value seen, if any.
    public var last: Int64? { lastValue }

    public init(clockRate: Int32) { self.clockRate = clockRate }

    @inlinable public mutating func unwrap(_ ts: RTPTimestamp) -> MediaTime {
        guard let last = lastValue else {
            self.lastValue = Int64(ts.raw)
            return MediaTime(ticks: Int64(ts.raw), clockRate: clockRate)
        }
        let delta = Int64(Int32(bitPattern: ts.raw &- UInt32(truncatingIfNeeded: last)))
        let value = last + delta
        if delta > 0 { self.lastValue = value }
        return MediaTime(ticks: value, clockRate: clockRate)
    }

    public mutating func reset() { lastValue = nil }
}

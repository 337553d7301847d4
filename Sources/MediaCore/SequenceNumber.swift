/// A 16-bit RTP sequence number with wrap-around ordering (RFC 3550 §A.1, RFC 1982 serial
/// arithmetic): `a < b` when b is ahead of a by less than half the number space.
public struct SequenceNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: UInt16
    @inlinable public init(_ raw: UInt16) { self.raw = raw }

    /// Signed distance from self to `other` (positive when `other` is ahead), in -32768...32767.
    @inlinable public func distance(to other: SequenceNumber) -> Int {
        Int(Int16(bitPattern: other.raw &- raw))
    }
    @inlinable public static func < (a: SequenceNumber, b: SequenceNumber) -> Bool { a.distance(to: b) > 0 }
    @inlinable public static func &+ (a: SequenceNumber, n: UInt16) -> SequenceNumber { SequenceNumber(a.raw &+ n) }
    public var description: String { "#\(raw)" }
}

/// Turns a stream of 16-bit sequence numbers into a monotonic 64-bit index, so wrap at 65535
/// disappears for everything downstream (jitter buffer keys, loss counting).
///
/// A number is placed at the unwrapped value closest to the last one seen, so reordering by less
/// than half the space (32768 packets) is placed correctly before or after.
public struct SequenceUnwrapper: Sendable {
    @usableFromInline var lastValue: Int64?
    /// The highest unwrapped value seen, if any.
    public var last: Int64? { lastValue }

    public init() {}

    /// The unwrapped index of `seq`; advances the reference only when the packet moves forward.
    @inlinable public mutating func unwrap(_ seq: UInt16) -> Int64 {
        guard let last = lastValue else {
            self.lastValue = Int64(seq)
            return Int64(seq)
        }
        let delta = Int64(Int16(bitPattern: seq &- UInt16(truncatingIfNeeded: last)))
        let value = last + delta
        if delta > 0 { self.lastValue = value }
        return value
    }

    /// Forgets history (a new SSRC, or a resync after an absurd jump).
    public mutating func reset() { lastValue = nil }
}

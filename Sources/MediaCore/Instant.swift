/// A point on a monotonic clock, in nanoseconds from an arbitrary origin.
///
/// Protocol cores never read a clock: the runtime reads one and passes `Instant`s in, so tests can
/// drive the same code in virtual time. Integer nanoseconds keep arithmetic exact and cheap.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The origin of a virtual clock (tests and simulations start here).
    public static let zero = Instant(nanoseconds: 0)

    @inlinable public static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: Instant, d: Duration) -> Instant { Instant(nanoseconds: a.nanoseconds &+ d.nanoseconds) }
    @inlinable public static func - (a: Instant, d: Duration) -> Instant { Instant(nanoseconds: a.nanoseconds &- d.nanoseconds) }
    @inlinable public static func - (a: Instant, b: Instant) -> Duration { Duration(nanoseconds: a.nanoseconds &- b.nanoseconds) }
    @inlinable public static func += (a: inout Instant, d: Duration) { a = a + d }

    public var description: String { "Instant(\(Duration(nanoseconds: nanoseconds)))" }

    /// The first instant at or after this one on a grid of `period` steps from the origin. Media
    /// ticks of several calls put on one grid wake their threads together, not each at its own
    /// phase. `period` must be positive.
    @inlinable public func roundedUp(toMultipleOf period: Duration) -> Instant {
        let p = period.nanoseconds
        let r = ((nanoseconds % p) + p) % p
        return r == 0 ? self : Instant(nanoseconds: nanoseconds - r + p)
    }
}

/// A signed span of time in nanoseconds.
///
/// Deliberately shadows `Swift.Duration` inside this package: the media path wants a 64-bit
/// integer it can add, compare and divide without the standard type's 128-bit attosecond cost.
public struct Duration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = Duration(nanoseconds: 0)
    @inlinable public static func nanoseconds(_ n: Int) -> Duration { Duration(nanoseconds: Int64(n)) }
    @inlinable public static func microseconds(_ n: Int) -> Duration { Duration(nanoseconds: Int64(n) &* 1_000) }
    @inlinable public static func milliseconds(_ n: Int) -> Duration { Duration(nanoseconds: Int64(n) &* 1_000_000) }
    @inlinable public static func seconds(_ n: Int) -> Duration { Duration(nanoseconds: Int64(n) &* 1_000_000_000) }
    /// Fractional seconds, rounded to the nearest nanosecond.
    @inlinable public static func seconds(_ s: Double) -> Duration { Duration(nanoseconds: Int64((s * 1e9).rounded())) }

    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }
    @inlinable public var milliseconds: Double { Double(nanoseconds) / 1e6 }
    @inlinable public var microseconds: Double { Double(nanoseconds) / 1e3 }

    @inlinable public static func < (a: Duration, b: Duration) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: Duration, b: Duration) -> Duration { Duration(nanoseconds: a.nanoseconds &+ b.nanoseconds) }
    @inlinable public static func - (a: Duration, b: Duration) -> Duration { Duration(nanoseconds: a.nanoseconds &- b.nanoseconds) }
    @inlinable public static func * (a: Duration, k: Int64) -> Duration { Duration(nanoseconds: a.nanoseconds &* k) }
    @inlinable public static func / (a: Duration, k: Int64) -> Duration { Duration(nanoseconds: a.nanoseconds / k) }
    @inlinable public static prefix func - (a: Duration) -> Duration { Duration(nanoseconds: 0 &- a.nanoseconds) }
    @inlinable public static func += (a: inout Duration, b: Duration) { a = a + b }
    @inlinable public static func -= (a: inout Duration, b: Duration) { a = a - b }

    public var description: String {
        let a = abs(nanoseconds)
        if a >= 1_000_000_000 { return "\(seconds)s" }
        if a >= 1_000_000 { return "\(milliseconds)ms" }
        if a >= 1_000 { return "\(microseconds)µs" }
        return "\(nanoseconds)ns"
    }
}

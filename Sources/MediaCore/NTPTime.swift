/// A wall-clock time in the 64-bit NTP format of RFC 5905: seconds since 1900 in the high 32 bits,
/// a binary fraction of a second in the low 32. RTCP sender reports carry it, and the "middle 32
/// bits" of it are what LSR/DLSR round-trip arithmetic uses (RFC 3550 §6.4.1).
public struct NTPTime: Hashable, Comparable, Sendable {
    public var raw: UInt64

    @inlinable public init(raw: UInt64) { self.raw = raw }
    @inlinable public init(seconds: UInt32, fraction: UInt32) { raw = UInt64(seconds) << 32 | UInt64(fraction) }

    /// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
    public static let unixEpochOffset: UInt64 = 2_208_988_800

    /// From nanoseconds since the Unix epoch (the runtime reads the wall clock and passes it in).
    @inlinable public init(unixNanoseconds ns: Int64) {
        let secs = UInt64(ns / 1_000_000_000) + NTPTime.unixEpochOffset
        let rem = UInt64(ns % 1_000_000_000)
        raw = (secs << 32) | ((rem << 32) / 1_000_000_000)
    }

    @inlinable public var seconds: UInt32 { UInt32(truncatingIfNeeded: raw >> 32) }
    @inlinable public var fraction: UInt32 { UInt32(truncatingIfNeeded: raw) }
    /// The middle 32 bits, in units of 1/65536 s: the LSR field of a report block.
    @inlinable public var compact: UInt32 { UInt32(truncatingIfNeeded: raw >> 16) }

    /// Converts a span in 1/65536 s units (as in DLSR or a compact difference) to a `Duration`.
    @inlinable public static func duration(compactUnits: UInt32) -> Duration {
        Duration(nanoseconds: Int64(compactUnits) * 1_000_000_000 / 65_536)
    }

    @inlinable public static func < (a: NTPTime, b: NTPTime) -> Bool { a.raw < b.raw }
}

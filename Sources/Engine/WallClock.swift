import MediaCore

/// Maps monotonic `Instant`s to NTP wall-clock time from one anchor the runtime reads once
/// (both clocks read together by the runtime at session start). RTCP sender reports need wall time; the
/// cores stay clock-free and a wall-clock step during a call cannot bend RTT arithmetic.
public struct WallClock: Sendable, Equatable {
    public let anchorInstant: Instant
    public let anchorNTP: NTPTime

    public init(anchorInstant: Instant, anchorNTP: NTPTime) {
        self.anchorInstant = anchorInstant
        self.anchorNTP = anchorNTP
    }

    /// NTP time at `instant`.
    public func ntp(at instant: Instant) -> NTPTime {
        let delta = instant - anchorInstant
        // 2^32 fraction units per second: ns * 2^32 / 1e9, split to keep within 64 bits.
        let ns = delta.nanoseconds
        let whole = ns / 1_000_000_000, rest = ns % 1_000_000_000
        let units = (whole << 32) + (rest << 32) / 1_000_000_000
        return NTPTime(raw: UInt64(bitPattern: Int64(bitPattern: anchorNTP.raw) &+ units))
    }
}

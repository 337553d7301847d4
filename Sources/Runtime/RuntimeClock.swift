import Engine
import Glibc
import MediaCore

/// The clocks the runtime reads, in one place: cores are handed `Instant`s and a `WallClock`.
public enum RuntimeClock {
    /// `clock_gettime(CLOCK_MONOTONIC)` as an `Instant`.
    public static func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// The monotonic and wall clocks read together: the anchor RTCP maps one onto the other with.
    public static func wallClock() -> WallClock {
        var real = timespec()
        let monotonic = now()
        clock_gettime(CLOCK_REALTIME, &real)
        return WallClock(anchorInstant: monotonic,
                         anchorNTP: NTPTime(unixNanoseconds: Int64(real.tv_sec) * 1_000_000_000 + Int64(real.tv_nsec)))
    }

    /// 64 random bits from the system generator, for SSRCs, sequence starts and seeds.
    public static func random64() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }

    /// Sleeps until `deadline` on the monotonic clock (`clock_nanosleep`, absolute).
    public static func sleep(until deadline: Instant) {
        var ts = timespec(tv_sec: Int(deadline.nanoseconds / 1_000_000_000), tv_nsec: Int(deadline.nanoseconds % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }
}

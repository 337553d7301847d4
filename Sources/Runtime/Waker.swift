import CLinux
import Glibc
import MediaCore
import Synchronization

/// Wakes a runtime thread that sleeps in `wait`: an eventfd that any thread (or a C callback) may
/// signal. A wake while one is already pending costs one atomic exchange and no system call, so a
/// burst of ring pushes, pops and inbox posts between two waits collapses into one wake-up.
public final class Waker: @unchecked Sendable {
    private let fd: Int32
    /// Set by the first `wake` after a `wait`, cleared by the next `wait`.
    private let pending = Atomic<Bool>(false)

    public init() {
        fd = clinux_eventfd()
        // Without it the runtime cannot run at all (out of descriptors at start-up).
        guard fd >= 0 else { fatalError("eventfd() failed: errno \(errno)") }
    }

    deinit { close(fd) }

    public func wake() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Sleeps until woken or until `deadline` (nil: until woken); consumes pending wakes. `ppoll`
    /// (`clinux_wait_readable`) takes the remaining time in nanoseconds, so media deadlines are
    /// not rounded up to whole milliseconds.
    public func wait(until deadline: Instant?) {
        if !pending.load(ordering: .acquiring) {
            let timeout = deadline.map { max(0, ($0 - RuntimeClock.now()).nanoseconds) } ?? -1
            _ = clinux_wait_readable(fd, timeout)
        }
        // Clear first, then reset the counter: a wake landing in between writes again and the
        // next wait sees it pending, so none is lost.
        pending.store(false, ordering: .releasing)
        var count: UInt64 = 0
        _ = read(fd, &count, 8)
    }
}

import Glibc
import MediaCore

/// Wakes a runtime thread that sleeps in `wait`: a non-blocking pipe that any thread (or a C
/// callback) may write a byte to. Several wakes before a wait collapse into one drain.
public final class Waker: @unchecked Sendable {
    // Immutable descriptors; pipe reads and writes are thread-safe.
    private let readEnd: Int32
    private let writeEnd: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        // Without a pipe the runtime cannot run at all (out of descriptors at start-up).
        guard pipe(&fds) == 0 else { fatalError("pipe() failed: errno \(errno)") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    public func wake() {
        var one: UInt8 = 1
        _ = write(writeEnd, &one, 1)   // a full pipe already means "awake"
    }

    /// Sleeps until woken or until `deadline` (nil: until woken); clears pending wakes.
    public func wait(until deadline: Instant?) {
        var timeoutMs: Int32 = -1
        if let deadline {
            let remaining = deadline - RuntimeClock.now()
            timeoutMs = remaining.nanoseconds <= 0 ? 0 : Int32(clamping: (remaining.nanoseconds + 999_999) / 1_000_000)
        }
        var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        if poll(&p, 1, timeoutMs) > 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(readEnd, &buffer, 64) > 0 {}
        }
    }
}

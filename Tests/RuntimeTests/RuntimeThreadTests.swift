import Testing
import MediaCore
import Synchronization
@testable import Runtime

/// The runtime's paced thread: a device clock on absolute deadlines, catching up or resyncing.
@Suite struct RuntimeThreadTests {
    /// Due instants of the first `count` ticks, the first of which stalls for 150 ms.
    private func dues(resyncAfter: Duration?, count: Int = 4) -> [Instant] {
        let seen = Mutex<[Instant]>([])
        let thread = RuntimeThread.paced(period: .milliseconds(10), resyncAfter: resyncAfter) { due in
            let n = seen.withLock { $0.append(due); return $0.count }
            if n == 1 { RuntimeClock.sleep(until: RuntimeClock.now() + .milliseconds(150)) }
        }
        while seen.withLock({ $0.count }) < count { RuntimeClock.sleep(until: RuntimeClock.now() + .milliseconds(5)) }
        thread.stop()
        return Array(seen.withLock { $0 }.prefix(count))
    }

    @Test func lateTicksAreCaughtUpOnTheGrid() {
        let d = dues(resyncAfter: nil)
        for k in 1..<d.count { #expect(d[k] - d[0] == .milliseconds(10 * k)) }
    }

    @Test func aStallLongerThanResyncAfterRestartsTheGridFromNow() {
        let d = dues(resyncAfter: .milliseconds(100))
        #expect(d[1] - d[0] >= .milliseconds(150))
        #expect(d[2] - d[1] == .milliseconds(10))
    }
}

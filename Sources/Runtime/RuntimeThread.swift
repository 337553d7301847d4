import Glibc
import MediaCore
import Synchronization

/// A thread the runtime owns, for layers above it that need one (the Realtime client's loop, a
/// stand-in sound card): they hand in the work, the runtime keeps the pthread, the clock and the
/// sleeping, so only this layer creates threads and reads the clock.
public final class RuntimeThread: @unchecked Sendable {
    // @unchecked: `thread` is touched only by `start` and `stop`, which the owner calls in order.
    private let running = Atomic<Bool>(true)
    private var thread: pthread_t?
    private let body: (RuntimeThread) -> Void

    /// Starts `body` on a new thread; it should return once `isRunning` turns false.
    public init(_ body: @escaping (RuntimeThread) -> Void) {
        self.body = body
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            let me = Unmanaged<RuntimeThread>.fromOpaque(arg!).takeRetainedValue()
            me.body(me)
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        thread = t
    }

    /// A thread that calls `tick` every `period` on absolute deadlines (`clock_nanosleep`), the
    /// first at `firstTick` (now if nil), passing each tick's due instant. A tick that runs late
    /// is caught up by the following ones unless it is more than `resyncAfter` late: then the
    /// grid restarts from now (a stand-in for an audio device that would have dropped the frames).
    public static func paced(period: Duration, firstTick: Instant? = nil, resyncAfter: Duration? = nil,
                             _ tick: @escaping (Instant) -> Void) -> RuntimeThread {
        RuntimeThread { thread in
            var next = firstTick ?? RuntimeClock.now()
            RuntimeClock.sleep(until: next)
            while thread.isRunning {
                tick(next)
                next = next + period
                if let resyncAfter {
                    let now = RuntimeClock.now()
                    if next < now - resyncAfter { next = now }
                }
                RuntimeClock.sleep(until: next)
            }
        }
    }

    public var isRunning: Bool { running.load(ordering: .acquiring) }

    /// Asks the body to return and joins the thread. Idempotent; not from the thread itself.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing), let t = thread else { return }
        pthread_join(t, nil)
        thread = nil
    }
}

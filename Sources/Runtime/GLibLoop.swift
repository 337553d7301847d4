internal import CNice
import CLinux
import Glibc
import MediaCore

/// A GLib main context run by its own thread: libnice schedules its sockets and timers there.
/// The thread is the runtime's; nothing else iterates this context.
///
/// Every iteration of a GLib context polls and checks all of its sources, and libnice wakes it
/// for each datagram: with many calls on one loop that costs calls × packet rate × sockets. A
/// loop serving many calls can coalesce: once a poll that blocked reports a ready socket, the
/// thread waits and polls again, so the datagrams that came meanwhile are dispatched in the same
/// iteration for one wake-up and one pass over the sources. The wait is `coalescingPerSocket`
/// for each descriptor polled, at most `maximumCoalescing`: passes then cost about the same per
/// second whatever the number of sockets, and a loop with a few sockets barely waits. Each
/// datagram is handed over up to that much later; a call stepped on a 10 ms media grid does not
/// read it before its next tick anyway.
public final class GLibLoop: @unchecked Sendable {
    // Set once in init; GLib's context and loop objects are thread-safe to quit and reference.
    let context: OpaquePointer
    private let loop: OpaquePointer
    private var thread: pthread_t?
    /// How long a wake-up waits for more ready sockets, per descriptor polled (zero: dispatch
    /// at once), and at most.
    public let coalescingPerSocket: Duration
    public let maximumCoalescing: Duration

    public init(coalescingPerSocket: Duration = .zero, maximumCoalescing: Duration = .milliseconds(4)) {
        self.coalescingPerSocket = coalescingPerSocket
        self.maximumCoalescing = maximumCoalescing
        context = g_main_context_new()
        loop = g_main_loop_new(context, 0)
        if coalescingPerSocket > .zero, maximumCoalescing > .zero { g_main_context_set_poll_func(context, coalescingPoll) }
        var t = pthread_t()
        let box = Unmanaged.passRetained(self)
        pthread_create(&t, nil, { arg in
            let me = Unmanaged<GLibLoop>.fromOpaque(arg!).takeRetainedValue()
            clinux_name_this_thread("rtc-glib")   // seen in top -H, perf, /proc
            pthread_setspecific(perSocketKey, UnsafeRawPointer(bitPattern: Int(me.coalescingPerSocket.nanoseconds)))
            pthread_setspecific(maximumKey, UnsafeRawPointer(bitPattern: Int(me.maximumCoalescing.nanoseconds)))
            g_main_context_push_thread_default(me.context)
            g_main_loop_run(me.loop)
            g_main_context_pop_thread_default(me.context)
            return nil
        }, box.toOpaque())
        thread = t
        // Wait until the loop runs, so a quit can never come before the run.
        while g_main_loop_is_running(loop) == 0 { usleep(100) }
    }

    /// Stops the loop and joins its thread. Idempotent.
    public func stop() {
        guard let t = thread else { return }
        thread = nil
        g_main_loop_quit(loop)
        g_main_context_wakeup(context)
        pthread_join(t, nil)
    }

    deinit {
        stop()
        g_main_loop_unref(loop)
        g_main_context_unref(context)
    }
}

/// The running loop thread's coalescing per socket and maximum, in ns (the poll function is a C
/// function and gets no context; only the loop's own thread polls its context).
private let perSocketKey = makeKey(), maximumKey = makeKey()

private func makeKey() -> pthread_key_t {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}

/// GLib's poll, then, when it blocked and something became ready, a wait of the thread's
/// coalescing for that many descriptors and a second poll that does not block. A poll that did not block (sources already
/// pending) is dispatched at once: the loop is busy and batches by itself.
private func coalescingPoll(_ fds: UnsafeMutablePointer<GPollFD>?, _ count: guint, _ timeout: gint) -> gint {
    let ready = g_poll(fds, count, timeout)
    guard ready > 0, timeout != 0 else { return ready }
    let perSocket = Int(bitPattern: pthread_getspecific(perSocketKey))
    let ns = min(Int(bitPattern: pthread_getspecific(maximumKey)), perSocket * Int(count))
    guard ns > 0 else { return ready }
    var t = timespec(tv_sec: ns / 1_000_000_000, tv_nsec: ns % 1_000_000_000)
    nanosleep(&t, nil)
    return g_poll(fds, count, 0)
}

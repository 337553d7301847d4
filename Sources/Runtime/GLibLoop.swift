internal import CNice
import CLinux
import Glibc

/// A GLib main context run by its own thread: libnice schedules its sockets and timers there.
/// The thread is the runtime's; nothing else iterates this context.
public final class GLibLoop: @unchecked Sendable {
    // Set once in init; GLib's context and loop objects are thread-safe to quit and reference.
    let context: OpaquePointer
    private let loop: OpaquePointer
    private var thread: pthread_t?

    public init() {
        context = g_main_context_new()
        loop = g_main_loop_new(context, 0)
        var t = pthread_t()
        let box = Unmanaged.passRetained(self)
        pthread_create(&t, nil, { arg in
            let me = Unmanaged<GLibLoop>.fromOpaque(arg!).takeRetainedValue()
            clinux_name_this_thread("rtc-glib")   // seen in top -H, perf, /proc
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

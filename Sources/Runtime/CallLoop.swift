import CLinux
import Glibc
import MediaCore
import Synchronization

/// A runtime thread that drives one or many `PeerConnection`s: each wake-up steps every
/// connection whose doorbell rang (a ring push or pop, a datagram, a signaling task) or whose
/// deadline passed, then sleeps until the earliest deadline.
///
/// A connection made without a loop gets a private one (a thread per call, the lowest latency
/// for a device-clocked appliance). A server gives many calls a few shared loops: calls on the
/// process's 10 ms media grid are then all stepped in one wake-up instead of one thread switch
/// each, and the process runs a handful of threads whatever the number of calls.
///
/// Everything a connection owns is touched only on its loop's thread, between steps.
public final class CallLoop: @unchecked Sendable {
    let waker = Waker()
    /// Joins and leaves, applied by the loop thread between steps.
    private let changes = Mutex<Changes>(Changes())
    private struct Changes {
        var joining: [PeerConnection] = []
        var leaving: [(PeerConnection, ResultSlot<Bool>)] = []
        var stopping = false
    }
    /// Loop-thread state: the connections and when each wants its next step.
    private var members: [Member] = []
    private struct Member {
        let connection: PeerConnection
        var deadline: Instant?
    }
    private var thread: pthread_t?
    private let threadID = Atomic<UInt>(0)
    /// Set while the thread runs; a loop is started by its first connection.
    private let started = Atomic<Bool>(false)
    private let name: String
    /// A private loop ends when its one connection leaves.
    let isPrivate: Bool

    /// A loop for several connections; its thread starts with the first and runs until `stop`.
    public convenience init(name: String = "rtc-call") { self.init(name: name, isPrivate: false) }

    init(name: String, isPrivate: Bool) {
        self.name = name
        self.isPrivate = isPrivate
    }

    deinit { stop() }

    /// True on this loop's own thread.
    var isCurrentThread: Bool { threadID.load(ordering: .acquiring) == pthread_self() }

    /// Adds a connection; its first step comes at once.
    func join(_ connection: PeerConnection) {
        changes.withLock { $0.joining.append(connection) }
        startIfNeeded()
        waker.wake()
    }

    /// Removes a connection and returns once the loop will never step it again. On the loop's
    /// own thread (a connection closed from an event handler) it returns at once and the loop
    /// drops the connection after the current pass; a closed connection's step does nothing.
    func leave(_ connection: PeerConnection) {
        if isCurrentThread || !started.load(ordering: .acquiring) {
            changes.withLock { $0.leaving.append((connection, ResultSlot<Bool>())) }
            return
        }
        let done = ResultSlot<Bool>()
        changes.withLock { $0.leaving.append((connection, done)) }
        waker.wake()
        while done.wait(seconds: 1) == nil {}
    }

    /// Stops the thread after its current pass and joins it. Idempotent.
    public func stop() {
        changes.withLock { $0.stopping = true }
        waker.wake()
        guard let t = thread else { return }
        thread = nil
        // Stopped from its own thread (the last connection closed in an event handler): the
        // thread ends after this pass and nobody joins it.
        if isCurrentThread { pthread_detach(t) } else { pthread_join(t, nil) }
    }

    private func startIfNeeded() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            let loop = Unmanaged<CallLoop>.fromOpaque(arg!).takeRetainedValue()
            loop.threadID.store(UInt(pthread_self()), ordering: .releasing)
            loop.name.withCString { clinux_name_this_thread($0) }
            loop.run()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        thread = t
        // The id is needed by `leave` and `perform` callers racing the thread's first instruction.
        while threadID.load(ordering: .acquiring) == 0 { sched_yield() }
    }

    private func run() {
        while true {
            let (joining, leaving, stopping) = changes.withLock { c in
                defer { c.joining.removeAll(); c.leaving.removeAll() }
                return (c.joining, c.leaving, c.stopping)
            }
            for c in joining { members.append(Member(connection: c, deadline: nil)) }
            for (c, done) in leaving {
                members.removeAll { $0.connection === c }
                done.set(true)
            }
            if stopping { break }
            var earliest: Instant?
            let now = RuntimeClock.now()
            for i in members.indices {
                let c = members[i].connection
                let rung = c.doorbell.rung.exchange(false, ordering: .acquiringAndReleasing)
                if rung || members[i].deadline == nil || members[i].deadline! <= now {
                    c.step()
                    members[i].deadline = c.nextDeadline()
                }
                if let d = members[i].deadline, earliest.map({ d < $0 }) ?? true { earliest = d }
            }
            // Joins or leaves that came during the pass: go round again at once.
            if changes.withLock({ !$0.joining.isEmpty || !$0.leaving.isEmpty || $0.stopping }) { continue }
            waker.wait(until: earliest)
        }
        for m in members { m.connection.loopStopped() }
        members.removeAll()
    }
}

/// Wakes one connection on its loop: marks it, then wakes the loop's thread. Cheap enough for a
/// ring callback on a real-time audio thread (an atomic store, and an eventfd write only when
/// the loop is not already awake).
final class CallDoorbell: Sendable {
    let rung = Atomic<Bool>(false)
    private let waker: Waker
    init(waker: Waker) { self.waker = waker }
    func ring() {
        rung.store(true, ordering: .releasing)
        waker.wake()
    }
}

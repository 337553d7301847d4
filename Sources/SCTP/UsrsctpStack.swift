import CUsrsctp
import MediaCore
import Synchronization

/// The process-global usrsctp stack in AF_CONN mode, driven without threads
/// (`usrsctp_init_nothreads`), and the registry its output callback uses to find an association.
///
/// usrsctp keeps one stack per process, so every call into it goes through `withStack`, one lock
/// for the whole process. The output callback (`conn_output`) runs inside those calls: it only
/// looks the association id up in `outboxes` (a second lock) and appends the packet, so it never
/// re-enters usrsctp (calling `usrsctp_conninput` from there would self-deadlock). An id that is
/// no longer registered drops the packet: late callbacks after close are harmless.
enum UsrsctpStack {
    struct State {
        var initialized = false
        /// Milliseconds handed to `usrsctp_handle_timers` since start: the stack's own clock.
        var elapsedMilliseconds: Int64 = 0
    }

    static let state = Mutex(State())
    static let outboxes = Mutex([UInt: [[UInt8]]]())
    static let nextID = Atomic<UInt>(1)

    /// Runs `body` holding the stack lock, initializing usrsctp on first use.
    static func withStack<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        try state.withLock { (s: inout State) throws(E) -> R in
            if !s.initialized {
                s.initialized = true
                usrsctp_init_nothreads(0, connOutput, nil)
                // WebRTC profile (RFC 8831 §6.2): no ECN; PR-SCTP and stream reconfiguration on.
                usrsctp_sysctl_set_sctp_ecn_enable(0)
                usrsctp_sysctl_set_sctp_pr_enable(1)
                usrsctp_sysctl_set_sctp_reconfig_enable(1)
                // Voice-appliance latency: retransmit after 100 ms at least, start at 1 s.
                usrsctp_sysctl_set_sctp_rto_min_default(100)
                usrsctp_sysctl_set_sctp_rto_initial_default(1000)
                usrsctp_sysctl_set_sctp_init_rto_max_default(10_000)
            }
            return try body(&s)
        }
    }

    /// A fresh registry id (never 0: usrsctp takes it as a non-null address) with an empty outbox.
    static func register() -> UInt {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        outboxes.withLock { $0[id] = [] }
        return id
    }

    static func unregister(_ id: UInt) {
        _ = outboxes.withLock { $0.removeValue(forKey: id) }
    }

    /// Takes every packet usrsctp produced for `id` so far.
    static func takeOutbox(_ id: UInt, into out: inout [[UInt8]]) {
        outboxes.withLock { boxes in
            guard var box = boxes[id], !box.isEmpty else { return }
            boxes[id] = []
            if out.isEmpty { swap(&out, &box) } else { out.append(contentsOf: box) }
        }
    }

    /// `conn_output`: one SCTP packet for the lower layer (DTLS) of the association `addr` names.
    private static let connOutput: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int, UInt8, UInt8) -> Int32 = {
        addr, buffer, length, _, _ in
        guard let buffer, length > 0 else { return 0 }
        let id = UInt(bitPattern: addr)
        let packet = Array(UnsafeRawBufferPointer(start: buffer, count: length))
        UsrsctpStack.outboxes.withLock { boxes in
            if boxes[id] != nil { boxes[id]!.append(packet) }
        }
        return 0
    }
}

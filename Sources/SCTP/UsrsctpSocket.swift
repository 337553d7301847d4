import CUsrsctp
import Glibc

/// One usrsctp one-to-one socket in AF_CONN mode: the only place that touches usrsctp's socket API
/// (`usrsctp_socket`, `usrsctp_setsockopt`, `usrsctp_sendv`, `usrsctp_recvv`, `usrsctp_close`).
/// Every method must be called inside `UsrsctpStack.withStack` (the stack is process-global).
struct UsrsctpSocket {
    private let handle: OpaquePointer
    /// The registry id, used as the AF_CONN address of both ends (`sconn_addr`).
    let id: UInt

    /// IPPROTO_SCTP; Glibc imports its protocol numbers as an anonymous enum.
    private static let ipprotoSCTP: Int32 = 132

    /// Opens a non-blocking socket bound to `localPort` and starts connecting to `remotePort`
    /// (`usrsctp_bind`, `usrsctp_connect`): both WebRTC peers connect, SCTP resolves the collision.
    static func open(id: UInt, localPort: UInt16, remotePort: UInt16, streams: UInt16,
                     bufferBytes: Int32) throws(SCTPError) -> UsrsctpSocket {
        guard let handle = usrsctp_socket(AF_CONN, Int32(SOCK_STREAM.rawValue), ipprotoSCTP, nil, nil, 0, nil) else {
            throw .usrsctp(call: "usrsctp_socket", errno: errno)
        }
        let s = UsrsctpSocket(handle: handle, id: id)
        usrsctp_register_address(UnsafeMutableRawPointer(bitPattern: id))
        do throws(SCTPError) {
            try s.check(usrsctp_set_non_blocking(handle, 1), "usrsctp_set_non_blocking")
            try s.set(SOL_SOCKET, SO_SNDBUF, bufferBytes, "SO_SNDBUF")
            try s.set(SOL_SOCKET, SO_RCVBUF, bufferBytes, "SO_RCVBUF")
            var one: Int32 = 1
            try s.set(ipprotoSCTP, SCTP_RECVRCVINFO, one, "SCTP_RECVRCVINFO")
            try s.set(ipprotoSCTP, SCTP_NODELAY, one, "SCTP_NODELAY")
            try s.set(ipprotoSCTP, SCTP_EXPLICIT_EOR, one, "SCTP_EXPLICIT_EOR")
            one = 0
            try s.set(ipprotoSCTP, SCTP_ENABLE_STREAM_RESET,
                      sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), assoc_value: UInt32(SCTP_ENABLE_RESET_STREAM_REQ)),
                      "SCTP_ENABLE_STREAM_RESET")
            try s.set(ipprotoSCTP, SCTP_INITMSG,
                      sctp_initmsg(sinit_num_ostreams: streams, sinit_max_instreams: streams, sinit_max_attempts: 0, sinit_max_init_timeo: 0),
                      "SCTP_INITMSG")
            for event in [SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_SEND_FAILED_EVENT] {
                try s.set(ipprotoSCTP, SCTP_EVENT,
                          sctp_event(se_assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), se_type: UInt16(event), se_on: 1), "SCTP_EVENT")
            }
            var local = s.address(port: localPort)
            try s.check(withUnsafeMutablePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { usrsctp_bind(handle, $0, socklen_t(MemoryLayout<sockaddr_conn>.size)) }
            }, "usrsctp_bind")
            var remote = s.address(port: remotePort)
            let rc = withUnsafeMutablePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { usrsctp_connect(handle, $0, socklen_t(MemoryLayout<sockaddr_conn>.size)) }
            }
            if rc < 0 && errno != EINPROGRESS { throw SCTPError.usrsctp(call: "usrsctp_connect", errno: errno) }
        } catch {
            s.close()
            throw error
        }
        return s
    }

    private func address(port: UInt16) -> sockaddr_conn {
        var a = sockaddr_conn()
        a.sconn_family = UInt16(AF_CONN)
        a.sconn_port = port.bigEndian
        a.sconn_addr = UnsafeMutableRawPointer(bitPattern: id)
        return a
    }

    private func check(_ rc: Int32, _ call: String) throws(SCTPError) {
        if rc < 0 { throw .usrsctp(call: call, errno: errno) }
    }

    private func set<T: BitwiseCopyable>(_ level: Int32, _ name: Int32, _ value: T, _ what: String) throws(SCTPError) {
        let rc = withUnsafeBytes(of: value) { usrsctp_setsockopt(handle, level, name, $0.baseAddress, socklen_t($0.count)) }
        if rc < 0 { throw .usrsctp(call: "usrsctp_setsockopt(\(what))", errno: errno) }
    }

    // MARK: - Data

    enum SendResult { case sent(Int), wouldBlock, failed(Int32) }

    /// `usrsctp_sendv` with SCTP_SENDV_SPA: stream, PPID (network byte order), ordering,
    /// end-of-record and the PR-SCTP policy. May accept only part of `bytes` (explicit EOR).
    func send(_ bytes: UnsafeRawBufferPointer, stream: UInt16, ppid: UInt32, unordered: Bool, endOfRecord: Bool,
              policy: UInt16, policyValue: UInt32) -> SendResult {
        var spa = sctp_sendv_spa()
        spa.sendv_flags = UInt32(SCTP_SEND_SNDINFO_VALID)
        spa.sendv_sndinfo.snd_sid = stream
        spa.sendv_sndinfo.snd_ppid = ppid.bigEndian
        spa.sendv_sndinfo.snd_flags = UInt16((unordered ? SCTP_UNORDERED : 0) | (endOfRecord ? SCTP_EOR : 0))
        if policy != 0 {
            spa.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
            spa.sendv_prinfo.pr_policy = policy
            spa.sendv_prinfo.pr_value = policyValue
        }
        let n = usrsctp_sendv(handle, bytes.baseAddress, bytes.count, nil, 0, &spa,
                              socklen_t(MemoryLayout<sctp_sendv_spa>.size), UInt32(SCTP_SENDV_SPA), 0)
        if n >= 0 { return .sent(n) }
        let e = errno
        return e == EAGAIN || e == EWOULDBLOCK ? .wouldBlock : .failed(e)
    }

    enum Received {
        /// `count` bytes of a user message on `stream`; `endOfRecord` when the message is complete.
        case data(count: Int, stream: UInt16, ppid: UInt32, endOfRecord: Bool)
        case notification(count: Int, endOfRecord: Bool)
        /// The peer closed the association (recvv returned 0).
        case closed
    }

    /// `usrsctp_recvv` with SCTP_RECVV_RCVINFO; nil when nothing is waiting.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Received? {
        var info = sctp_rcvinfo()
        var infoLength = socklen_t(MemoryLayout<sctp_rcvinfo>.size)
        var infoType: UInt32 = 0
        var flags: Int32 = 0
        var from = sockaddr_conn()
        var fromLength = socklen_t(MemoryLayout<sockaddr_conn>.size)
        let n = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                usrsctp_recvv(handle, buffer.baseAddress, buffer.count, $0, &fromLength, &info, &infoLength, &infoType, &flags)
            }
        }
        if n < 0 { return nil }
        if n == 0 { return .closed }
        let eor = flags & Int32(MSG_EOR) != 0
        if flags & Int32(MSG_NOTIFICATION) != 0 { return .notification(count: n, endOfRecord: eor) }
        return .data(count: n, stream: info.rcv_sid, ppid: UInt32(bigEndian: info.rcv_ppid), endOfRecord: eor)
    }

    // MARK: - Streams and teardown

    /// Resets our outgoing side of `streams` (SCTP_RESET_STREAMS, RFC 6525): a data channel's close.
    /// Returns 0 or the errno.
    func resetOutgoing(_ streams: [UInt16]) -> Int32 {
        let size = MemoryLayout<sctp_reset_streams>.size + 2 * streams.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4)
        defer { raw.deallocate() }
        let header = raw.bindMemory(to: sctp_reset_streams.self, capacity: 1)
        header.pointee.srs_assoc_id = sctp_assoc_t(SCTP_ALL_ASSOC)
        header.pointee.srs_flags = UInt16(SCTP_STREAM_RESET_OUTGOING)
        header.pointee.srs_number_streams = UInt16(streams.count)
        let list = (raw + MemoryLayout<sctp_reset_streams>.size).bindMemory(to: UInt16.self, capacity: streams.count)
        for (i, s) in streams.enumerated() { list[i] = s }
        let rc = usrsctp_setsockopt(handle, Self.ipprotoSCTP, SCTP_RESET_STREAMS, raw, socklen_t(size))
        return rc < 0 ? errno : 0
    }

    /// Graceful SHUTDOWN (`usrsctp_shutdown(SHUT_WR)`): queued data is delivered first.
    func shutdown() { _ = usrsctp_shutdown(handle, Int32(SHUT_WR)) }

    /// Sends ABORT: SO_LINGER with a zero timeout, then closes.
    func abortAndClose() {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = usrsctp_setsockopt(handle, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// `usrsctp_close`, then `usrsctp_deregister_address`: usrsctp stops using our id.
    func close() {
        usrsctp_close(handle)
        usrsctp_deregister_address(UnsafeMutableRawPointer(bitPattern: id))
    }
}

import CUsrsctp
import DCEP
import MediaCore

/// A user message arriving in pieces (usrsctp's partial delivery, or the deprecated partial PPIDs).
struct Assembly {
    var bytes: [UInt8] = []
    /// Set once the message outgrew our max-message-size: the rest is discarded.
    var discarding = false
}

extension SCTPAssociation {
    /// Reads everything usrsctp has for us (`usrsctp_recvv`) and turns it into events.
    func receiveAll() {
        guard let socket else { return }
        var peerClosed = false
        while true {
            let got = UsrsctpStack.withStack { _ in socket.receive(into: receiveBuffer) }
            guard let got else { break }
            switch got {
            case .closed:
                peerClosed = true
            case .notification(let n, let eor):
                notificationAssembly.append(contentsOf: UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<n]))
                if eor {
                    let bytes = notificationAssembly
                    notificationAssembly.removeAll(keepingCapacity: true)
                    handleNotification(bytes)
                }
            case .data(let n, let sid, let ppid, let eor):
                receivedPiece(UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<n]), stream: sid, ppid: ppid, endOfRecord: eor)
            }
            if peerClosed || self.socket == nil { break }
        }
        if peerClosed { finish(state == .connecting ? .setupFailed : .shutdown) }
    }

    private func receivedPiece(_ piece: UnsafeRawBufferPointer, stream sid: UInt16, ppid raw: UInt32, endOfRecord: Bool) {
        let limit = configuration.localMaxMessageSize
        var a = assembling[sid] ?? Assembly()
        if !a.discarding {
            if limit != 0 && UInt64(a.bytes.count + piece.count) > limit {
                a.discarding = true
                a.bytes = []
                closeForViolation(sid, "message over max-message-size \(limit)")
            } else {
                a.bytes.append(contentsOf: piece)
            }
        }
        let ppid = PayloadProtocolIdentifier(rawValue: raw)
        // A complete record; for the deprecated partial PPIDs the message goes on until a final one.
        guard endOfRecord, !ppid.isDeprecatedPartial || a.discarding else { assembling[sid] = a; return }
        assembling[sid] = nil
        guard !a.discarding else { return }
        receivedMessage(a.bytes, stream: sid, ppid: ppid)
    }

    private func receivedMessage(_ bytes: [UInt8], stream sid: UInt16, ppid: PayloadProtocolIdentifier) {
        if ppid == .dcep { receivedDCEP(bytes, on: sid); return }
        guard var c = channels[sid], ppid.isString || ppid.isBinary else { stats.droppedMessages += 1; return }
        if c.awaitingAck {
            // User data before the ACK: the peer got our OPEN, so it counts as the ACK (RFC 8832 §6).
            c.awaitingAck = false
            c.state = .open
            emit(.channelOpened(id: sid, label: c.label, protocol: c.protocol))
        }
        let payload = ppid.isEmptyMessage ? [] : bytes
        c.stats.messagesReceived += 1
        c.stats.bytesReceived += payload.count
        channels[sid] = c
        // Text that is not UTF-8 is repaired with U+FFFD rather than dropped, as browsers do.
        emit(.message(id: sid, ppid.isString ? .text(String(decoding: payload, as: UTF8.self)) : .binary(payload)))
    }

    // MARK: - Notifications

    /// A usrsctp notification (`union sctp_notification`): type and flags in the first 4 bytes,
    /// host byte order.
    private func handleNotification(_ n: [UInt8]) {
        guard n.count >= 8 else { return }
        func u16(_ at: Int) -> UInt16 { n.count >= at + 2 ? n.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt16.self) } : 0 }
        let type = Int32(u16(0))
        switch type {
        case SCTP_ASSOC_CHANGE:
            // struct sctp_assoc_change: sac_state at byte 8.
            switch Int32(u16(8)) {
            case SCTP_COMM_UP: associationUp()
            case SCTP_COMM_LOST: finish(.aborted)
            case SCTP_SHUTDOWN_COMP: finish(.shutdown)
            case SCTP_CANT_STR_ASSOC: finish(.setupFailed)
            default: break   // SCTP_RESTART: streams are kept
            }
        case SCTP_STREAM_RESET_EVENT:
            // struct sctp_stream_reset_event: flags at 2, length at 4, stream list from 12.
            let flags = Int32(u16(2))
            guard flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED) == 0 else { return }
            guard flags & SCTP_STREAM_RESET_INCOMING_SSN != 0 else { return }
            let length = min(n.count, Int(n.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }))
            var streams: [UInt16] = []
            var at = 12
            while at + 2 <= length { streams.append(u16(at)); at += 2 }
            for sid in streams { incomingStreamReset(sid) }
        default:
            break   // SCTP_SEND_FAILED_EVENT: PR-SCTP dropped a message; nothing to report per W3C.
        }
    }

    /// The peer reset its outgoing stream `sid`: either its answer to our close or its own close.
    private func incomingStreamReset(_ sid: UInt16) {
        assembling[sid] = nil
        guard let c = channels[sid] else { return }
        channels[sid] = nil
        if c.state == .closing {
            emit(.channelClosed(id: sid, reason: .localClose))
        } else {
            dropQueued(on: sid)
            sendQueue.append(PendingSend(kind: .reset, stream: sid, ppid: 0, bytes: [], unordered: false, policy: 0, policyValue: 0, userBytes: 0))
            emit(.channelClosed(id: sid, reason: .remoteClose))
        }
    }
}

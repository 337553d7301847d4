import CUsrsctp
import DCEP
import MediaCore

/// Per-channel bookkeeping inside the association.
struct Channel {
    var label: String
    var `protocol`: String
    var type: DataChannelType
    var priority: UInt16
    var negotiated: Bool
    var state: DataChannelState
    /// We sent DATA_CHANNEL_OPEN and wait for the ACK (RFC 8832 §6).
    var awaitingAck = false
    /// A DATA_CHANNEL_OPEN (ours) waiting for the association to come up.
    var openPending = false
    var bufferedAmount = 0
    var bufferedAmountLowThreshold = 0
    var stats = DataChannelStats()
}

/// A message (or a stream reset) waiting for usrsctp to take it, in send order.
struct PendingSend {
    enum Kind { case user, dcep, reset }
    var kind: Kind
    var stream: UInt16
    var ppid: UInt32
    var bytes: [UInt8]
    /// How much usrsctp took already (explicit EOR allows partial sends).
    var offset = 0
    var unordered: Bool
    var policy: UInt16
    var policyValue: UInt32
    /// What `bufferedAmount` counts (0 for DCEP and for the placeholder byte of empty messages).
    var userBytes: Int
}

extension SCTPAssociation {
    // MARK: - Channel API

    /// Opens a data channel and returns its id. In-band (`negotiatedID == nil`): picks a free id of
    /// our parity and sends DATA_CHANNEL_OPEN; `channelOpened` follows the peer's ACK. Negotiated:
    /// uses the fixed id agreed out of band, no DCEP; opened once the association is up.
    @discardableResult
    public func openChannel(label: String, protocol proto: String = "", type: DataChannelType = .reliable,
                            priority: UInt16 = DataChannelOpen.priorityNormal, negotiatedID: UInt16? = nil,
                            at now: Instant) throws(SCTPError) -> UInt16 {
        guard socket != nil, state == .connecting || state == .established else { throw .associationClosed }
        let sid: UInt16
        if let negotiatedID {
            guard negotiatedID < configuration.streams, channels[negotiatedID] == nil else { throw .streamIDUnavailable(negotiatedID) }
            sid = negotiatedID
        } else {
            var candidate: UInt16 = configuration.isDTLSClient ? 0 : 1
            while candidate < configuration.streams, channels[candidate] != nil { candidate &+= 2 }
            guard candidate < configuration.streams else { throw .noStreamIDAvailable }
            sid = candidate
        }
        var channel = Channel(label: label, protocol: proto, type: type, priority: priority,
                              negotiated: negotiatedID != nil, state: .connecting)
        if negotiatedID != nil {
            if state == .established {
                channel.state = .open
                emit(.channelOpened(id: sid, label: label, protocol: proto))
            }
        } else if state == .established {
            channel.awaitingAck = true
            enqueueDCEP(.open(DataChannelOpen(channelType: type, priority: priority, label: label, protocol: proto)), on: sid)
        } else {
            channel.openPending = true
        }
        channels[sid] = channel
        pump()
        return sid
    }

    /// Sends one message. Fails on a channel that is not open, over the peer's max-message-size,
    /// or on a closed association; a full send buffer only grows `bufferedAmount`.
    public func send(_ message: DataChannelMessage, on sid: UInt16, at now: Instant) throws(SCTPError) {
        guard socket != nil, state == .established else { throw .associationClosed }
        guard let channel = channels[sid] else { throw .unknownChannel(sid) }
        guard channel.state == .open else { throw .channelNotOpen(sid) }
        let limit = configuration.remoteMaxMessageSize
        guard limit == 0 || UInt64(message.byteCount) <= limit else { throw .messageTooLarge(size: message.byteCount, limit: limit) }
        let isString: Bool, payload: [UInt8]
        switch message {
        case .text(let s): isString = true; payload = Array(s.utf8)
        case .binary(let b): isString = false; payload = b
        }
        let ppid = PayloadProtocolIdentifier.forSending(isString: isString, isEmpty: payload.isEmpty)
        let (policy, value) = Self.prPolicy(channel.type.reliability)
        sendQueue.append(PendingSend(kind: .user, stream: sid, ppid: ppid.rawValue, bytes: payload.isEmpty ? [0] : payload,
                                     unordered: !channel.type.ordered, policy: policy, policyValue: value,
                                     userBytes: payload.count))
        channels[sid]!.bufferedAmount += payload.count
        pump()
    }

    /// Closes a channel (RFC 8831 §6.7): after what is queued on it, resets our outgoing stream;
    /// `channelClosed(.localClose)` follows when the peer resets its side.
    public func closeChannel(_ sid: UInt16, at now: Instant) {
        guard var channel = channels[sid], channel.state == .open || channel.state == .connecting else { return }
        if socket == nil || state != .established {
            channels[sid] = nil
            emit(.channelClosed(id: sid, reason: .localClose))
            return
        }
        channel.state = .closing
        channels[sid] = channel
        sendQueue.append(PendingSend(kind: .reset, stream: sid, ppid: 0, bytes: [], unordered: false, policy: 0, policyValue: 0, userBytes: 0))
        pump()
    }

    /// A snapshot of one channel, nil once it is closed.
    public func channel(_ sid: UInt16) -> DataChannelInfo? {
        guard let c = channels[sid] else { return nil }
        return DataChannelInfo(id: sid, label: c.label, protocol: c.protocol, type: c.type, negotiated: c.negotiated,
                               state: c.state, bufferedAmount: c.bufferedAmount,
                               bufferedAmountLowThreshold: c.bufferedAmountLowThreshold, stats: c.stats)
    }

    /// Ids of the channels that are not closed yet.
    public var channelIDs: [UInt16] { channels.keys.sorted() }

    /// W3C `bufferedAmountLowThreshold`: `bufferedAmountLow` fires when the channel's
    /// `bufferedAmount` falls from above it to at or below it.
    public func setBufferedAmountLowThreshold(_ bytes: Int, for sid: UInt16) {
        channels[sid]?.bufferedAmountLowThreshold = max(0, bytes)
    }

    static func prPolicy(_ r: DataChannelType.Reliability) -> (UInt16, UInt32) {
        switch r {
        case .reliable: return (0, 0)
        case .partialRetransmit(let n): return (UInt16(SCTP_PR_SCTP_RTX), n)
        case .partialTimed(let ms): return (UInt16(SCTP_PR_SCTP_TTL), ms)
        }
    }

    // MARK: - DCEP and the association coming up

    func enqueueDCEP(_ message: DCEPMessage, on sid: UInt16) {
        var w = ByteWriter()
        message.serialize(into: &w)
        // DCEP messages go ordered and reliable (RFC 8832 §6).
        sendQueue.append(PendingSend(kind: .dcep, stream: sid, ppid: PayloadProtocolIdentifier.dcep.rawValue, bytes: w.bytes,
                                     unordered: false, policy: 0, policyValue: 0, userBytes: 0))
    }

    /// COMM_UP: open what waited for the association.
    func associationUp() {
        guard state == .connecting else { return }
        state = .established
        emit(.associationEstablished)
        for sid in channels.keys.sorted() {
            guard var c = channels[sid], c.state == .connecting else { continue }
            if c.negotiated {
                c.state = .open
                emit(.channelOpened(id: sid, label: c.label, protocol: c.protocol))
            } else if c.openPending {
                c.openPending = false
                c.awaitingAck = true
                enqueueDCEP(.open(DataChannelOpen(channelType: c.type, priority: c.priority, label: c.label, protocol: c.protocol)), on: sid)
            }
            channels[sid] = c
        }
    }

    /// A PPID 50 message on `sid`.
    func receivedDCEP(_ bytes: [UInt8], on sid: UInt16) {
        let message: DCEPMessage
        do { message = try DCEPMessage(parsing: bytes) } catch {
            if channels[sid] != nil { closeForViolation(sid, "malformed DCEP: \(error)") } else { stats.droppedMessages += 1 }
            return
        }
        switch message {
        case .open(let open):
            if channels[sid] != nil {
                closeForViolation(sid, "DATA_CHANNEL_OPEN on stream \(sid), already in use")
                return
            }
            channels[sid] = Channel(label: open.label, protocol: open.protocol, type: open.channelType, priority: open.priority,
                                    negotiated: false, state: .open)
            enqueueDCEP(.ack, on: sid)
            emit(.channelOpened(id: sid, label: open.label, protocol: open.protocol))
        case .ack:
            guard var c = channels[sid], c.awaitingAck else { return }   // a stray ACK changes nothing
            c.awaitingAck = false
            c.state = .open
            channels[sid] = c
            emit(.channelOpened(id: sid, label: c.label, protocol: c.protocol))
        }
    }

    /// Ends a channel whose peer broke the protocol: reset our side, report why.
    func closeForViolation(_ sid: UInt16, _ reason: String) {
        guard let c = channels[sid] else { return }
        channels[sid] = nil
        dropQueued(on: sid)
        if c.state != .closing {
            sendQueue.append(PendingSend(kind: .reset, stream: sid, ppid: 0, bytes: [], unordered: false, policy: 0, policyValue: 0, userBytes: 0))
        }
        emit(.channelClosed(id: sid, reason: .protocolViolation(reason)))
    }

    /// Forgets queued user messages of a channel that is gone (never partly sent ones: usrsctp
    /// holds the rest of those and needs the end of the record).
    func dropQueued(on sid: UInt16) {
        var kept: [PendingSend] = []
        for (i, p) in sendQueue.enumerated() where i >= sendHead {
            if p.stream == sid && p.kind == .user && p.offset == 0 { continue }
            kept.append(p)
        }
        sendQueue = kept
        sendHead = 0
    }

    // MARK: - Sending

    /// Hands queued messages to usrsctp in order until it pushes back (full send buffer).
    func flushSendQueue() {
        guard let socket, state == .established || state == .shuttingDown else { return }
        var lows: [UInt16] = []
        UsrsctpStack.withStack { _ in
            while sendHead < sendQueue.count {
                let p = sendQueue[sendHead]
                if p.kind == .reset {
                    let rc = socket.resetOutgoing([p.stream])
                    if rc == EAGAIN || rc == EALREADY || rc == EBUSY { break }   // one reset in flight: retry later
                    sendHead += 1
                    continue
                }
                let result = p.bytes.withUnsafeBytes { all in
                    socket.send(UnsafeRawBufferPointer(rebasing: all[p.offset...]), stream: p.stream, ppid: p.ppid,
                                unordered: p.unordered, endOfRecord: true, policy: p.policy, policyValue: p.policyValue)
                }
                switch result {
                case .sent(let n):
                    let done = p.offset + n >= p.bytes.count
                    if p.kind == .user, var c = channels[p.stream] {
                        let before = c.bufferedAmount
                        let taken = done ? p.userBytes - min(p.offset, p.userBytes) : min(n, p.userBytes - min(p.offset, p.userBytes))
                        c.bufferedAmount = max(0, c.bufferedAmount - taken)
                        if done { c.stats.messagesSent += 1; c.stats.bytesSent += p.userBytes }
                        if before > c.bufferedAmountLowThreshold && c.bufferedAmount <= c.bufferedAmountLowThreshold { lows.append(p.stream) }
                        channels[p.stream] = c
                    }
                    if done { sendHead += 1 } else { sendQueue[sendHead].offset += n; return }
                case .wouldBlock:
                    return
                case .failed:
                    stats.failedSends += 1
                    if p.kind == .user, var c = channels[p.stream] {
                        c.bufferedAmount = max(0, c.bufferedAmount - (p.userBytes - min(p.offset, p.userBytes)))
                        channels[p.stream] = c
                    }
                    sendHead += 1
                }
            }
        }
        if sendHead == sendQueue.count { sendQueue.removeAll(keepingCapacity: true); sendHead = 0 }
        else if sendHead > 64 && sendHead * 2 > sendQueue.count { sendQueue.removeFirst(sendHead); sendHead = 0 }
        for sid in lows { emit(.bufferedAmountLow(id: sid)) }
    }
}

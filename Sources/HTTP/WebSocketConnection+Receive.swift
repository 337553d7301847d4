import MediaCore

extension WebSocketConnection {
    /// Feeds bytes from the transport; every complete frame is validated and acted on.
    public mutating func handle(bytes: some Collection<UInt8>, at now: Instant) {
        guard state != .closed else { return }
        if !bytes.isEmpty {
            lastReceived = now
            keepAlivePingSentAt = nil
        }
        if inboundStart > 0, inboundStart >= inbound.count / 2 {
            inbound.removeSubrange(0..<inboundStart)
            inboundStart = 0
        }
        inbound.append(contentsOf: bytes)
        while state != .closed, inboundStart < inbound.count {
            guard let consumed = processFrame() else { break }
            inboundStart += consumed
        }
    }

    /// Handles the frame at the front of the buffer; nil when it is incomplete or the connection
    /// failed.
    mutating func processFrame() -> Int? {
        var r = ByteReader(inbound[inboundStart...])
        let header: WebSocketFrameHeader
        do {
            header = try WebSocketFrameHeader(parsing: &r)
        } catch {
            if case .truncated = error { return nil }
            fail(.protocolError("\(error)"))
            return nil
        }
        guard header.rsv == 0 else { fail(.protocolError("RSV bits set without a negotiated extension")); return nil }
        switch (role, header.maskingKey) {
        case (.server, nil): fail(.protocolError("unmasked frame from a client")); return nil
        case (.client, .some): fail(.protocolError("masked frame from a server")); return nil
        default: break
        }
        if header.opcode.isControl {
            guard header.fin else { fail(.protocolError("fragmented control frame")); return nil }
            guard header.payloadLength <= 125 else { fail(.protocolError("control frame longer than 125 bytes")); return nil }
        } else {
            let limit = configuration.maxMessageBytes
            guard header.payloadLength <= UInt64(limit), message.count + Int(header.payloadLength) <= limit else {
                fail(.messageTooBig(limit: limit))
                return nil
            }
        }
        let length = Int(header.payloadLength) // bounded by the checks above
        guard r.remaining >= length else { return nil }
        var payload = Array((try? r.readBytes(length)) ?? []) // cannot throw: `remaining` checked
        if let key = header.maskingKey { WebSocketFrame.applyMask(key, to: &payload) }
        receive(header, payload)
        return r.offset
    }

    mutating func receive(_ header: WebSocketFrameHeader, _ payload: [UInt8]) {
        switch header.opcode {
        case .continuation:
            guard let opcode = messageOpcode else { fail(.protocolError("continuation without a message")); return }
            message += payload
            if header.fin { deliver(opcode) }
        case .text, .binary:
            guard messageOpcode == nil else { fail(.protocolError("new message inside a fragmented one")); return }
            messageOpcode = header.opcode
            message = payload
            if header.fin { deliver(header.opcode) }
        case .ping:
            if state == .open { queue(.pong, payload) }
            events.append(.ping(payload))
        case .pong:
            events.append(.pong(payload))
        case .close:
            receiveClose(payload)
        }
    }

    mutating func deliver(_ opcode: WebSocketOpcode) {
        let bytes = message
        messageOpcode = nil
        message = []
        if opcode == .text {
            guard let text = String(validating: bytes, as: UTF8.self) else { fail(.invalidUTF8); return }
            events.append(.text(text))
        } else {
            events.append(.binary(bytes))
        }
    }

    /// A close frame (§5.5.1, §7.4): empty, or a valid code plus a UTF-8 reason. In the open state
    /// the same code is echoed; either way the connection is then closed.
    mutating func receiveClose(_ payload: [UInt8]) {
        var code = WebSocketCloseCode.noStatusReceived
        var reason = ""
        if !payload.isEmpty {
            guard payload.count >= 2 else { fail(.protocolError("close payload of one byte")); return }
            code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
            guard code.isValidOnWire else { fail(.protocolError("close code \(code) not allowed")); return }
            guard let text = String(validating: payload[2...], as: UTF8.self) else { fail(.invalidUTF8); return }
            reason = text
        }
        if state == .open { queueClose(code == .noStatusReceived ? nil : code, "") }
        state = .closed
        events.append(.closed(code: code, reason: reason))
    }
}

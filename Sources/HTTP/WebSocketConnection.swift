import MediaCore

/// A sans-IO WebSocket endpoint (RFC 6455 after the handshake), server or client role.
///
/// Driving contract: after `handle(bytes:at:)`, any `send`/`ping`/`close`, `handleTimeout(at:)` or
/// `handleEndOfInput(at:)`, drain `pollTransmit()` to the socket and `pollEvent()` to the
/// application until both yield nil, then wait until `pollTimeout()`. Once `isClosed` and the
/// transmit queue is empty, close the socket. Time comes in as `Instant`; nothing here reads a
/// clock or touches a socket.
public struct WebSocketConnection: Sendable {
    public enum Role: Sendable, Equatable {
        /// Receives masked frames, sends unmasked ones.
        case server
        /// Sends masked frames, receives unmasked ones.
        case client
    }

    public struct Configuration: Sendable, Equatable {
        /// Largest reassembled message accepted (beyond: close 1009).
        public var maxMessageBytes: Int
        /// Send a ping after this long without receiving anything (nil: never).
        public var pingInterval: Duration?
        /// After a keep-alive ping, fail the connection if nothing arrives within this.
        public var pongTimeout: Duration
        /// After sending a close, give up waiting for the peer's close after this.
        public var closeTimeout: Duration

        public init(maxMessageBytes: Int = 16 * 1024 * 1024, pingInterval: Duration? = nil,
                    pongTimeout: Duration = .seconds(10), closeTimeout: Duration = .seconds(5)) {
            self.maxMessageBytes = maxMessageBytes
            self.pingInterval = pingInterval
            self.pongTimeout = pongTimeout
            self.closeTimeout = closeTimeout
        }
    }

    public enum Event: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
        /// A ping arrived (the pong is already queued).
        case ping([UInt8])
        case pong([UInt8])
        /// The closing handshake finished or the peer vanished: 1005 when its close frame had no
        /// code, 1006 when no close frame came at all.
        case closed(code: WebSocketCloseCode, reason: String)
        /// We failed the connection (a close with `error.closeCode` is queued).
        case failed(WebSocketError)
    }

    public enum State: Sendable, Equatable {
        case open
        /// We sent a close and wait for the peer's.
        case closing
        case closed
    }

    public let role: Role
    public let configuration: Configuration
    public internal(set) var state: State = .open
    /// Draws masking keys for a client (frames a client sends must carry a fresh random key).
    let maskingKeySource: @Sendable () -> UInt32

    var inbound: [UInt8] = []
    var inboundStart = 0
    var messageOpcode: WebSocketOpcode?
    var message: [UInt8] = []
    var transmit: [[UInt8]] = []
    var transmitHead = 0
    var events: [Event] = []
    var eventHead = 0
    var lastReceived: Instant
    var keepAlivePingSentAt: Instant?
    var closeDeadline: Instant?

    public init(role: Role, configuration: Configuration = Configuration(), now: Instant,
                maskingKeySource: @escaping @Sendable () -> UInt32 = { UInt32.random(in: .min ... .max) }) {
        self.role = role
        self.configuration = configuration
        self.maskingKeySource = maskingKeySource
        lastReceived = now
    }

    public var isClosed: Bool { state == .closed }

    // MARK: Sending

    public mutating func send(text: String, fragmentSize: Int? = nil) throws(WebSocketError) {
        try sendMessage(.text, Array(text.utf8), fragmentSize: fragmentSize)
    }

    public mutating func send(binary: [UInt8], fragmentSize: Int? = nil) throws(WebSocketError) {
        try sendMessage(.binary, binary, fragmentSize: fragmentSize)
    }

    /// Sends a ping (payload at most 125 bytes; longer is cut).
    public mutating func ping(_ payload: [UInt8] = []) throws(WebSocketError) {
        guard state == .open else { throw .notOpen }
        queue(.ping, Array(payload.prefix(125)))
    }

    /// Starts the closing handshake; the reason is cut to fit a control frame (123 bytes, on a
    /// UTF-8 boundary). A code that may not go on the wire is sent as 1000.
    public mutating func close(code: WebSocketCloseCode = .normalClosure, reason: String = "", at now: Instant) {
        guard state == .open else { return }
        queueClose(code.isValidOnWire ? code : .normalClosure, reason)
        state = .closing
        closeDeadline = now + configuration.closeTimeout
    }

    mutating func sendMessage(_ opcode: WebSocketOpcode, _ payload: [UInt8], fragmentSize: Int?) throws(WebSocketError) {
        guard state == .open else { throw .notOpen }
        guard let size = fragmentSize, size > 0, payload.count > size else {
            queue(opcode, payload)
            return
        }
        var offset = 0
        while offset < payload.count {
            let end = min(offset + size, payload.count)
            queue(offset == 0 ? opcode : .continuation, Array(payload[offset..<end]), fin: end == payload.count)
            offset = end
        }
    }

    mutating func queue(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) {
        let key: UInt32? = role == .client ? maskingKeySource() : nil
        transmit.append(WebSocketFrame(fin: fin, opcode: opcode, payload: payload, maskingKey: key).serialized())
    }

    mutating func queueClose(_ code: WebSocketCloseCode?, _ reason: String) {
        var payload: [UInt8] = []
        if let code {
            payload = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
            var r = reason
            while r.utf8.count > 123 { r.removeLast() } // whole characters, so the cut stays UTF-8
            payload += Array(r.utf8)
        }
        queue(.close, payload)
    }

    // MARK: Polling

    public mutating func pollTransmit() -> [UInt8]? {
        guard transmitHead < transmit.count else { return nil }
        defer {
            transmitHead += 1
            if transmitHead == transmit.count { transmit.removeAll(keepingCapacity: true); transmitHead = 0 }
        }
        return transmit[transmitHead]
    }

    public mutating func pollEvent() -> Event? {
        guard eventHead < events.count else { return nil }
        defer {
            eventHead += 1
            if eventHead == events.count { events.removeAll(keepingCapacity: true); eventHead = 0 }
        }
        return events[eventHead]
    }

    /// When `handleTimeout(at:)` must next be called, if ever.
    public func pollTimeout() -> Instant? {
        switch state {
        case .closed: return nil
        case .closing: return closeDeadline
        case .open:
            guard let interval = configuration.pingInterval else { return nil }
            if let sent = keepAlivePingSentAt { return sent + configuration.pongTimeout }
            return lastReceived + interval
        }
    }

    public mutating func handleTimeout(at now: Instant) {
        switch state {
        case .closed: return
        case .closing:
            if let d = closeDeadline, now >= d {
                state = .closed
                events.append(.closed(code: .abnormalClosure, reason: "close handshake timed out"))
            }
        case .open:
            guard let interval = configuration.pingInterval else { return }
            if let sent = keepAlivePingSentAt {
                if now >= sent + configuration.pongTimeout { fail(.timeout) }
            } else if now >= lastReceived + interval {
                queue(.ping, [])
                keepAlivePingSentAt = now
            }
        }
    }

    /// The transport reached end of input: without a close frame that is an abnormal closure.
    public mutating func handleEndOfInput(at now: Instant) {
        guard state != .closed else { return }
        state = .closed
        events.append(.closed(code: .abnormalClosure, reason: "connection closed without a close frame"))
    }

    /// Fails the connection (§7.1.7): queue a close with the error's code, report, stop reading.
    mutating func fail(_ error: WebSocketError) {
        if state == .open { queueClose(error.closeCode, error.description) }
        state = .closed
        inbound = []
        inboundStart = 0
        events.append(.failed(error))
    }
}

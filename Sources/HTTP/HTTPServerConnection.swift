import MediaCore

/// The sans-IO server side of one HTTP/1.1 connection: bytes in, requests out one at a time (so
/// pipelined responses stay in order), responses in, bytes out; keep-alive, 100-continue, the
/// upgrade hand-off to a `WebSocketConnection`, and three timeouts: idle (between requests),
/// header read (slow-loris) and body read, the last two answered with 408.
///
/// Driving contract: after `handle(bytes:at:)`, `respond`, `handleTimeout(at:)` or
/// `handleEndOfInput(at:)`, drain `pollEvent()` (answer each request with `respond` or
/// `upgrade`) and `pollTransmit()` until both yield nil, then wait until `pollTimeout()`. Once
/// `wantsClose` and the transmit queue is empty, close the socket.
public struct HTTPServerConnection: Sendable {
    public enum State: Sendable, Equatable {
        /// Reading the next request.
        case reading
        /// A request was handed out; waiting for `respond` or `upgrade`.
        case awaitingResponse(keepAlive: Bool)
        /// Handed over to WebSocket: this core does nothing more.
        case upgraded
        /// A final response is queued (or the peer left); close after transmitting.
        case closing
    }

    public let limits: HTTPLimits
    public internal(set) var state: State = .reading
    var parser: HTTPRequestParser
    var requests: [HTTPRequest] = []
    var transmit: [[UInt8]] = []
    var transmitHead = 0
    var idleSince: Instant
    var headStartedAt: Instant?
    var bodyStartedAt: Instant?

    public init(limits: HTTPLimits = HTTPLimits(), now: Instant) {
        self.limits = limits
        parser = HTTPRequestParser(limits: limits)
        idleSince = now
    }

    /// True once the socket should close (after the transmit queue drains).
    public var wantsClose: Bool { state == .closing }

    public mutating func handle(bytes: some Collection<UInt8>, at now: Instant) {
        switch state {
        case .upgraded, .closing: return
        case .reading, .awaitingResponse: break
        }
        if parser.phase == .idle, !bytes.isEmpty, headStartedAt == nil { headStartedAt = now }
        parser.append(bytes)
        advance(at: now)
    }

    /// The next request to answer.
    public mutating func pollEvent() -> HTTPRequest? {
        requests.isEmpty ? nil : requests.removeFirst()
    }

    public mutating func pollTransmit() -> [UInt8]? {
        guard transmitHead < transmit.count else { return nil }
        defer {
            transmitHead += 1
            if transmitHead == transmit.count { transmit.removeAll(keepingCapacity: true); transmitHead = 0 }
        }
        return transmit[transmitHead]
    }

    /// Answers the request handed out last. Adds `Connection: close` when the connection will
    /// close (the request or the response asked, or HTTP/1.0 without keep-alive). `date` is an
    /// IMF-fixdate the runtime computed.
    public mutating func respond(_ response: HTTPResponse, date: String? = nil, at now: Instant) {
        guard case let .awaitingResponse(keepAlive) = state else { return }
        var r = response
        let close = !keepAlive || response.closesConnection
        if close, !r.closesConnection { r.headers.set("Connection", "close") }
        transmit.append(r.serialized(date: date))
        if close {
            state = .closing
            return
        }
        state = .reading
        idleSince = now
        headStartedAt = parser.phase == .idle ? nil : now
        advance(at: now)
    }

    /// Sends the 101 answer and hands the connection over: returns the bytes that arrived after
    /// the request (the first WebSocket frames) for the new `WebSocketConnection`.
    public mutating func upgrade(_ response: HTTPResponse, at now: Instant) -> [UInt8] {
        guard case .awaitingResponse = state else { return [] }
        transmit.append(response.serialized())
        state = .upgraded
        return parser.takeRemaining()
    }

    /// The peer finished sending (read returned 0). Nothing more can arrive, so once the
    /// outstanding response is sent the connection closes.
    public mutating func handleEndOfInput(at now: Instant) {
        switch state {
        case .reading: state = .closing
        case .awaitingResponse: state = .awaitingResponse(keepAlive: false)
        case .upgraded, .closing: break
        }
    }

    public func pollTimeout() -> Instant? {
        guard state == .reading else { return nil }
        switch parser.phase {
        case .idle: return idleSince + limits.idleTimeout
        case .head: return (headStartedAt ?? idleSince) + limits.headerReadTimeout
        case .body: return (bodyStartedAt ?? idleSince) + limits.bodyReadTimeout
        }
    }

    public mutating func handleTimeout(at now: Instant) {
        guard let deadline = pollTimeout(), now >= deadline else { return }
        if parser.phase == .idle {
            state = .closing // idle keep-alive: close quietly
        } else {
            transmit.append(HTTPResponse.error(.requestTimeout).serialized())
            state = .closing
        }
    }

    mutating func advance(at now: Instant) {
        while state == .reading {
            do {
                switch try parser.next() {
                case .continueExpected?:
                    transmit.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                    bodyStartedAt = now
                case let .request(request)?:
                    requests.append(request)
                    state = .awaitingResponse(keepAlive: request.keepAlive)
                    headStartedAt = nil
                    bodyStartedAt = nil
                case nil:
                    if parser.phase == .body, bodyStartedAt == nil { bodyStartedAt = now }
                    return
                }
            } catch {
                transmit.append(HTTPResponse.error(error).serialized())
                state = .closing
            }
        }
    }
}

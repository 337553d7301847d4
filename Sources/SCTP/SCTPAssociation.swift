import CUsrsctp
import DCEP
import MediaCore

/// An SCTP association over DTLS (RFC 8261) carrying WebRTC data channels (RFC 8831/8832), on
/// usrsctp in AF_CONN mode without I/O: SCTP packets come in through `handle(packet:at:)` (DTLS
/// application data) and go out through `pollTransmit()` (to be sent as DTLS application data).
///
/// Driving contract: after `init`, `handle(packet:at:)`, `handleTimeout(at:)`, `openChannel`,
/// `send`, `closeChannel`, `shutdown` or `abort`, drain `pollTransmit()` and `pollEvent()` until
/// both return nil, then arm a timer for `pollTimeout()`. One thread drives one association;
/// usrsctp itself is process-global and serialized by one lock (`UsrsctpStack`).
///
/// Both peers connect (`usrsctp_connect`), as browsers do; SCTP's INIT collision handling turns
/// the two attempts into one association. Stream ids follow RFC 8832 §6: the DTLS client opens
/// channels on even ids, the DTLS server on odd ones.
public final class SCTPAssociation {
    public struct Configuration: Sendable {
        /// Our `a=sctp-port` and the peer's (RFC 8841; 5000 when absent).
        public var localPort: UInt16 = 5000
        public var remotePort: UInt16 = 5000
        /// Whether we are the DTLS client: picks even (client) or odd (server) stream ids.
        public var isDTLSClient: Bool
        /// What we advertised in `a=max-message-size`: larger incoming messages close the channel.
        /// 0 = no limit.
        public var localMaxMessageSize: UInt64 = 262_144
        /// The peer's `a=max-message-size` (65536 when absent, 0 = no limit): larger sends fail.
        public var remoteMaxMessageSize: UInt64 = 65_536
        /// Inbound and outbound streams we ask for (channel ids are below this).
        public var streams: UInt16 = 1024
        /// usrsctp's socket send and receive buffers.
        public var bufferBytes: Int32 = 1 << 20

        public init(isDTLSClient: Bool, localPort: UInt16 = 5000, remotePort: UInt16 = 5000,
                    localMaxMessageSize: UInt64 = 262_144, remoteMaxMessageSize: UInt64 = 65_536) {
            self.isDTLSClient = isDTLSClient
            self.localPort = localPort
            self.remotePort = remotePort
            self.localMaxMessageSize = localMaxMessageSize
            self.remoteMaxMessageSize = remoteMaxMessageSize
        }
    }

    public enum Event: Sendable, Equatable {
        case associationEstablished
        case channelOpened(id: UInt16, label: String, protocol: String)
        case message(id: UInt16, DataChannelMessage)
        case bufferedAmountLow(id: UInt16)
        case channelClosed(id: UInt16, reason: DataChannelCloseReason)
        case associationClosed(reason: AssociationCloseReason)
    }

    public enum State: Sendable, Equatable {
        case connecting, established, shuttingDown, closed
    }

    /// Association-wide counters for input that had nowhere to go.
    public struct Stats: Sendable, Equatable {
        /// User messages on a stream with no channel.
        public var droppedMessages = 0
        /// Packets `usrsctp_sendv` refused for a reason other than a full buffer.
        public var failedSends = 0
        public var packetsSent = 0
        public var packetsReceived = 0
    }

    public let configuration: Configuration
    public internal(set) var state: State = .connecting
    public internal(set) var stats = Stats()

    var socket: UsrsctpSocket?
    let id: UInt
    var transmits: [[UInt8]] = []
    var transmitHead = 0
    var events: [Event] = []
    var eventHead = 0
    var channels: [UInt16: Channel] = [:]
    var sendQueue: [PendingSend] = []
    var sendHead = 0
    /// Partly received user messages and notifications, by stream.
    var assembling: [UInt16: Assembly] = [:]
    var notificationAssembly: [UInt8] = []
    let receiveBuffer: UnsafeMutableRawBufferPointer

    /// The stack's clock (ms) at `clockOrigin`: maps our Instants onto `usrsctp_handle_timers`.
    let stackOrigin: Int64
    let clockOrigin: Instant
    var lastTimeout: Instant

    /// How often usrsctp wants its timers run: it exposes no next deadline, so we tick.
    public static let tickInterval = Duration.milliseconds(10)

    /// Creates the socket, binds our port and starts connecting to the peer's.
    public init(configuration: Configuration, at now: Instant) throws(SCTPError) {
        self.configuration = configuration
        id = UsrsctpStack.register()
        clockOrigin = now
        lastTimeout = now
        receiveBuffer = .allocate(byteCount: 1 << 16, alignment: 8)
        let id = self.id
        do throws(SCTPError) {
            (socket, stackOrigin) = try UsrsctpStack.withStack { (s: inout UsrsctpStack.State) throws(SCTPError) in
                (try UsrsctpSocket.open(id: id, localPort: configuration.localPort, remotePort: configuration.remotePort,
                                        streams: configuration.streams, bufferBytes: configuration.bufferBytes),
                 s.elapsedMilliseconds)
            }
        } catch {
            UsrsctpStack.unregister(id)
            receiveBuffer.deallocate()
            throw error
        }
        collectOutput()
    }

    deinit {
        if let socket { UsrsctpStack.withStack { _ in socket.close() } }
        UsrsctpStack.unregister(id)
        receiveBuffer.deallocate()
    }

    // MARK: - Sans-IO surface

    /// One SCTP packet from the DTLS layer (`usrsctp_conninput`).
    public func handle(packet: [UInt8], at now: Instant) {
        guard let socket else { return }
        stats.packetsReceived += 1
        UsrsctpStack.withStack { _ in
            packet.withUnsafeBytes { usrsctp_conninput(UnsafeMutableRawPointer(bitPattern: socket.id), $0.baseAddress, $0.count, 0) }
        }
        pump()
    }

    /// Runs usrsctp's timers (`usrsctp_handle_timers`) up to `now` and retries queued sends.
    ///
    /// usrsctp has one timer clock per process. Each association maps its own Instants onto it
    /// from where the stack's clock stood at its creation, and only moves it forward, so several
    /// associations on one clock advance it once, and ones on different clocks (tests in virtual
    /// time) never move it back. usrsctp still reads the real clock for RTT and for which chunks
    /// a T3 expiry resends, and for PR-SCTP lifetimes.
    ///
    /// The clock moves in whole ticks: each `usrsctp_handle_timers` walks the process's entire
    /// callout list (every timer of every association), so with many calls, each ticking at its
    /// own phase, moving it by a millisecond or two per call made the walks grow with the square
    /// of the calls. A timer fires at most one tick late (the RTO floor is 100 ms).
    public func handleTimeout(at now: Instant) {
        guard socket != nil else { return }
        if now > lastTimeout { lastTimeout = now }
        let target = stackOrigin + (now - clockOrigin).nanoseconds / 1_000_000
        UsrsctpStack.withStack { s in
            if target - s.elapsedMilliseconds >= Self.tickInterval.nanoseconds / 1_000_000 {
                usrsctp_handle_timers(UInt32(clamping: target - s.elapsedMilliseconds))
                s.elapsedMilliseconds = target
            }
        }
        pump()
    }

    /// The next SCTP packet for DTLS.
    public func pollTransmit() -> [UInt8]? {
        guard transmitHead < transmits.count else { return nil }
        let p = transmits[transmitHead]
        transmitHead += 1
        if transmitHead == transmits.count { transmits.removeAll(keepingCapacity: true); transmitHead = 0 }
        return p
    }

    public func pollEvent() -> Event? {
        guard eventHead < events.count else { return nil }
        let e = events[eventHead]
        eventHead += 1
        if eventHead == events.count { events.removeAll(keepingCapacity: true); eventHead = 0 }
        return e
    }

    /// When to call `handleTimeout` next: every `tickInterval` while the association exists.
    public func pollTimeout() -> Instant? {
        socket == nil ? nil : lastTimeout + Self.tickInterval
    }

    /// Starts a graceful SHUTDOWN (queued data is delivered first); `associationClosed(.shutdown)`
    /// follows when it completes.
    public func shutdown(at now: Instant) {
        guard let socket, state != .closed, state != .shuttingDown else { return }
        flushSendQueue()
        state = .shuttingDown
        UsrsctpStack.withStack { _ in socket.shutdown() }
        pump()
    }

    /// Sends ABORT and ends the association at once.
    public func abort(at now: Instant) {
        guard let socket else { return }
        UsrsctpStack.withStack { _ in socket.abortAndClose() }
        self.socket = nil
        collectOutput()
        finish(.aborted)
    }

    // MARK: - Internals

    /// After any call into usrsctp: read what arrived, push queued sends, collect packets.
    func pump() {
        receiveAll()
        flushSendQueue()
        collectOutput()
    }

    func collectOutput() {
        let before = transmits.count
        UsrsctpStack.takeOutbox(id, into: &transmits)
        stats.packetsSent += transmits.count - before
    }

    /// Ends the association: closes every channel and the socket, reports why.
    func finish(_ reason: AssociationCloseReason) {
        guard state != .closed else { return }
        state = .closed
        for cid in channels.keys.sorted() { events.append(.channelClosed(id: cid, reason: .associationClosed)) }
        channels.removeAll()
        sendQueue.removeAll()
        sendHead = 0
        if let socket {
            UsrsctpStack.withStack { _ in socket.close() }
            self.socket = nil
        }
        collectOutput()
        events.append(.associationClosed(reason: reason))
    }

    func emit(_ e: Event) { events.append(e) }
}

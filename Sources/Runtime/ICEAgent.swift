internal import CNice
import Synchronization
import MediaCore

/// Why an ICE operation was refused.
public enum ICEError: Error, Equatable, Sendable {
    case invalidAddress(String)
    case invalidCandidate(String)
    case notGathered
    /// Something this libnice cannot do (the reason says what).
    case unsupported(String)
    case library(String)
}

/// Events from libnice's thread, queued for the runtime. The C callbacks only append here and
/// call `wake`; they never reach into the agent or any protocol core.
final class ICEInbox: Sendable {
    private let events = Mutex<[ICEEvent]>([])
    let wake: @Sendable () -> Void
    /// False: an RTP media datagram is queued without a wake (the runtime thread takes it on its
    /// next media tick); everything else (STUN, DTLS, RTCP, state) still wakes at once.
    let wakeOnMedia: Bool
    init(wakeOnMedia: Bool, wake: @escaping @Sendable () -> Void) {
        self.wakeOnMedia = wakeOnMedia
        self.wake = wake
    }

    func push(_ event: ICEEvent) {
        events.withLock { $0.append(event) }
        if !wakeOnMedia, case .received(let d, _) = event, PacketClass(datagram: d) == .rtpOrRTCP, !PacketClass.isRTCP(d) { return }
        wake()
    }
    func drain() -> [ICEEvent] { events.withLock { e in defer { e.removeAll(keepingCapacity: true) }; return e } }
}

/// Full ICE (RFC 8445) through libnice: gathering host, server-reflexive and relay candidates,
/// connectivity checks in either role, trickle, peer-reflexive candidates learned from incoming
/// checks, consent freshness (RFC 7675) and restart. One stream with one component (rtcp-mux and
/// BUNDLE put audio, RTCP, DTLS and SCTP on one 5-tuple).
///
/// Threading: libnice runs on `loop`'s thread and may also signal on the caller's thread; every
/// callback only enqueues into the inbox. Methods here may be called from the runtime thread.
public final class ICEAgent: @unchecked Sendable {
    /// How we reach a TURN server. `.tls` is refused: libnice 0.1.21 in RFC 5245 mode speaks
    /// plain TCP to a "TLS" relay (its only TLS is a fake handshake for Google/MSOC dialects).
    public enum TURNTransport: Sendable { case udp, tcp, tls }
    public struct TURNServer: Sendable {
        public var host: String, port: UInt16, username: String, password: String, transport: TURNTransport
        public init(host: String, port: UInt16, username: String, password: String, transport: TURNTransport = .udp) {
            self.host = host; self.port = port; self.username = username; self.password = password; self.transport = transport
        }
    }
    public struct Configuration: Sendable {
        public var controlling: Bool
        /// Addresses to gather host candidates on; empty means every interface.
        public var localAddresses: [String]
        /// A STUN server (numeric IP) for server-reflexive candidates.
        public var stunServer: (host: String, port: UInt16)?
        public var turnServers: [TURNServer]
        public var consentFreshness: Bool
        /// Gather, signal and check only relayed candidates (W3C `iceTransportPolicy: "relay"`):
        /// the peer never learns our host or server-reflexive addresses. Needs a TURN server.
        public var relayOnly: Bool
        /// Ta in ms: how often libnice sends a check or gathering request.
        public var pacingMilliseconds: UInt32
        /// False for a runtime thread that ticks on its own media clock: received RTP media does
        /// not wake it (see `ICEInbox`), which saves a wake-up per packet.
        public var wakeOnMedia: Bool
        public init(controlling: Bool, localAddresses: [String] = [], stunServer: (host: String, port: UInt16)? = nil,
                    turnServers: [TURNServer] = [], consentFreshness: Bool = true, relayOnly: Bool = false,
                    pacingMilliseconds: UInt32 = 5, wakeOnMedia: Bool = true) {
            self.wakeOnMedia = wakeOnMedia
            self.relayOnly = relayOnly
            self.pacingMilliseconds = pacingMilliseconds
            self.controlling = controlling
            self.localAddresses = localAddresses
            self.stunServer = stunServer
            self.turnServers = turnServers
            self.consentFreshness = consentFreshness
        }
    }

    static let registry = CallbackRegistry<ICEInbox>()
    private static let componentID: UInt32 = 1

    public let configuration: Configuration
    private let loop: GLibLoop
    private let agent: OpaquePointer
    private let inbox: ICEInbox
    private let registration: UInt
    private var streamID: UInt32 = 0
    private var closed = false

    public init(configuration: Configuration, loop: GLibLoop, wake: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.loop = loop
        var options = NICE_AGENT_OPTION_ICE_TRICKLE.rawValue
        if configuration.consentFreshness { options |= NICE_AGENT_OPTION_CONSENT_FRESHNESS.rawValue }
        // GLib aborts rather than return nil on allocation failure.
        agent = nice_agent_new_full(loop.context, NICE_COMPATIBILITY_RFC5245, NiceAgentOption(rawValue: options))!
        inbox = ICEInbox(wakeOnMedia: configuration.wakeOnMedia, wake: wake)
        registration = ICEAgent.registry.register(inbox)
        let user = CallbackRegistry<ICEInbox>.pointer(registration)
        sr_nice_set_controlling(agent, configuration.controlling ? 1 : 0)
        sr_nice_set_upnp(agent, 0)
        sr_nice_set_force_relay(agent, configuration.relayOnly ? 1 : 0)
        // RFC 8445 §14.2 lets Ta go down to 5 ms; libnice's 20 ms default puts the first check of a
        // loopback or LAN call 20 ms late. A voice call has few pairs, so the extra rate is small.
        sr_nice_set_stun_pacing_timer(agent, configuration.pacingMilliseconds)
        _ = sr_nice_on_new_candidate_full(agent, { agent, candidate, user in
            guard let inbox = ICEAgent.registry.lookup(CallbackRegistry<ICEInbox>.id(user)),
                  let line = ICEAgent.candidateLine(agent, candidate) else { return }
            inbox.push(.localCandidate(line))
        }, user)
        _ = sr_nice_on_candidate_gathering_done(agent, { _, _, user in
            ICEAgent.registry.lookup(CallbackRegistry<ICEInbox>.id(user))?.push(.gatheringDone)
        }, user)
        _ = sr_nice_on_component_state_changed(agent, { _, _, _, state, user in
            ICEAgent.registry.lookup(CallbackRegistry<ICEInbox>.id(user))?.push(.stateChanged(ICEAgent.map(state)))
        }, user)
        _ = sr_nice_on_new_selected_pair_full(agent, { agent, _, _, local, remote, user in
            guard let inbox = ICEAgent.registry.lookup(CallbackRegistry<ICEInbox>.id(user)) else { return }
            inbox.push(.selectedPair(local: ICEAgent.candidateLine(agent, local) ?? "?",
                                     remote: ICEAgent.candidateLine(agent, remote) ?? "?"))
        }, user)
    }

    deinit { close() }

    /// Our ICE credentials, available after `gather()`.
    public private(set) var localUfrag = ""
    public private(set) var localPassword = ""

    /// Creates the stream and starts gathering; candidates arrive as `.localCandidate` events.
    public func gather() throws(ICEError) {
        guard streamID == 0 else { return }
        if configuration.turnServers.contains(where: { $0.transport == .tls }) {
            throw .unsupported("TURN over TLS: libnice 0.1.21 would send plain TCP to the TLS port")
        }
        for address in configuration.localAddresses {
            var a = NiceAddress()
            nice_address_init(&a)
            guard nice_address_set_from_string(&a, address) != 0 else { throw .invalidAddress(address) }
            _ = nice_agent_add_local_address(agent, &a)
        }
        if let stun = configuration.stunServer { sr_nice_set_stun_server(agent, stun.host, UInt32(stun.port)) }
        streamID = nice_agent_add_stream(agent, 1)
        guard streamID != 0 else { throw .library("nice_agent_add_stream failed") }
        _ = nice_agent_set_stream_name(agent, streamID, "audio")
        for turn in configuration.turnServers {
            let type: NiceRelayType = switch turn.transport {
            case .udp: NICE_RELAY_TYPE_TURN_UDP
            case .tcp: NICE_RELAY_TYPE_TURN_TCP
            case .tls: NICE_RELAY_TYPE_TURN_TLS   // refused above; kept for a libnice that does TLS
            }
            guard nice_agent_set_relay_info(agent, streamID, ICEAgent.componentID, turn.host, UInt32(turn.port),
                                            turn.username, turn.password, type) != 0 else {
                throw .invalidAddress(turn.host)
            }
        }
        _ = nice_agent_attach_recv(agent, streamID, ICEAgent.componentID, loop.context, { _, _, _, length, buffer, user in
            guard let buffer, let inbox = ICEAgent.registry.lookup(CallbackRegistry<ICEInbox>.id(user)) else { return }
            inbox.push(.received(Array(UnsafeRawBufferPointer(start: buffer, count: Int(length))), at: RuntimeClock.now()))
        }, CallbackRegistry<ICEInbox>.pointer(registration))
        readCredentials()
        guard nice_agent_gather_candidates(agent, streamID) != 0 else { throw .library("nice_agent_gather_candidates failed") }
    }

    private func readCredentials() {
        var ufrag: UnsafeMutablePointer<gchar>?
        var pwd: UnsafeMutablePointer<gchar>?
        guard nice_agent_get_local_credentials(agent, streamID, &ufrag, &pwd) != 0, let ufrag, let pwd else { return }
        localUfrag = String(cString: ufrag)
        localPassword = String(cString: pwd)
        g_free(ufrag)
        g_free(pwd)
    }

    public func setRemoteCredentials(ufrag: String, password: String) throws(ICEError) {
        guard streamID != 0 else { throw .notGathered }
        guard nice_agent_set_remote_credentials(agent, streamID, ufrag, password) != 0 else {
            throw .library("nice_agent_set_remote_credentials refused")
        }
    }

    /// Adds one remote candidate (`candidate:…`, with or without `a=`); trickle or from the SDP.
    public func addRemoteCandidate(_ line: String) throws(ICEError) {
        guard streamID != 0 else { throw .notGathered }
        // libnice parses the attribute form, with its "a=".
        let text = line.hasPrefix("a=") ? line : "a=" + line
        guard let candidate = nice_agent_parse_remote_candidate_sdp(agent, streamID, text) else {
            throw .invalidCandidate(line)
        }
        defer { nice_candidate_free(candidate) }
        let list = g_slist_append(nil, candidate)
        defer { g_slist_free(list) }
        guard nice_agent_set_remote_candidates(agent, streamID, ICEAgent.componentID, list) >= 0 else {
            throw .invalidCandidate(line)
        }
    }

    /// The peer signalled end-of-candidates: checks may now conclude (and fail) without waiting.
    public func endOfRemoteCandidates() {
        guard streamID != 0 else { return }
        _ = nice_agent_peer_candidate_gathering_done(agent, streamID)
    }

    /// Sends a datagram on the selected pair; false when there is none yet (or it failed).
    @discardableResult
    public func send(_ datagram: [UInt8]) -> Bool {
        guard streamID != 0, !closed else { return false }
        let n = datagram.withUnsafeBytes { nice_agent_send(agent, streamID, ICEAgent.componentID, UInt32($0.count), $0.baseAddress?.assumingMemoryBound(to: gchar.self)) }
        return n == Int32(datagram.count)
    }

    /// ICE restart: new local credentials, gathering and checks again.
    public func restart() throws(ICEError) {
        guard streamID != 0 else { throw .notGathered }
        guard nice_agent_restart_stream(agent, streamID) != 0 else { throw .library("nice_agent_restart_stream failed") }
        readCredentials()
        _ = nice_agent_gather_candidates(agent, streamID)
    }

    /// Everything that happened since the last call, in order.
    public func pollEvents() -> [ICEEvent] { inbox.drain() }

    /// Detaches every callback (late ones become no-ops) and frees the agent.
    public func close() {
        guard !closed else { return }
        closed = true
        ICEAgent.registry.unregister(registration)
        if streamID != 0 {
            _ = nice_agent_attach_recv(agent, streamID, ICEAgent.componentID, loop.context, nil, nil)
        }
        sr_g_object_unref(UnsafeMutableRawPointer(agent))
    }

    // MARK: - C helpers

    static func candidateLine(_ agent: OpaquePointer?, _ candidate: UnsafeMutablePointer<NiceCandidate>?) -> String? {
        guard let agent, let candidate, let sdp = nice_agent_generate_local_candidate_sdp(agent, candidate) else { return nil }
        defer { g_free(sdp) }
        let line = String(cString: sdp)
        return line.hasPrefix("a=") ? String(line.dropFirst(2)) : line
    }

    static func map(_ state: UInt32) -> ICEConnectionState {
        switch NiceComponentState(rawValue: state) {
        case NICE_COMPONENT_STATE_DISCONNECTED: return .disconnected
        case NICE_COMPONENT_STATE_GATHERING: return .new
        case NICE_COMPONENT_STATE_CONNECTING: return .checking
        case NICE_COMPONENT_STATE_CONNECTED: return .connected
        case NICE_COMPONENT_STATE_READY: return .completed
        case NICE_COMPONENT_STATE_FAILED: return .failed
        default: return .closed
        }
    }
}

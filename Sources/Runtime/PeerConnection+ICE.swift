import Engine
import SDP

/// Which candidates ICE may use (W3C `RTCIceTransportPolicy`).
public enum ICETransportPolicy: String, Sendable {
    case all
    /// Relayed (TURN) candidates only: the peer never learns our addresses.
    case relay
}

/// Trickle ICE (RFC 8838) and ICE restart (RFC 8445 §9) on the PeerConnection API.
///
/// Trickle: `createTrickleOffer()` / `createTrickleAnswer(offer:)` return at once, with whatever
/// candidates are gathered so far; every later one comes as `.iceCandidate`, then
/// `.iceGatheringComplete`. The peer's trickled candidates go to `addRemoteCandidate(_:)` and
/// `endOfRemoteCandidates()` once its description is applied (as the W3C API requires).
/// `createOffer()` / `createAnswer(offer:)` still wait for gathering and carry every candidate.
///
/// Restart: `restartICE()` gives new local ICE credentials and returns a subsequent offer over the
/// same DTLS association (same keys, no new handshake); the peer answers it with
/// `createAnswer(offer:)`, and `setRemoteAnswer(_:)` completes it. Media keeps flowing on the old
/// pair until the new checks select one.
extension PeerConnection {
    /// Our offer without waiting for gathering (trickle).
    public func createTrickleOffer() throws(PeerConnectionError) -> String {
        try startGathering(controlling: true)
        return try perform { () throws(PeerConnectionError) -> String in
            self.handleICE()
            return try self.makeSession().createOffer()
        }
    }

    /// Our answer without waiting for gathering (trickle).
    public func createTrickleAnswer(offer sdp: String) throws(PeerConnectionError) -> String {
        if try perform({ self.session != nil }) { return try answerSubsequentOffer(sdp) }
        try startGathering(controlling: false)
        return try perform { () throws(PeerConnectionError) -> String in
            self.handleICE()
            let session = try self.makeSession()
            let answer: String
            do throws(PeerSessionError) { answer = try session.answer(offer: sdp, at: RuntimeClock.now()) } catch { throw .session(error) }
            try self.applyRemoteICE()
            return answer
        }
    }

    /// One trickled remote candidate (`candidate:…`, with or without `a=`), after the peer's
    /// description. An empty line means end-of-candidates (as the W3C API's empty candidate).
    public func addRemoteCandidate(_ line: String) throws(PeerConnectionError) {
        guard !line.isEmpty else { return endOfRemoteCandidates() }
        try perform { () throws(PeerConnectionError) in
            guard let ice = self.ice, self.session?.negotiated != nil else {
                throw .wrongState("a remote candidate before the remote description")
            }
            do throws(ICEError) { try ice.addRemoteCandidate(line) } catch { throw .ice(error) }
        }
    }

    /// The peer has no more candidates: checks may conclude (and fail) without waiting.
    public func endOfRemoteCandidates() {
        post { [weak self] in self?.ice?.endOfRemoteCandidates() }
    }

    /// Restarts ICE (new ufrag and password, checks again) and returns the subsequent offer to
    /// send; the DTLS association and SRTP keys stay.
    public func restartICE() throws(PeerConnectionError) -> String {
        try perform { () throws(PeerConnectionError) -> String in
            guard let ice = self.ice, let session = self.session, session.negotiated != nil else {
                throw .wrongState("ICE restart needs a negotiated call")
            }
            do throws(ICEError) { try ice.restart() } catch { throw .ice(error) }
            do throws(PeerSessionError) {
                return try session.createRestartOffer(iceUfrag: ice.localUfrag, icePwd: ice.localPassword,
                                                      candidates: self.localSDPCandidates, endOfCandidates: self.gatheringDone)
            } catch { throw .session(error) }
        }
    }

    // MARK: - Call thread

    /// Answers a subsequent offer; when it restarts ICE our agent restarts too (RFC 8445 §9:
    /// both sides change credentials) and checks run against the offer's candidates.
    func answerSubsequentOffer(_ sdp: String) throws(PeerConnectionError) -> String {
        try perform { () throws(PeerConnectionError) -> String in
            guard let ice = self.ice, let session = self.session else { throw .wrongState("no call to renegotiate") }
            let restart: Bool
            do throws(PeerSessionError) { restart = try session.offerRestartsICE(sdp) } catch { throw .session(error) }
            if restart {
                do throws(ICEError) { try ice.restart() } catch { throw .ice(error) }
            }
            let answer: String
            do throws(PeerSessionError) {
                answer = try session.answerSubsequentOffer(sdp, iceUfrag: ice.localUfrag, icePwd: ice.localPassword,
                                                           candidates: self.localSDPCandidates, endOfCandidates: self.gatheringDone)
            } catch { throw .session(error) }
            if restart { try self.applyRemoteICE() }
            return answer
        }
    }

    /// The agent for this call, from the configuration. RTP media never wakes the call thread:
    /// it is needed only when the jitter buffer is pulled, and the thread wakes for that anyway
    /// (a device's pops, or the call-thread clock's ticks); each datagram keeps libnice's hand-over
    /// time as its arrival. STUN, DTLS, SCTP and RTCP still wake it at once.
    func makeICEAgent(controlling: Bool) -> ICEAgent {
        ICEAgent(configuration: .init(controlling: controlling, localAddresses: configuration.localAddresses,
                                      stunServer: configuration.stunServer, turnServers: configuration.turnServers,
                                      relayOnly: configuration.iceTransportPolicy == .relay,
                                      wakeOnMedia: false),
                 loop: glib) { [doorbell] in doorbell.ring() }
    }

    /// Creates the agent and starts gathering without waiting for it to finish.
    func startGathering(controlling: Bool) throws(PeerConnectionError) {
        let agent = makeICEAgent(controlling: controlling)
        try perform { () throws(PeerConnectionError) in
            guard self.ice == nil else { throw .wrongState("ICE already gathering") }
            self.ice = agent
        }
        do throws(ICEError) { try agent.gather() } catch { throw .ice(error) }
    }

    /// Our gathered candidates, as SDP values.
    var localSDPCandidates: [ICECandidate] { localCandidates.compactMap { try? ICECandidate(parsing: $0[...]) } }
}

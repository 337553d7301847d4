import MediaCore
import SDP

/// ICE restart (RFC 8445 §9; JSEP, RFC 8829 §5.2.2 and §5.3.2): a subsequent offer/answer that
/// changes only the ICE credentials and candidates. The DTLS association, and with it the SRTP
/// keys, the RTP streams and the jitter buffer, carries on over whatever pair ICE selects next.
///
/// Subsequent offers keep `a=setup:actpass` (as browsers do); our answers keep the role we
/// already have, and a peer whose answer would flip the DTLS roles or change its certificate is
/// refused: that would need a new DTLS association, which this session does not run.
extension PeerSession {
    /// Our subsequent offer carrying new ICE credentials (from the agent's restart) and our
    /// candidates; its answer goes to `acceptAnswer(_:at:)` like the first one.
    public func createRestartOffer(iceUfrag: String, icePwd: String, candidates: [ICECandidate],
                                   endOfCandidates: Bool) throws(PeerSessionError) -> String {
        guard negotiated != nil else { throw .wrongSignalingState("an ICE restart needs a negotiated session") }
        guard restartOffer == nil else { throw .wrongSignalingState("an ICE restart offer already awaits its answer") }
        local = restarted(local, iceUfrag: iceUfrag, icePwd: icePwd, candidates: candidates, endOfCandidates: endOfCandidates)
        let offer = OfferAnswerNegotiator(local: local).makeOffer()
        restartOffer = offer
        return offer.text
    }

    /// Whether the peer's subsequent offer restarts ICE: its ICE credentials differ from the
    /// negotiated ones (RFC 8839 §4.4.1.1.2).
    public func offerRestartsICE(_ sdp: String) throws(PeerSessionError) -> Bool {
        guard let current = negotiated else { throw .wrongSignalingState("no negotiated session to renegotiate") }
        let transport: TransportParameters
        do {
            let offer = try SessionDescription(parsing: sdp)
            transport = try offer.transport(forSection: 0)
        } catch { throw .malformedDescription("\(error)") }
        return transport.iceUfrag != current.remoteICEUfrag || transport.icePwd != current.remoteICEPwd
    }

    /// Answers the peer's subsequent offer with our ICE credentials and candidates (the new ones
    /// when the offer restarts ICE, else the current ones), keeping our DTLS role.
    public func answerSubsequentOffer(_ sdp: String, iceUfrag: String, icePwd: String, candidates: [ICECandidate],
                                      endOfCandidates: Bool) throws(PeerSessionError) -> String {
        guard let current = negotiated else { throw .wrongSignalingState("no negotiated session to renegotiate") }
        guard restartOffer == nil else { throw .wrongSignalingState("our own ICE restart offer awaits its answer (glare)") }
        let offer: SessionDescription
        do { offer = try SessionDescription(parsing: sdp) } catch { throw .malformedDescription("\(error)") }
        var next = restarted(local, iceUfrag: iceUfrag, icePwd: icePwd, candidates: candidates, endOfCandidates: endOfCandidates)
        next.answererSetup = current.localSetup
        let result: (answer: SessionDescription, session: NegotiatedSession)
        do { result = try OfferAnswerNegotiator(local: next).makeAnswer(to: offer) } catch { throw .negotiation(error) }
        try adoptICE(of: result.session)
        local = next
        return result.answer.text
    }

    /// The answer to our restart offer (reached through `acceptAnswer`).
    func acceptRestartAnswer(_ sdp: String, toOffer offer: SessionDescription) throws(PeerSessionError) {
        restartOffer = nil
        let answer: SessionDescription
        do { answer = try SessionDescription(parsing: sdp) } catch { throw .malformedDescription("\(error)") }
        let session: NegotiatedSession
        do { session = try OfferAnswerNegotiator(local: local).acceptAnswer(answer, toOffer: offer) } catch { throw .negotiation(error) }
        try adoptICE(of: session)
    }

    /// Takes the remote ICE parameters of a renegotiation; everything else stays as negotiated.
    private func adoptICE(of next: NegotiatedSession) throws(PeerSessionError) {
        guard var current = negotiated else { throw .wrongSignalingState("no negotiated session to renegotiate") }
        guard Set(next.remoteFingerprints) == Set(current.remoteFingerprints) else {
            throw .wrongSignalingState("the peer changed its DTLS certificate: a new DTLS association is not supported")
        }
        guard next.dtlsRole == current.dtlsRole else {
            throw .wrongSignalingState("the renegotiation flips the DTLS roles: a new DTLS association is not supported")
        }
        current.remoteICEUfrag = next.remoteICEUfrag
        current.remoteICEPwd = next.remoteICEPwd
        current.remoteICELite = next.remoteICELite
        current.remoteICEOptions = next.remoteICEOptions
        current.remoteCandidates = next.remoteCandidates
        current.remoteEndOfCandidates = next.remoteEndOfCandidates
        negotiated = current
    }

    private func restarted(_ parameters: LocalParameters, iceUfrag: String, icePwd: String, candidates: [ICECandidate],
                           endOfCandidates: Bool) -> LocalParameters {
        var p = parameters
        p.iceUfrag = iceUfrag
        p.icePwd = icePwd
        p.candidates = candidates
        p.endOfCandidates = endOfCandidates
        p.sessionVersion += 1   // RFC 8866 §5.2: a changed description has a higher version
        return p
    }
}

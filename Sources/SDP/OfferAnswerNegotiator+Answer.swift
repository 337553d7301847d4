import MediaCore

extension OfferAnswerNegotiator {
    /// What we decided for one offered m-line.
    enum SectionPlan {
        case audio(AudioChoice)
        case data
        case rejected(NegotiationError)
    }

    /// Answers a remote offer (RFC 8829 §5.3): accepts the first audio and the first data m-line
    /// we can run on one BUNDLEd transport, rejects every other m-line with port 0, and returns
    /// the answer together with the session it sets up.
    ///
    /// Throws when the offer is unusable as a whole: malformed, no ICE credentials or fingerprint
    /// for the transport, an unusable `a=setup`, nothing acceptable, or (with `requireAudio`) the
    /// audio m-line's own reason for rejection.
    public func makeAnswer(to offer: SessionDescription) throws(NegotiationError) -> (answer: SessionDescription, session: NegotiatedSession) {
        do {
            return try answer(offer)
        } catch let error as NegotiationError {
            throw error
        } catch let error as ParseError {
            throw .malformed(error)
        } catch {
            // Only the two error types above are thrown inside; this keeps the typed signature.
            throw .noUsableMedia
        }
    }

    private func answer(_ offer: SessionDescription) throws -> (answer: SessionDescription, session: NegotiatedSession) {
        let bundle = try offer.bundleMids
        var plans: [SectionPlan] = []
        var haveAudio = false, haveData = false, acceptedAny = false
        for (i, s) in offer.mediaSections.enumerated() {
            let plan = try planSection(s, index: i, bundle: bundle, haveAudio: haveAudio, haveData: haveData, acceptedAny: acceptedAny)
            switch plan {
            case .audio: haveAudio = true; acceptedAny = true
            case .data: haveData = true; acceptedAny = true
            case .rejected: break
            }
            plans.append(plan)
        }
        let audioIndex = offer.mediaSections.firstIndex { $0.media.media == "audio" }
        if local.requireAudio {
            guard let audioIndex else { throw NegotiationError.noUsableMedia }
            if case .rejected(let reason) = plans[audioIndex] { throw reason }
        }
        guard let first = plans.firstIndex(where: { if case .rejected = $0 { return false } else { return true } }) else {
            if case .rejected(let reason)? = plans.first { throw reason }
            throw NegotiationError.noUsableMedia
        }

        // One transport: the parameters of the first accepted (BUNDLE-tagged) m-line.
        let firstMid = offer.mediaSections[first].mid
        let transport = try offer.transport(forSection: first)
        guard let ufrag = transport.iceUfrag, let pwd = transport.icePwd else { throw NegotiationError.missingICECredentials(mid: firstMid) }
        guard !transport.fingerprints.isEmpty else { throw NegotiationError.missingFingerprint(mid: firstMid) }
        let ourSetup: SetupRole
        switch transport.setup ?? .actpass {  // absent in an offer means actpass (RFC 8842 §5.2)
        case .actpass: ourSetup = local.answererSetup == .passive ? .passive : .active
        case .active: ourSetup = .passive
        case .passive: ourSetup = .active
        case .holdconn: throw NegotiationError.invalidSetup(mid: firstMid, role: .holdconn)
        }

        var sections: [MediaSection] = []
        var acceptedMids: [String] = []
        var acceptedSections: [MediaSection] = []
        var rejected: [RejectedSection] = []
        var audio: NegotiatedAudio?
        var data: NegotiatedData?
        for (i, s) in offer.mediaSections.enumerated() {
            let mid = s.mid
            switch plans[i] {
            case .rejected(let reason):
                rejected.append(RejectedSection(index: i, mid: mid, media: s.media.media, reason: reason))
                var lines = [SDPLine(type: "c", value: "IN IP4 0.0.0.0", ending: local.lineEnding)]
                if let mid { lines.append(attr("mid", mid)) }
                let m = MediaDescription(media: s.media.media, port: 0, proto: s.media.proto, formats: s.media.formats)
                sections.append(MediaSection(media: m, lines: lines, ending: local.lineEnding))
            case .audio(let choice):
                let remoteDirection = offer.direction(forSection: i)
                let ourDirection = MediaDirection(sends: local.audioDirection.sends && remoteDirection.receives,
                                                  receives: local.audioDirection.receives && remoteDirection.sends)
                let extID = local.audioLevelExtensionID == nil ? nil : try Self.audioLevelID(s)
                audio = try negotiatedAudio(remote: s, remoteDirection: remoteDirection, choice: choice,
                                            ourDirection: local.audioDirection, extensionID: extID)
                var lines = transportLines(setup: ourSetup, mid: mid)
                if let extID { lines.append(attr("extmap", ExtMap(id: extID, uri: ExtMap.ssrcAudioLevelURI).sdpValue)) }
                let codecs = [choice.primary] + (choice.telephoneEvent.map { [$0] } ?? [])
                lines += audioStreamLines(direction: ourDirection, codecs: codecs)
                let m = mediaDescription("audio", proto: s.media.proto, formats: codecs.map { String($0.payloadType) })
                sections.append(MediaSection(media: m, lines: lines, ending: local.lineEnding))
                if let mid { acceptedMids.append(mid) }
                acceptedSections.append(s)
            case .data:
                data = NegotiatedData(mid: mid, localSCTPPort: local.sctpPort, remoteSCTPPort: try s.sctpPort ?? 5000,
                                      remoteMaxMessageSize: try s.maxMessageSize ?? 65536, localMaxMessageSize: local.maxMessageSize)
                let lines = transportLines(setup: ourSetup, mid: mid) + dataLines()
                let m = mediaDescription("application", proto: s.media.proto, formats: ["webrtc-datachannel"])
                sections.append(MediaSection(media: m, lines: lines, ending: local.lineEnding))
                if let mid { acceptedMids.append(mid) }
                acceptedSections.append(s)
            }
        }
        let bundleMids = bundle.isEmpty ? [] : acceptedMids
        let answer = SessionDescription(sessionLines: sessionLines(bundle: bundleMids), mediaSections: sections)
        let session = NegotiatedSession(
            remoteICEUfrag: ufrag, remoteICEPwd: pwd, remoteICELite: transport.iceLite, remoteICEOptions: transport.iceOptions,
            remoteCandidates: try Self.candidates(of: acceptedSections),
            remoteEndOfCandidates: acceptedSections.contains { $0.endOfCandidates },
            remoteFingerprints: transport.fingerprints, localSetup: ourSetup,
            dtlsRole: ourSetup == .active ? .client : .server, bundleMids: bundleMids,
            audio: audio, data: data, rejected: rejected)
        return (answer, session)
    }

    /// Decides one offered m-line. Only the first audio and first data m-line can be accepted,
    /// and only inside the BUNDLE group (or, without BUNDLE, only the first m-line accepted).
    private func planSection(_ s: MediaSection, index: Int, bundle: [String], haveAudio: Bool, haveData: Bool,
                             acceptedAny: Bool) throws -> SectionPlan {
        let mid = s.mid
        if s.isRejected { return .rejected(.rejectedByRemote(mid: mid)) }
        switch s.media.media {
        case "audio" where !haveAudio:
            guard s.media.isSecureRTP else { return .rejected(.unsupportedTransport(mid: mid, proto: s.media.proto)) }
            guard bundled(mid, bundle: bundle, acceptedAny: acceptedAny) else { return .rejected(.notBundled(mid: mid)) }
            guard s.hasRTCPMux else { return .rejected(.rtcpMuxRequired(mid: mid)) }
            guard let choice = chooseAudio(from: try Self.remoteRTPMaps(s)) else { return .rejected(.noCommonCodec(mid: mid)) }
            return .audio(choice)
        case "application" where !haveData:
            guard s.media.isDTLSSCTP, s.media.formats == ["webrtc-datachannel"] else {
                return .rejected(.unsupportedTransport(mid: mid, proto: s.media.proto))
            }
            guard bundled(mid, bundle: bundle, acceptedAny: acceptedAny) else { return .rejected(.notBundled(mid: mid)) }
            return .data
        default:
            return .rejected(.unsupportedMedia(mid: mid, media: s.media.media))
        }
    }

    private func bundled(_ mid: String?, bundle: [String], acceptedAny: Bool) -> Bool {
        if bundle.isEmpty { return !acceptedAny }
        guard let mid else { return false }
        return bundle.contains(mid)
    }
}

import MediaCore

extension OfferAnswerNegotiator {
    /// Applies the remote answer to our offer (RFC 8829 §5.10): checks it lines up with the offer,
    /// learns our DTLS role from its `a=setup`, and returns the session it sets up. A rejected
    /// (port 0) data m-line just leaves `data` nil; a rejected audio m-line throws when
    /// `requireAudio` is set.
    public func acceptAnswer(_ answer: SessionDescription, toOffer offer: SessionDescription) throws(NegotiationError) -> NegotiatedSession {
        do {
            return try accept(answer, offer)
        } catch let error as NegotiationError {
            throw error
        } catch let error as ParseError {
            throw .malformed(error)
        } catch {
            // Only the two error types above are thrown inside; this keeps the typed signature.
            throw .noUsableMedia
        }
    }

    private func accept(_ answer: SessionDescription, _ offer: SessionDescription) throws -> NegotiatedSession {
        guard answer.mediaSections.count == offer.mediaSections.count else {
            throw NegotiationError.answerMismatch("\(answer.mediaSections.count) m-lines for \(offer.mediaSections.count) offered")
        }
        var rejected: [RejectedSection] = []
        var accepted: [Int] = []
        var audio: NegotiatedAudio?
        var data: NegotiatedData?
        for (i, (a, o)) in zip(answer.mediaSections, offer.mediaSections).enumerated() {
            guard a.media.media == o.media.media else {
                throw NegotiationError.answerMismatch("m-line \(i) is \(a.media.media), offered \(o.media.media)")
            }
            let mid = o.mid
            if a.isRejected {
                rejected.append(RejectedSection(index: i, mid: mid, media: o.media.media, reason: .rejectedByRemote(mid: mid)))
                if o.media.media == "audio", local.requireAudio { throw NegotiationError.rejectedByRemote(mid: mid) }
                continue
            }
            guard a.mid == mid else { throw NegotiationError.answerMismatch("m-line \(i) has mid \(a.mid ?? "none"), offered \(mid ?? "none")") }
            guard a.media.proto == o.media.proto else { throw NegotiationError.unsupportedTransport(mid: mid, proto: a.media.proto) }
            switch o.media.media {
            case "audio":
                guard a.hasRTCPMux else { throw NegotiationError.rtcpMuxRequired(mid: mid) }
                let offered = Set(o.media.payloadTypes)
                for pt in a.media.payloadTypes where !offered.contains(pt) {
                    throw NegotiationError.answerMismatch("payload type \(pt) was not offered")
                }
                // The answer's rtpmaps, with ours filling any it left out (the PT space is ours).
                var maps = try Self.remoteRTPMaps(a)
                let offeredMaps = try Self.remoteRTPMaps(o)
                for pt in a.media.payloadTypes where !maps.contains(where: { $0.0 == pt }) {
                    if let m = offeredMaps.first(where: { $0.0 == pt }) { maps.append(m) }
                }
                let order = a.media.payloadTypes
                maps.sort { x, y in (order.firstIndex(of: x.0) ?? .max) < (order.firstIndex(of: y.0) ?? .max) }
                guard let choice = firstSupported(maps) else { throw NegotiationError.noCommonCodec(mid: mid) }
                let extID = local.audioLevelExtensionID == nil ? nil : try Self.audioLevelID(a)
                audio = try negotiatedAudio(remote: a, remoteDirection: answer.direction(forSection: i), choice: choice,
                                            ourDirection: offer.direction(forSection: i), extensionID: extID)
            case "application":
                data = NegotiatedData(mid: mid, localSCTPPort: local.sctpPort, remoteSCTPPort: try a.sctpPort ?? 5000,
                                      remoteMaxMessageSize: try a.maxMessageSize ?? 65536, localMaxMessageSize: local.maxMessageSize)
            default:
                throw NegotiationError.unsupportedMedia(mid: mid, media: o.media.media)
            }
            accepted.append(i)
        }
        guard let first = accepted.first else { throw NegotiationError.noUsableMedia }
        let firstMid = answer.mediaSections[first].mid
        let transport = try answer.transport(forSection: first)
        guard let ufrag = transport.iceUfrag, let pwd = transport.icePwd else { throw NegotiationError.missingICECredentials(mid: firstMid) }
        guard !transport.fingerprints.isEmpty else { throw NegotiationError.missingFingerprint(mid: firstMid) }
        let ourSetup: SetupRole
        switch transport.setup ?? .active {  // absent in an answer means active (RFC 4145 §4.1)
        case .active: ourSetup = .passive
        case .passive: ourSetup = .active
        case let role: throw NegotiationError.invalidSetup(mid: firstMid, role: role)
        }
        let acceptedSections = accepted.map { answer.mediaSections[$0] }
        return NegotiatedSession(
            remoteICEUfrag: ufrag, remoteICEPwd: pwd, remoteICELite: transport.iceLite, remoteICEOptions: transport.iceOptions,
            remoteCandidates: try Self.candidates(of: acceptedSections),
            remoteEndOfCandidates: acceptedSections.contains { $0.endOfCandidates },
            remoteFingerprints: transport.fingerprints, localSetup: ourSetup,
            dtlsRole: ourSetup == .active ? .client : .server, bundleMids: try answer.bundleMids,
            audio: audio, data: data, rejected: rejected)
    }

    /// The first answered payload type that is one of our main codecs, plus telephone-event if answered.
    private func firstSupported(_ maps: [(UInt8, RTPMap)]) -> AudioChoice? {
        var primary: AudioCodec?
        outer: for (pt, m) in maps {
            for ours in local.codecs where ours.name != .telephoneEvent && ours.matches(m) {
                var c = ours
                c.payloadType = pt
                primary = c
                break outer
            }
        }
        guard let primary else { return nil }
        var event: AudioCodec?
        for (pt, m) in maps {
            if var c = local.codecs.first(where: { $0.name == .telephoneEvent && $0.matches(m) }) {
                c.payloadType = pt
                event = c
                break
            }
        }
        return AudioChoice(primary: primary, telephoneEvent: event)
    }
}

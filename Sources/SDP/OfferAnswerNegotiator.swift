import MediaCore

/// JSEP offer/answer (RFC 8829) for our profile: one audio m-line (Opus, PCMU, PCMA,
/// telephone-event over DTLS-SRTP) and one data m-line (SCTP over DTLS), BUNDLEd on one ICE
/// transport with rtcp-mux.
///
/// Pure functions of their inputs: no I/O, no clock, no state kept between calls. The caller keeps
/// its offer and hands it back with the answer, so a signalling layer can store it however it likes.
/// (The sans-IO `handle`/`poll` shape of the other cores buys nothing for a one-shot exchange.)
public struct OfferAnswerNegotiator: Sendable {
    public var local: LocalParameters

    public init(local: LocalParameters) { self.local = local }

    /// Our offer: audio then data (as configured), both BUNDLEd, `a=setup:actpass`.
    public func makeOffer() -> SessionDescription {
        var sections: [MediaSection] = []
        var mids: [String] = []
        if local.offerAudio {
            let formats = local.codecs.map { String($0.payloadType) }
            var lines = transportLines(setup: .actpass, mid: local.audioMid)
            if let id = local.audioLevelExtensionID { lines.append(attr("extmap", ExtMap(id: id, uri: ExtMap.ssrcAudioLevelURI).sdpValue)) }
            lines += audioStreamLines(direction: local.audioDirection, codecs: local.codecs)
            sections.append(MediaSection(media: mediaDescription("audio", proto: "UDP/TLS/RTP/SAVPF", formats: formats),
                                         lines: lines, ending: local.lineEnding))
            mids.append(local.audioMid)
        }
        if local.offerData {
            var lines = transportLines(setup: .actpass, mid: local.dataMid)
            lines += dataLines()
            sections.append(MediaSection(media: mediaDescription("application", proto: "UDP/DTLS/SCTP", formats: ["webrtc-datachannel"]),
                                         lines: lines, ending: local.lineEnding))
            mids.append(local.dataMid)
        }
        return SessionDescription(sessionLines: sessionLines(bundle: mids), mediaSections: sections)
    }

    // MARK: - Line builders shared by offers and answers

    func attr(_ name: String, _ value: String? = nil) -> SDPLine { .attribute(name, value, ending: local.lineEnding) }

    func sessionLines(bundle mids: [String]) -> [SDPLine] {
        let e = local.lineEnding
        var lines = [
            SDPLine(type: "v", value: "0", ending: e),
            SDPLine(type: "o", value: Origin(sessionID: String(local.sessionID), sessionVersion: String(local.sessionVersion)).sdpValue, ending: e),
            SDPLine(type: "s", value: "-", ending: e),
            SDPLine(type: "t", value: "0 0", ending: e),
        ]
        if !mids.isEmpty { lines.append(attr("group", Group(semantics: "BUNDLE", mids: mids).sdpValue)) }
        if local.iceLite { lines.append(attr("ice-lite")) }
        return lines
    }

    /// The candidate that gives the m-line's port and `c=` address: the first component-1 UDP one.
    var defaultCandidate: ICECandidate? {
        local.candidates.first { $0.component == 1 && $0.isUDP } ?? local.candidates.first { $0.component == 1 }
    }

    func mediaDescription(_ media: String, proto: String, formats: [String]) -> MediaDescription {
        MediaDescription(media: media, port: defaultCandidate?.port ?? 9, proto: proto, formats: formats)
    }

    /// `c=`, candidates, ICE credentials and options, fingerprints, setup and mid.
    func transportLines(setup: SetupRole, mid: String?) -> [SDPLine] {
        let address = defaultCandidate?.address ?? "0.0.0.0"
        var lines = [SDPLine(type: "c", value: "IN \(address.contains(":") ? "IP6" : "IP4") \(address)", ending: local.lineEnding)]
        for c in local.candidates { lines.append(attr("candidate", c.sdpValue)) }
        if local.endOfCandidates { lines.append(attr("end-of-candidates")) }
        lines.append(attr("ice-ufrag", local.iceUfrag))
        lines.append(attr("ice-pwd", local.icePwd))
        if local.trickle { lines.append(attr("ice-options", "trickle")) }
        for f in local.fingerprints { lines.append(attr("fingerprint", f.sdpValue)) }
        lines.append(attr("setup", setup.rawValue))
        if let mid { lines.append(attr("mid", mid)) }
        return lines
    }

    /// Direction, msid, rtcp-mux, codecs, ptime and (when sending) our SSRC.
    func audioStreamLines(direction: MediaDirection, codecs: [AudioCodec]) -> [SDPLine] {
        var lines = [attr(direction.rawValue)]
        if direction.sends { lines.append(attr("msid", local.msid.sdpValue)) }
        lines.append(attr("rtcp-mux"))
        for c in codecs {
            lines.append(attr("rtpmap", c.rtpMap.sdpValue))
            if let p = c.formatParameters { lines.append(attr("fmtp", FormatParameters(payloadType: c.payloadType, parameters: p).sdpValue)) }
        }
        lines.append(attr("ptime", String(local.ptime)))
        if let m = local.maxptime { lines.append(attr("maxptime", String(m))) }
        if direction.sends {
            lines.append(attr("ssrc", SSRCAttribute(ssrc: local.ssrc, name: "cname", value: local.cname).sdpValue))
            lines.append(attr("ssrc", SSRCAttribute(ssrc: local.ssrc, name: "msid", value: local.msid.sdpValue).sdpValue))
        }
        return lines
    }

    func dataLines() -> [SDPLine] {
        [attr("sctp-port", String(local.sctpPort)), attr("max-message-size", String(local.maxMessageSize))]
    }
}

import MediaCore

/// Matching a remote audio m-line's payload types against our codecs.
struct AudioChoice: Sendable {
    var primary: AudioCodec
    var telephoneEvent: AudioCodec?
}

extension OfferAnswerNegotiator {
    /// The remote rtpmap for each payload type on the m-line (RFC 3551 static types filled in).
    static func remoteRTPMaps(_ section: MediaSection) throws(ParseError) -> [(UInt8, RTPMap)] {
        let maps = try section.rtpMaps
        var out: [(UInt8, RTPMap)] = []
        for pt in section.media.payloadTypes {
            if let m = maps.first(where: { $0.payloadType == pt }) {
                out.append((pt, m))
            } else if pt == 0 {
                out.append((pt, RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000)))
            } else if pt == 8 {
                out.append((pt, RTPMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000)))
            }
        }
        return out
    }

    /// Our most preferred codec the remote lists (at the remote's payload type), plus
    /// telephone-event at the same clock rate if listed (else at any rate we support).
    func chooseAudio(from remote: [(UInt8, RTPMap)]) -> AudioChoice? {
        var primary: AudioCodec?
        search: for ours in local.codecs where ours.name != .telephoneEvent {
            for (pt, m) in remote where ours.matches(m) {
                var c = ours
                c.payloadType = pt
                primary = c
                break search
            }
        }
        guard let primary else { return nil }
        let events = local.codecs.filter { $0.name == .telephoneEvent }
        var best: AudioCodec?
        for (pt, m) in remote {
            guard let ours = events.first(where: { $0.matches(m) }) else { continue }
            var c = ours
            c.payloadType = pt
            if m.clockRate == primary.clockRate { best = c; break }
            if best == nil { best = c }
        }
        return AudioChoice(primary: primary, telephoneEvent: best)
    }

    /// The remote's first SSRC with its cname, and its msid (media-level, else the ssrc's).
    static func remoteStream(_ section: MediaSection) throws(ParseError) -> (UInt32?, String?, MSID?) {
        let attrs = try section.ssrcAttributes
        let ssrc = attrs.first?.ssrc
        let cname = attrs.first { $0.ssrc == ssrc && $0.name == "cname" }?.value
        var msid = try section.msid
        if msid == nil, let v = attrs.first(where: { $0.ssrc == ssrc && $0.name == "msid" })?.value {
            msid = try MSID(parsing: v[...])
        }
        return (ssrc, cname, msid)
    }

    /// The audio agreement, given the remote section and the codecs both sides now use.
    func negotiatedAudio(remote section: MediaSection, remoteDirection: MediaDirection, choice: AudioChoice,
                         ourDirection: MediaDirection, extensionID: UInt16?) throws(ParseError) -> NegotiatedAudio {
        var opus: OpusParameters?
        if choice.primary.name == .opus, let f = try section.formatParameters(for: choice.primary.payloadType) {
            opus = try OpusParameters(f)
        }
        let remotePtime = try section.ptime
        let remoteMaxptime = try section.maxptime
        var ptime = remotePtime ?? local.ptime
        if let m = remoteMaxptime, m > 0 { ptime = min(ptime, m) }
        let (ssrc, cname, msid) = try Self.remoteStream(section)
        let direction = MediaDirection(sends: ourDirection.sends && remoteDirection.receives,
                                       receives: ourDirection.receives && remoteDirection.sends)
        return NegotiatedAudio(
            mid: section.mid, payloadType: choice.primary.payloadType, codec: choice.primary.name,
            clockRate: choice.primary.clockRate, channels: choice.primary.channels ?? 1, ptime: ptime,
            remoteMaxptime: remoteMaxptime, useInbandFEC: opus?.useInbandFEC ?? false, useDTX: opus?.useDTX ?? false,
            remoteOpus: opus, telephoneEventPayloadType: choice.telephoneEvent?.payloadType,
            telephoneEventClockRate: choice.telephoneEvent?.clockRate, direction: direction,
            remoteSSRC: ssrc, remoteCNAME: cname, remoteMSID: msid, audioLevelExtensionID: extensionID)
    }

    /// The ssrc-audio-level extension id in a remote section, if it lists one.
    static func audioLevelID(_ section: MediaSection) throws(ParseError) -> UInt16? {
        try section.extMaps.first { $0.uri == ExtMap.ssrcAudioLevelURI }?.id
    }

    /// Candidates of the given sections, in order, without duplicates.
    static func candidates(of sections: [MediaSection]) throws(ParseError) -> [ICECandidate] {
        var out: [ICECandidate] = []
        for s in sections {
            for c in try s.candidates where !out.contains(c) { out.append(c) }
        }
        return out
    }
}

import MediaCore

/// Typed reads of the attributes a WebRTC voice session uses. Each throws `ParseError` when a line
/// it needs is malformed; lines it does not need are never looked at.
extension MediaSection {
    /// `a=mid` (RFC 5888 §4).
    public var mid: String? { attribute("mid").map(String.init) }

    /// The media-level direction attribute, nil when none (the session level or sendrecv applies).
    public var direction: MediaDirection? {
        for line in lines where line.isAttribute && line.attributeValue == nil {
            if let d = MediaDirection(rawValue: line.value) { return d }
        }
        return nil
    }

    public var rtpMaps: [RTPMap] {
        get throws(ParseError) {
            var out: [RTPMap] = []
            for v in attributeValues("rtpmap") { out.append(try RTPMap(parsing: v)) }
            return out
        }
    }

    public func rtpMap(for payloadType: UInt8) throws(ParseError) -> RTPMap? {
        for v in attributeValues("rtpmap") {
            let m = try RTPMap(parsing: v)
            if m.payloadType == payloadType { return m }
        }
        return nil
    }

    public func formatParameters(for payloadType: UInt8) throws(ParseError) -> FormatParameters? {
        for v in attributeValues("fmtp") {
            let f = try FormatParameters(parsing: v)
            if f.payloadType == payloadType { return f }
        }
        return nil
    }

    public var rtcpFeedback: [RTCPFeedback] {
        get throws(ParseError) {
            var out: [RTCPFeedback] = []
            for v in attributeValues("rtcp-fb") { out.append(try RTCPFeedback(parsing: v)) }
            return out
        }
    }

    public var extMaps: [ExtMap] {
        get throws(ParseError) {
            var out: [ExtMap] = []
            for v in attributeValues("extmap") { out.append(try ExtMap(parsing: v)) }
            return out
        }
    }

    public var ssrcAttributes: [SSRCAttribute] {
        get throws(ParseError) {
            var out: [SSRCAttribute] = []
            for v in attributeValues("ssrc") { out.append(try SSRCAttribute(parsing: v)) }
            return out
        }
    }

    public var msid: MSID? {
        get throws(ParseError) { try attribute("msid").map { v throws(ParseError) in try MSID(parsing: v) } }
    }

    public var candidates: [ICECandidate] {
        get throws(ParseError) {
            var out: [ICECandidate] = []
            for v in attributeValues("candidate") { out.append(try ICECandidate(parsing: v)) }
            return out
        }
    }

    public var endOfCandidates: Bool { hasAttribute("end-of-candidates") }
    public var hasRTCPMux: Bool { hasAttribute("rtcp-mux") }

    /// `a=ptime` in milliseconds (RFC 8866 §6.4).
    public var ptime: UInt32? {
        get throws(ParseError) { try Self.milliseconds(attribute("ptime"), "ptime") }
    }

    /// `a=maxptime` in milliseconds (RFC 8866 §6.5).
    public var maxptime: UInt32? {
        get throws(ParseError) { try Self.milliseconds(attribute("maxptime"), "maxptime") }
    }

    /// `a=sctp-port` (RFC 8841 §5).
    public var sctpPort: UInt16? {
        get throws(ParseError) {
            guard let v = attribute("sctp-port") else { return nil }
            guard let p = parseDecimal(v, as: UInt16.self) else { throw .attribute("sctp-port", "bad port") }
            return p
        }
    }

    /// `a=max-message-size` in bytes, 0 meaning any size (RFC 8841 §6).
    public var maxMessageSize: UInt64? {
        get throws(ParseError) {
            guard let v = attribute("max-message-size") else { return nil }
            guard let s = parseDecimal(v, as: UInt64.self) else { throw .attribute("max-message-size", "bad size") }
            return s
        }
    }

    static func milliseconds(_ v: Substring?, _ name: String) throws(ParseError) -> UInt32? {
        guard let v else { return nil }
        // RFC 8866 allows a fraction ("20.5"); the integer part is what framing can use.
        let integer = Substring(v.utf8.prefix { $0 != UInt8(ascii: ".") })
        guard let ms = parseDecimal(integer, as: UInt32.self) else { throw .attribute(name, "bad value") }
        return ms
    }
}

/// The ICE and DTLS parameters in force for one m-line: media-level values where present, else
/// session-level ones (RFC 8839 §5.4, RFC 8122 §5, RFC 8842 §5).
public struct TransportParameters: Sendable, Hashable {
    public var iceUfrag: String?
    public var icePwd: String?
    public var iceOptions: [String]
    public var iceLite: Bool
    public var fingerprints: [Fingerprint]
    public var setup: SetupRole?
}

extension SessionDescription {
    /// The transport parameters that apply to `mediaSections[index]`.
    public func transport(forSection index: Int) throws(ParseError) -> TransportParameters {
        guard mediaSections.indices.contains(index) else { throw .invalidValue(field: "m=", reason: "no section \(index)") }
        let s = mediaSections[index]
        func pick(_ name: StaticString) -> Substring? { s.attribute(name) ?? sessionAttribute(name) }
        let ufrag = pick("ice-ufrag"), pwd = pick("ice-pwd")
        if let ufrag, !isVisible(ufrag) { throw .attribute("ice-ufrag", "empty or invalid") }
        if let pwd, !isVisible(pwd) { throw .attribute("ice-pwd", "empty or invalid") }
        var fingerprintValues = s.attributeValues("fingerprint")
        if fingerprintValues.isEmpty { fingerprintValues = sessionAttributeValues("fingerprint") }
        var fingerprints: [Fingerprint] = []
        for v in fingerprintValues { fingerprints.append(try Fingerprint(parsing: v)) }
        let setup = try pick("setup").map { v throws(ParseError) in try SetupRole(parsing: v) }
        let options = pick("ice-options").map { splitBytes($0, UInt8(ascii: " "), omittingEmpty: true).map(String.init) } ?? []
        return TransportParameters(iceUfrag: ufrag.map(String.init), icePwd: pwd.map(String.init), iceOptions: options,
                                   iceLite: isICELite, fingerprints: fingerprints, setup: setup)
    }

    /// The direction in force for a section: media-level, else session-level, else sendrecv (RFC 8866 §6.7).
    public func direction(forSection index: Int) -> MediaDirection {
        if let d = mediaSections[index].direction { return d }
        for line in sessionLines where line.isAttribute && line.attributeValue == nil {
            if let d = MediaDirection(rawValue: line.value) { return d }
        }
        return .sendrecv
    }
}

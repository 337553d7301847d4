import MediaCore

/// Why an offer or answer cannot be used (or why one m-line of it was rejected). Every case names
/// the m-line by its mid when it has one.
public enum NegotiationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line the negotiation needs is malformed.
    case malformed(ParseError)
    /// The audio m-line offers none of our codecs (Opus, PCMU, PCMA).
    case noCommonCodec(mid: String?)
    /// No `a=ice-ufrag`/`a=ice-pwd` at media or session level (RFC 8839 §5.4).
    case missingICECredentials(mid: String?)
    /// No `a=fingerprint` at media or session level (RFC 8122 §5; DTLS-SRTP needs one).
    case missingFingerprint(mid: String?)
    /// The audio m-line lacks `a=rtcp-mux`; JSEP's rtcp-mux policy "require" (RFC 8829 §4.1.1).
    case rtcpMuxRequired(mid: String?)
    /// A proto we do not speak (e.g. legacy `DTLS/SCTP`, plain `RTP/AVP`).
    case unsupportedTransport(mid: String?, proto: String)
    /// A media kind outside our profile (video, a second audio, …).
    case unsupportedMedia(mid: String?, media: String)
    /// An m-line outside the BUNDLE group: we run one transport for everything (RFC 8843).
    case notBundled(mid: String?)
    /// `a=setup` not usable here: holdconn, or actpass in an answer (RFC 8842 §5.2).
    case invalidSetup(mid: String?, role: SetupRole)
    /// The answer does not line up with our offer (m-line count, kind, mid or payload types).
    case answerMismatch(String)
    /// The remote side rejected (port 0) an m-line we need.
    case rejectedByRemote(mid: String?)
    /// Nothing in the description can be accepted.
    case noUsableMedia

    public var description: String {
        func m(_ mid: String?) -> String { mid.map { "m-line \($0)" } ?? "m-line without mid" }
        switch self {
        case .malformed(let e): return "malformed SDP: \(e)"
        case .noCommonCodec(let mid): return "\(m(mid)): no common audio codec"
        case .missingICECredentials(let mid): return "\(m(mid)): no ICE ufrag/pwd"
        case .missingFingerprint(let mid): return "\(m(mid)): no DTLS fingerprint"
        case .rtcpMuxRequired(let mid): return "\(m(mid)): rtcp-mux required"
        case .unsupportedTransport(let mid, let proto): return "\(m(mid)): unsupported transport \(proto)"
        case .unsupportedMedia(let mid, let media): return "\(m(mid)): unsupported media \(media)"
        case .notBundled(let mid): return "\(m(mid)): not in the BUNDLE group"
        case .invalidSetup(let mid, let role): return "\(m(mid)): unusable a=setup:\(role.rawValue)"
        case .answerMismatch(let why): return "answer does not match the offer: \(why)"
        case .rejectedByRemote(let mid): return "\(m(mid)): rejected by the remote side"
        case .noUsableMedia: return "no usable m-line"
        }
    }
}

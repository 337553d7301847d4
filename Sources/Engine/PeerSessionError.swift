import DTLS
import SDP
import SRTP

/// Why a call could not be set up or continue, with the reason a person can act on.
public enum PeerSessionError: Error, Equatable, Sendable, CustomStringConvertible {
    case negotiation(NegotiationError)
    case malformedDescription(String)
    /// An answer came without our offer, or a second answer.
    case wrongSignalingState(String)
    /// The remote picked a codec this engine does not encode (only Opus is wired today).
    case unsupportedCodec(String)
    case dtls(DTLSError)
    case srtp(SRTPError)
    case codec(String)

    public var description: String {
        switch self {
        case .negotiation(let e): return "negotiation failed: \(e)"
        case .malformedDescription(let m): return "malformed session description: \(m)"
        case .wrongSignalingState(let m): return "wrong signaling state: \(m)"
        case .unsupportedCodec(let c): return "unsupported codec \(c)"
        case .dtls(let e): return e.description
        case .srtp(let e): return e.description
        case .codec(let m): return "codec error: \(m)"
        }
    }
}

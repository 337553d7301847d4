import Engine
import SCTP

/// Why a PeerConnection call failed, with a reason a person can act on.
public enum PeerConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    case ice(ICEError)
    case gatheringTimedOut
    case session(PeerSessionError)
    case closed
    case wrongState(String)
    case dataChannel(SCTPError)

    public var description: String {
        switch self {
        case .ice(let e): return "ICE: \(e)"
        case .gatheringTimedOut: return "ICE candidate gathering did not finish in time"
        case .session(let e): return e.description
        case .closed: return "the peer connection is closed"
        case .wrongState(let m): return m
        case .dataChannel(let e): return "data channel: \(e)"
        }
    }
}

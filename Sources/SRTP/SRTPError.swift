/// Why SRTP set-up or a packet failed. Per-packet failures are also counted by the context, so a
/// caller can drop the packet and move on.
public enum SRTPError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidKeyingMaterial(expected: Int, got: Int)
    /// The authentication tag did not verify (tampering, wrong key, or garbage).
    case authenticationFailed
    /// The packet index was seen before, or is older than the replay window.
    case replayed
    /// Too short to be an SRTP/SRTCP packet, or longer than the transport allows.
    case malformedPacket
    /// Any other libsrtp2 status code.
    case library(status: Int32)

    public var description: String {
        switch self {
        case let .invalidKeyingMaterial(e, g): return "SRTP keying material must be \(e) bytes, got \(g)"
        case .authenticationFailed: return "SRTP authentication failed"
        case .replayed: return "SRTP replay detected"
        case .malformedPacket: return "malformed SRTP packet"
        case let .library(status): return "libsrtp2 error \(status)"
        }
    }
}

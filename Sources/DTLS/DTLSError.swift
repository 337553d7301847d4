import SDP

/// Why a DTLS association could not be set up or broke.
public enum DTLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// OpenSSL refused a set-up call (context, certificate, key); the message is its error queue.
    case setup(String)
    /// The handshake failed inside OpenSSL (alert, bad record, no shared cipher or SRTP profile).
    case handshake(String)
    /// The peer's certificate does not hash to any fingerprint from its SDP: the call must fail.
    case fingerprintMismatch(expected: [Fingerprint], got: Fingerprint)
    /// The peer presented no certificate.
    case noPeerCertificate
    /// No SRTP profile was negotiated (the peer did not offer use_srtp with one we support).
    case noSRTPProfile
    /// Application data was sent before the handshake finished or after close.
    case notConnected

    public var description: String {
        switch self {
        case let .setup(m): return "DTLS set-up failed: \(m)"
        case let .handshake(m): return "DTLS handshake failed: \(m)"
        case let .fingerprintMismatch(expected, got):
            return "DTLS peer certificate fingerprint \(got.sdpValue) matches none of the SDP's (\(expected.map(\.sdpValue).joined(separator: ", ")))"
        case .noPeerCertificate: return "DTLS peer sent no certificate"
        case .noSRTPProfile: return "DTLS negotiated no SRTP protection profile"
        case .notConnected: return "DTLS association is not connected"
        }
    }
}

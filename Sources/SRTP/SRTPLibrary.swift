internal import CSRTP

/// libsrtp2 needs `srtp_init` once per process before any session; a static `let` runs it exactly
/// once, thread-safely, on first use.
enum SRTPLibrary {
    static let initialised: Bool = srtp_init() == srtp_err_status_ok

    /// Maps a libsrtp2 status to our error.
    static func error(_ status: srtp_err_status_t) -> SRTPError {
        switch status {
        case srtp_err_status_auth_fail: return .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: return .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err: return .malformedPacket
        default: return .library(status: Int32(bitPattern: status.rawValue))
        }
    }
}

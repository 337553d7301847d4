internal import CSRTP

/// Protects what this side sends and unprotects what the peer sends, for RTP and RTCP, with
/// libsrtp2 (`srtp_protect`, `srtp_unprotect`, `srtp_protect_rtcp`, `srtp_unprotect_rtcp`).
///
/// Sans-IO: bytes in, bytes out, in place. Not thread-safe: one owner drives it. Failures are
/// thrown and counted (`stats`), so the receive path can drop a bad packet and carry on.
public final class SRTPContext {
    public struct Stats: Sendable, Equatable {
        public var protectedRTP = 0, protectedRTCP = 0
        public var unprotectedRTP = 0, unprotectedRTCP = 0
        public var authenticationFailures = 0
        public var replaysDropped = 0
        public var otherFailures = 0
    }

    public let profile: SRTPProfile
    public private(set) var stats = Stats()
    private let outbound: srtp_t
    private let inbound: srtp_t
    /// The most bytes `protect` may append (libsrtp2 writes up to SRTP_MAX_TRAILER_LEN).
    public static let maxTrailer = Int(sr_srtp_max_trailer_len())

    /// Creates both directions from DTLS-SRTP keying material. Replay window: 1024 packets.
    public init(keys: SRTPKeyingMaterial, replayWindow: Int = 1024) throws(SRTPError) {
        guard SRTPLibrary.initialised else { throw .library(status: -1) }
        profile = keys.profile
        outbound = try SRTPContext.create(keys.localKeyAndSalt, profile: keys.profile, direction: ssrc_any_outbound, window: replayWindow)
        do {
            inbound = try SRTPContext.create(keys.remoteKeyAndSalt, profile: keys.profile, direction: ssrc_any_inbound, window: replayWindow)
        } catch {
            srtp_dealloc(outbound)
            throw error
        }
    }

    deinit {
        srtp_dealloc(outbound)
        srtp_dealloc(inbound)
    }

    private static func create(_ keyAndSalt: [UInt8], profile: SRTPProfile, direction: srtp_ssrc_type_t,
                               window: Int) throws(SRTPError) -> srtp_t {
        var policy = srtp_policy_t()
        switch profile {
        case .aes128CMHMACSHA1_80:
            sr_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            sr_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        case .aeadAES128GCM:
            sr_srtp_policy_aes_gcm_128_16_auth(&policy.rtp)
            sr_srtp_policy_aes_gcm_128_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction
        policy.window_size = UInt(window)
        policy.allow_repeat_tx = 0
        var session: srtp_t?
        var key = keyAndSalt
        let status = key.withUnsafeMutableBufferPointer { buf -> srtp_err_status_t in
            policy.key = buf.baseAddress
            return srtp_create(&session, &policy)
        }
        guard status == srtp_err_status_ok, let session else { throw SRTPLibrary.error(status) }
        return session
    }

    /// Encrypts and authenticates an RTP packet in place; it grows by the tag.
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try run(&packet, grow: true) { ctx, ptr, len in srtp_protect(ctx, ptr, len) }
        stats.protectedRTP += 1
    }

    /// Verifies and decrypts an SRTP packet in place; it shrinks by the tag.
    public func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try run(&packet, grow: false) { ctx, ptr, len in srtp_unprotect(ctx, ptr, len) }
        stats.unprotectedRTP += 1
    }

    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try run(&packet, grow: true) { ctx, ptr, len in srtp_protect_rtcp(ctx, ptr, len) }
        stats.protectedRTCP += 1
    }

    public func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try run(&packet, grow: false) { ctx, ptr, len in srtp_unprotect_rtcp(ctx, ptr, len) }
        stats.unprotectedRTCP += 1
    }

    /// Runs one libsrtp2 call on `packet` in place. For protect the array is first extended by
    /// the maximum trailer (within its capacity, no allocation once warmed up) and cut back to
    /// the length libsrtp2 reports.
    private func run(_ packet: inout [UInt8], grow: Bool,
                     _ call: (srtp_t, UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> srtp_err_status_t) throws(SRTPError) {
        // RTP's fixed header is 12 bytes, RTCP's 8; libsrtp2 checks the rest itself.
        guard packet.count >= 8, packet.count <= 65_535 else {
            stats.otherFailures += 1
            throw .malformedPacket
        }
        let original = packet.count
        if grow { packet.append(contentsOf: repeatElement(0, count: SRTPContext.maxTrailer)) }
        let ctx = grow ? outbound : inbound
        var length = Int32(original)
        let status = packet.withUnsafeMutableBytes { call(ctx, $0.baseAddress!, &length) }
        guard status == srtp_err_status_ok, length >= 0, Int(length) <= packet.count else {
            if grow { packet.removeLast(SRTPContext.maxTrailer) }
            let error = SRTPLibrary.error(status)
            switch error {
            case .authenticationFailed: stats.authenticationFailures += 1
            case .replayed: stats.replaysDropped += 1
            default: stats.otherFailures += 1
            }
            throw error
        }
        packet.removeLast(packet.count - Int(length))
    }
}

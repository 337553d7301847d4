internal import COpenSSL
import Synchronization
import SRTP

/// One configured `SSL_CTX` per (certificate, SRTP profile list), shared by every association:
/// building a context (`SSL_CTX_new`, cipher and group lists, use_srtp) costs far more than the
/// handshake's own crypto, and a configured context is safe to share across threads.
enum DTLSContextCache {
    private struct Key: Hashable {
        let certificate: ObjectIdentifier
        let profiles: [SRTPProfile]
    }
    /// Context pointers, kept for the life of the process (each certificate lives as long).
    private static let contexts = Mutex<[Key: UInt]>([:])

    /// Cipher suites: ECDSA first (what WebRTC stacks use), RSA for older peers.
    static let cipherList = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA"

    static func context(certificate: DTLSCertificate, profiles: [SRTPProfile]) throws(DTLSError) -> OpaquePointer {
        let key = Key(certificate: ObjectIdentifier(certificate), profiles: profiles)
        let result: Result<OpaquePointer, DTLSError> = contexts.withLock { table in
            if let raw = table[key], let ctx = OpaquePointer(bitPattern: raw) { return .success(ctx) }
            do throws(DTLSError) {
                let ctx = try make(certificate: certificate, profiles: profiles)
                table[key] = UInt(bitPattern: Int(bitPattern: UnsafeMutableRawPointer(ctx)))
                return .success(ctx)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func make(certificate: DTLSCertificate, profiles: [SRTPProfile]) throws(DTLSError) -> OpaquePointer {
        guard let ctx = SSL_CTX_new(DTLS_method()) else { throw .setup(drainOpenSSLErrors("SSL_CTX_new")) }
        let srtp = profiles.map(\.openSSLName).joined(separator: ":")
        let ok = sr_SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1
            && sr_SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) == 1
            && SSL_CTX_use_certificate(ctx, certificate.certificate) == 1
            && SSL_CTX_use_PrivateKey(ctx, certificate.key) == 1
            && SSL_CTX_check_private_key(ctx) == 1
            && SSL_CTX_set_cipher_list(ctx, cipherList) == 1
            && sr_SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") == 1
            && SSL_CTX_set_tlsext_use_srtp(ctx, srtp) == 0   // 0 means success for this call
        guard ok else {
            SSL_CTX_free(ctx)
            throw .setup(drainOpenSSLErrors("configuring the DTLS context"))
        }
        _ = SSL_CTX_set_options(ctx, sr_SSL_OP_NO_QUERY_MTU() | sr_SSL_OP_NO_TICKET())
        sr_SSL_CTX_set_read_ahead(ctx, 1)
        _ = sr_SSL_CTX_set_session_cache_mode(ctx, 0)
        // Ask for the peer's certificate and accept any chain: WebRTC peers are self-signed, and
        // identity is checked against the SDP fingerprint once the handshake completes.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
        return ctx
    }
}

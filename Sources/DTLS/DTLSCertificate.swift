internal import COpenSSL
import SDP

/// An ECDSA P-256 key and a self-signed certificate for DTLS-SRTP, as WebRTC uses: identity comes
/// from the SDP fingerprint, not a CA. Generating one costs ~0.24 ms, so `shared` makes one per
/// process (`EVP_EC_gen`, `X509_sign`) and every association reuses it.
public final class DTLSCertificate: @unchecked Sendable {
    // Immutable after init; OpenSSL reference-counts and never mutates them while we use them.
    let key: OpaquePointer
    let certificate: OpaquePointer
    /// SHA-256 of the DER certificate: what our SDP's `a=fingerprint` carries.
    public let fingerprint: Fingerprint

    /// The process-wide certificate, made on first use.
    public static let shared: DTLSCertificate = {
        do { return try DTLSCertificate(commonName: "SwiftRealtime") } catch {
            // Key generation failing means OpenSSL itself is unusable; nothing can run.
            fatalError("cannot generate the DTLS certificate: \(error)")
        }
    }()

    /// Generates a fresh key and certificate valid from a day ago for 30 days.
    public init(commonName: String) throws(DTLSError) {
        guard let pkey = sr_EVP_EC_gen_p256() else { throw .setup(drainOpenSSLErrors("EC key generation")) }
        guard let x509 = X509_new() else { EVP_PKEY_free(pkey); throw .setup(drainOpenSSLErrors("X509_new")) }
        var serial = [UInt8](repeating: 0, count: 8)
        _ = RAND_bytes(&serial, 8)
        let ok = X509_set_version(x509, 2) == 1
            && ASN1_INTEGER_set(X509_get_serialNumber(x509), Int(serial.withUnsafeBytes { $0.load(as: UInt32.self) } & 0x7FFF_FFFF)) == 1
            && X509_gmtime_adj(X509_getm_notBefore(x509), -86_400) != nil
            && X509_gmtime_adj(X509_getm_notAfter(x509), 30 * 86_400) != nil
            && X509_set_pubkey(x509, pkey) == 1
        let name = X509_get_subject_name(x509)
        let named = ok && X509_NAME_add_entry_by_txt(name, "CN", sr_MBSTRING_ASC(), commonName, -1, -1, 0) == 1
            && X509_set_issuer_name(x509, name) == 1
        guard named, X509_sign(x509, pkey, EVP_sha256()) > 0 else {
            X509_free(x509); EVP_PKEY_free(pkey)
            throw .setup(drainOpenSSLErrors("self-signing the certificate"))
        }
        key = pkey
        certificate = x509
        fingerprint = DTLSCertificate.fingerprint(of: x509, hashFunction: .sha256)!
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// A certificate's DER encoding hashed with `hashFunction` (`X509_digest`); nil for a hash
    /// OpenSSL does not offer (md2, unknown names), which then can match nothing.
    static func fingerprint(of x509: OpaquePointer, hashFunction: Fingerprint.HashFunction) -> Fingerprint? {
        let md: OpaquePointer?
        switch hashFunction {
        case .sha1: md = EVP_sha1()
        case .sha224: md = EVP_sha224()
        case .sha256: md = EVP_sha256()
        case .sha384: md = EVP_sha384()
        case .sha512: md = EVP_sha512()
        case .md5: md = EVP_md5()
        case .md2, .other: return nil
        }
        var out = [UInt8](repeating: 0, count: 64)
        var len: UInt32 = 0
        guard X509_digest(x509, md, &out, &len) == 1 else { return nil }
        return Fingerprint(hashFunction: hashFunction, digest: Array(out[0..<Int(len)]))
    }
}

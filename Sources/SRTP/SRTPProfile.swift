/// The DTLS-SRTP protection profiles we negotiate (RFC 5764 §4.1.2, RFC 7714 §14.2), with the
/// master key and salt sizes that split the exported keying material.
public enum SRTPProfile: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// SRTP_AES128_CM_HMAC_SHA1_80: AES counter mode, 80-bit HMAC-SHA1 tag.
    case aes128CMHMACSHA1_80 = 0x0001
    /// SRTP_AEAD_AES_128_GCM: preferred; about three times cheaper here (platform notes).
    case aeadAES128GCM = 0x0007

    /// The OpenSSL `use_srtp` name of the profile.
    public var openSSLName: String {
        switch self {
        case .aes128CMHMACSHA1_80: return "SRTP_AES128_CM_SHA1_80"
        case .aeadAES128GCM: return "SRTP_AEAD_AES_128_GCM"
        }
    }

    public var masterKeyLength: Int { 16 }
    public var masterSaltLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80: return 14
        case .aeadAES128GCM: return 12
        }
    }
    /// Bytes `protect` adds to an RTP packet (the tag; GCM's tag is inside the AEAD output).
    public var rtpOverhead: Int {
        switch self {
        case .aes128CMHMACSHA1_80: return 10
        case .aeadAES128GCM: return 16
        }
    }

    /// Bytes of keying material to export from DTLS: two keys and two salts.
    public var keyingMaterialLength: Int { 2 * (masterKeyLength + masterSaltLength) }

    public var description: String { openSSLName }
}

/// The two master key + salt pairs a DTLS-SRTP association yields.
///
/// RFC 5764 §4.2: the exporter output (label "EXTRACTOR-dtls_srtp") is laid out as
/// client_write_SRTP_master_key | server_write_SRTP_master_key |
/// client_write_SRTP_master_salt | server_write_SRTP_master_salt.
/// The DTLS client protects what it sends with the client keys; the server with the server keys.
public struct SRTPKeyingMaterial: Sendable, Equatable {
    public let profile: SRTPProfile
    /// Key followed by salt, for what this side sends.
    public let localKeyAndSalt: [UInt8]
    /// Key followed by salt, for what the peer sends.
    public let remoteKeyAndSalt: [UInt8]

    public enum Role: Sendable { case client, server }

    /// Splits exporter output for `role`; throws when `material` has the wrong length.
    public init(profile: SRTPProfile, exported material: [UInt8], role: Role) throws(SRTPError) {
        guard material.count == profile.keyingMaterialLength else {
            throw .invalidKeyingMaterial(expected: profile.keyingMaterialLength, got: material.count)
        }
        let k = profile.masterKeyLength, s = profile.masterSaltLength
        let clientKey = material[0..<k], serverKey = material[k..<2 * k]
        let clientSalt = material[2 * k..<2 * k + s], serverSalt = material[2 * k + s..<2 * k + 2 * s]
        let client = Array(clientKey) + Array(clientSalt), server = Array(serverKey) + Array(serverSalt)
        self.profile = profile
        localKeyAndSalt = role == .client ? client : server
        remoteKeyAndSalt = role == .client ? server : client
    }

    /// Keys given directly (tests, or SDES-style keying).
    public init(profile: SRTPProfile, localKeyAndSalt: [UInt8], remoteKeyAndSalt: [UInt8]) throws(SRTPError) {
        let n = profile.masterKeyLength + profile.masterSaltLength
        guard localKeyAndSalt.count == n, remoteKeyAndSalt.count == n else {
            throw .invalidKeyingMaterial(expected: n, got: localKeyAndSalt.count)
        }
        self.profile = profile
        self.localKeyAndSalt = localKeyAndSalt
        self.remoteKeyAndSalt = remoteKeyAndSalt
    }
}

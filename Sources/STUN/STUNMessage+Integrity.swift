import MediaCore

/// MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT: computing them when a message is
/// built, checking them against the received bytes (RFC 8489 §14.5, §14.6, §14.7).
///
/// Each covers the message up to (not including) its own attribute, with the header's length
/// field set as if that attribute were the last one.
extension STUNMessage {
    /// The FINGERPRINT value is the CRC-32 XORed with this ("STUN").
    public static let fingerprintXOR: UInt32 = 0x5354_554E

    /// Writes the message, computing integrity and fingerprint: attributes of those three types
    /// in `attributes` are skipped and fresh ones appended in the RFC's order (MESSAGE-INTEGRITY,
    /// MESSAGE-INTEGRITY-SHA256, FINGERPRINT). `integrityKey` is the short-term password's bytes,
    /// or `STUNCredentials.longTermKey(…)`.
    public func serialize(into w: inout ByteWriter, integrityKey: [UInt8]?, integritySHA256Key: [UInt8]? = nil,
                          fingerprint: Bool, padding: UInt8 = 0) {
        let start = writeHeader(into: &w)
        for attribute in attributes {
            switch attribute.type {
            case .messageIntegrity, .messageIntegritySHA256, .fingerprint: continue
            default: Self.write(attribute, into: &w, transactionID: transactionID, padding: padding)
            }
        }
        func coveredBytes(adding attributeLength: Int) -> [UInt8] {
            w.patch(UInt16(w.count - start - Self.headerLength + attributeLength), at: start + 2)
            return Array(w.bytes[start...])
        }
        if let key = integrityKey {
            let covered = coveredBytes(adding: 24)
            let mac = covered.withUnsafeBytes { STUNCrypto.hmac(.sha1, key: key, data: $0) }
            Self.write(.messageIntegrity(mac), into: &w, transactionID: transactionID, padding: padding)
        }
        if let key = integritySHA256Key {
            let covered = coveredBytes(adding: 36)
            let mac = covered.withUnsafeBytes { STUNCrypto.hmac(.sha256, key: key, data: $0) }
            Self.write(.messageIntegritySHA256(mac), into: &w, transactionID: transactionID, padding: padding)
        }
        if fingerprint {
            let crc = CRC32.checksum(coveredBytes(adding: 8))
            Self.write(.fingerprint(crc ^ Self.fingerprintXOR), into: &w, transactionID: transactionID, padding: padding)
        }
        w.patch(UInt16(w.count - start - Self.headerLength), at: start + 2)
    }

    /// The bytes that the attribute at `offset` in `raw` protects, with the length field
    /// rewritten to end after that attribute.
    private func covered(upTo offset: Int) -> [UInt8] {
        var bytes = Array(raw.prefix(offset))
        let valueLength = Int(raw[raw.startIndex + offset + 2]) << 8 | Int(raw[raw.startIndex + offset + 3])
        let adjusted = offset - Self.headerLength + 4 + valueLength
        bytes[2] = UInt8(truncatingIfNeeded: adjusted >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: adjusted)
        return bytes
    }

    /// Whether MESSAGE-INTEGRITY is present in the received bytes and matches HMAC-SHA1 with
    /// `key`. False for a message built in code (nothing was received) or without the attribute.
    public func verifyIntegrity(key: [UInt8]) -> Bool {
        guard let offset = integrityOffset, case .messageIntegrity(let received)? = attribute(.messageIntegrity) else { return false }
        let mac = covered(upTo: offset).withUnsafeBytes { STUNCrypto.hmac(.sha1, key: key, data: $0) }
        return STUNCrypto.constantTimeEqual(mac, received)
    }

    /// Whether MESSAGE-INTEGRITY-SHA256 is present and matches HMAC-SHA256 with `key`, truncated
    /// to the received length.
    public func verifyIntegritySHA256(key: [UInt8]) -> Bool {
        guard let offset = integritySHA256Offset,
              case .messageIntegritySHA256(let received)? = attribute(.messageIntegritySHA256) else { return false }
        let mac = covered(upTo: offset).withUnsafeBytes { STUNCrypto.hmac(.sha256, key: key, data: $0) }
        return STUNCrypto.constantTimeEqual(Array(mac.prefix(received.count)), received)
    }

    /// Whether FINGERPRINT is present and matches the CRC-32 of the received bytes before it.
    public func verifyFingerprint() -> Bool {
        guard let offset = fingerprintOffset, let received = fingerprint else { return false }
        return CRC32.checksum(covered(upTo: offset)) ^ Self.fingerprintXOR == received
    }
}

/// Keys for MESSAGE-INTEGRITY (RFC 8489 §9.1–9.2).
public enum STUNCredentials {
    /// Short-term credentials (ICE): the key is the password's bytes (OpaqueString-prepared by
    /// the caller if it needs to be).
    public static func shortTermKey(password: String) -> [UInt8] { Array(password.utf8) }

    /// Long-term credentials: MD5(username ":" realm ":" password), via `EVP_Digest(EVP_md5())`.
    /// The strings are used as given (SASLprep/OpaqueString is the caller's).
    public static func longTermKey(username: [UInt8], realm: [UInt8], password: [UInt8]) -> [UInt8] {
        STUNCrypto.digest(.md5, username + [0x3A] + realm + [0x3A] + password)
    }
    public static func longTermKey(username: String, realm: String, password: String) -> [UInt8] {
        longTermKey(username: Array(username.utf8), realm: Array(realm.utf8), password: Array(password.utf8))
    }
}

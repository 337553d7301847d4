import COpenSSL

/// The hashes STUN needs, over OpenSSL: HMAC-SHA1/SHA256 via `HMAC()`, MD5/SHA-256 via
/// `EVP_Digest()`. The one place this module touches C.
enum STUNCrypto {
    enum Digest { case sha1, sha256, md5 }

    private static func md(_ d: Digest) -> OpaquePointer? {
        switch d {
        case .sha1: return EVP_sha1()
        case .sha256: return EVP_sha256()
        case .md5: return EVP_md5()
        }
    }

    /// HMAC over `data` keyed with `key` (`HMAC(EVP_sha1()/EVP_sha256(), …)`). `data` is never
    /// empty here (it always holds at least a STUN header).
    static func hmac(_ digest: Digest, key: [UInt8], data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var outLength: UInt32 = 0
        let keyBytes = key.isEmpty ? [0] : key // a valid pointer even for an empty key; length says 0
        keyBytes.withUnsafeBytes { k in
            out.withUnsafeMutableBufferPointer { o in
                _ = HMAC(md(digest), k.baseAddress, Int32(key.count),
                         data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, o.baseAddress, &outLength)
            }
        }
        return Array(out.prefix(Int(outLength)))
    }

    /// A plain digest (`EVP_Digest()`).
    static func digest(_ digest: Digest, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        var outLength: UInt32 = 0
        let input = data.isEmpty ? [0] : data // a valid pointer even for empty input; count says 0
        input.withUnsafeBytes { d in
            out.withUnsafeMutableBufferPointer { o in
                _ = EVP_Digest(d.baseAddress, data.count, o.baseAddress, &outLength, md(digest), nil)
            }
        }
        return Array(out.prefix(Int(outLength)))
    }

    /// Compares two MACs in time independent of where they differ (`CRYPTO_memcmp`).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}

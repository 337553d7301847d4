import COpenSSL

/// An independent SRTP (RFC 3711) transform for AES_CM_128_HMAC_SHA1_80, written from the RFC
/// over raw OpenSSL primitives, to check libsrtp2's output byte for byte. Tests only.
enum ReferenceSRTP {
    /// One AES-128 block encryption (the counter-mode keystream generator).
    static func aesBlock(key: [UInt8], _ block: [UInt8]) -> [UInt8] {
        let ctx = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(ctx) }
        EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nil, key, nil)
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        var out = [UInt8](repeating: 0, count: 32)
        var n: Int32 = 0
        EVP_EncryptUpdate(ctx, &out, &n, block, 16)
        return Array(out[0..<16])
    }

    /// AES-CM keystream of `count` bytes from a 16-byte IV whose last two bytes count blocks.
    static func keystream(key: [UInt8], iv: [UInt8], count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var block = iv
        var counter = UInt16(iv[14]) << 8 | UInt16(iv[15])
        while out.count < count {
            block[14] = UInt8(counter >> 8)
            block[15] = UInt8(counter & 0xFF)
            out += aesBlock(key: key, block)
            counter &+= 1
        }
        return Array(out[0..<count])
    }

    /// RFC 3711 §4.3.1 with key_derivation_rate 0: x = label·2^48 XOR master_salt, then
    /// AES-CM(master_key, x·2^16).
    static func deriveSessionKey(masterKey: [UInt8], masterSalt: [UInt8], label: UInt8, length: Int) -> [UInt8] {
        var iv = masterSalt + [0, 0]
        iv[7] ^= label
        return keystream(key: masterKey, iv: iv, count: length)
    }

    static func hmacSHA1(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var n: UInt32 = 0
        _ = HMAC(EVP_sha1(), key, Int32(key.count), data, data.count, &out, &n)
        return out
    }

    /// Protects one RTP packet (fixed 12-byte header, no CSRC or extension) with ROC 0.
    static func protect(rtp: [UInt8], masterKey: [UInt8], masterSalt: [UInt8]) -> [UInt8] {
        let encKey = deriveSessionKey(masterKey: masterKey, masterSalt: masterSalt, label: 0x00, length: 16)
        let authKey = deriveSessionKey(masterKey: masterKey, masterSalt: masterSalt, label: 0x01, length: 20)
        let salt = deriveSessionKey(masterKey: masterKey, masterSalt: masterSalt, label: 0x02, length: 14)
        // IV = (salt·2^16) XOR (SSRC·2^64) XOR (index·2^16), index = ROC·2^16 + SEQ.
        var iv = salt + [0, 0]
        for i in 0..<4 { iv[4 + i] ^= rtp[8 + i] }
        iv[12] ^= rtp[2]
        iv[13] ^= rtp[3]
        let ks = keystream(key: encKey, iv: iv, count: rtp.count - 12)
        var out = Array(rtp[0..<12])
        for (i, b) in rtp[12...].enumerated() { out.append(b ^ ks[i]) }
        let tag = hmacSHA1(key: authKey, out + [0, 0, 0, 0])
        return out + tag[0..<10]
    }
}

func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = s.filter { !$0.isWhitespace }.makeIterator()
    while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
    return out
}

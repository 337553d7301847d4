import MediaCore
import Testing
import TestSupport
@testable import STUN

/// RFC 5769 test vectors, as data: every one parses byte-exact and its checks pass.
@Suite struct RFC5769VectorTests {
    static let transactionID = STUNTransactionID(bytes: hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"))!
    static let shortTermPassword = STUNCredentials.shortTermKey(password: "VOkJxbRl1RmTxUk/WvJxBt")

    // §2.1 Sample Request
    static let sampleRequest = hex("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)
    // §2.2 Sample IPv4 Response
    static let ipv4Response = hex("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)
    // §2.3 Sample IPv6 Response
    static let ipv6Response = hex("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """)
    // §2.4 Sample Request with Long-Term Authentication
    static let longTermRequest = hex("""
        00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
        00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66
        """)
    static let expectedIPv6 = STUNAddress.ipv6([0x2001, 0xdb8, 0x1234, 0x5678, 0x11, 0x2233, 0x4455, 0x6677], port: 32853)

    @Test func sampleRequestParsesWithEveryICEAttribute() throws {
        let m = try STUNMessage(parsing: Self.sampleRequest)
        #expect(m.type == .bindingRequest)
        #expect(m.transactionID == Self.transactionID)
        #expect(m.attribute(.software)?.text == "STUN test client")
        #expect(m.priority == 0x6E00_01FF)
        #expect(m.iceControlled == 0x932F_F9B1_5126_3B36)
        #expect(m.username == Array("evtj:h6vY".utf8))
        #expect(m.attributes.map(\.type) == [.software, .priority, .iceControlled, .username, .messageIntegrity, .fingerprint])
        #expect(m.unknownComprehensionRequired.isEmpty)
    }

    @Test func sampleRequestIntegrityAndFingerprintVerify() throws {
        let m = try STUNMessage(parsing: Self.sampleRequest)
        #expect(m.verifyIntegrity(key: Self.shortTermPassword))
        #expect(m.verifyFingerprint())
    }

    @Test func ipv4ResponseDecodesMappedAddressAndVerifies() throws {
        let m = try STUNMessage(parsing: Self.ipv4Response)
        #expect(m.type == .bindingSuccess)
        #expect(m.xorMappedAddress == .ipv4(192, 0, 2, 1, port: 32853))
        #expect(m.attribute(.software)?.text == "test vector")
        #expect(m.verifyIntegrity(key: Self.shortTermPassword))
        #expect(m.verifyFingerprint())
    }

    @Test func ipv6ResponseDecodesMappedAddressAndVerifies() throws {
        let m = try STUNMessage(parsing: Self.ipv6Response)
        #expect(m.xorMappedAddress == Self.expectedIPv6)
        #expect(m.xorMappedAddress?.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
        #expect(m.verifyIntegrity(key: Self.shortTermPassword))
        #expect(m.verifyFingerprint())
    }

    /// The username and password of §2.4 after SASLprep: "TheM\u{AA}tr\u{2168}" with a soft hyphen
    /// becomes "TheMatrIX"; the key is MD5 of the prepared bytes.
    @Test func longTermRequestVerifiesWithMD5Key() throws {
        let m = try STUNMessage(parsing: Self.longTermRequest)
        #expect(m.username == Array("\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}".utf8))
        #expect(m.attribute(.nonce)?.text == "f//499k954d6OL34oL9FSTvy64sA")
        #expect(m.attribute(.realm)?.text == "example.org")
        let key = STUNCredentials.longTermKey(username: m.username!, realm: Array("example.org".utf8), password: Array("TheMatrIX".utf8))
        #expect(key.count == 16)
        #expect(m.verifyIntegrity(key: key))
        #expect(!m.verifyFingerprint()) // this vector carries no FINGERPRINT
        #expect(!m.verifyIntegrity(key: STUNCredentials.longTermKey(username: "x", realm: "example.org", password: "TheMatrIX")))
    }

    /// Building each vector's attributes again with the same key (and the vectors' 0x20 padding
    /// where they use it) reproduces the RFC bytes exactly, integrity and fingerprint included.
    @Test(arguments: [
        (sampleRequest, UInt8(0x20), true),
        (ipv4Response, UInt8(0x20), true),
        (ipv6Response, UInt8(0x20), true),
    ])
    func shortTermVectorsRebuildByteExact(vector: [UInt8], padding: UInt8, fingerprint: Bool) throws {
        let m = try STUNMessage(parsing: vector)
        var w = ByteWriter()
        m.serialize(into: &w, integrityKey: Self.shortTermPassword, fingerprint: fingerprint, padding: padding)
        #expect(w.bytes == vector)
    }

    @Test func longTermVectorRebuildsByteExact() throws {
        let m = try STUNMessage(parsing: Self.longTermRequest)
        let key = STUNCredentials.longTermKey(username: "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}", realm: "example.org", password: "TheMatrIX")
        var w = ByteWriter()
        m.serialize(into: &w, integrityKey: key, fingerprint: false)
        #expect(w.bytes == Self.longTermRequest)
        // Plain serialization (stored MAC, zero padding) is byte-exact too for this vector.
        var plain = ByteWriter()
        m.serialize(into: &plain)
        #expect(plain.bytes == Self.longTermRequest)
    }

    @Test func xorMappedAddressEncodesToTheVectorValue() {
        var w = ByteWriter()
        STUNAddress.ipv4(192, 0, 2, 1, port: 32853).serializeValue(into: &w, xor: Self.transactionID)
        #expect(w.bytes == hex("00 01 a1 47 e1 12 a6 43"))
        var w6 = ByteWriter()
        Self.expectedIPv6.serializeValue(into: &w6, xor: Self.transactionID)
        #expect(w6.bytes == hex("00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"))
    }
}

import MediaCore
import Testing
import TestSupport
@testable import STUN

@Suite struct STUNMessageTests {
    let tid = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)
    let password = STUNCredentials.shortTermKey(password: "s3cret-ice-pwd")

    func build(_ m: STUNMessage, key: [UInt8]?, sha256Key: [UInt8]? = nil, fingerprint: Bool = true) -> [UInt8] {
        var w = ByteWriter()
        m.serialize(into: &w, integrityKey: key, integritySHA256Key: sha256Key, fingerprint: fingerprint)
        return w.bytes
    }

    @Test func messageTypeInterleavesMethodAndClassBits() {
        #expect(STUNMessageType.bindingRequest.rawValue == 0x0001)
        #expect(STUNMessageType.bindingIndication.rawValue == 0x0011)
        #expect(STUNMessageType.bindingSuccess.rawValue == 0x0101)
        #expect(STUNMessageType.bindingError.rawValue == 0x0111)
        for method in [UInt16(0x001), 0x003, 0x009, 0xABC, 0xFFF] {
            for c in STUNClass.allCases {
                let t = STUNMessageType(method: STUNMethod(rawValue: method), messageClass: c)
                #expect(t.rawValue & 0xC000 == 0)
                #expect(STUNMessageType(rawValue: t.rawValue) == t)
            }
        }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func bindingRequestWithICEAttributesRoundTrips() throws {
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [
            .username(Array("remote:local".utf8)), .priority(0x6E7F_1EFF), .useCandidate,
            .iceControlling(0xDEAD_BEEF_0BAD_F00D), .software(Array("SwiftRealtime".utf8)),
        ])
        let bytes = build(m, key: password)
        #expect(bytes.count % 4 == 0)
        #expect(Int(bytes[2]) << 8 | Int(bytes[3]) == bytes.count - 20)
        let parsed = try STUNMessage(parsing: bytes)
        #expect(Array(parsed.attributes.prefix(5)) == m.attributes)
        #expect(parsed.attributes.map(\.type).suffix(2) == [.messageIntegrity, .fingerprint])
        #expect(parsed.useCandidate)
        #expect(parsed.iceControlling == 0xDEAD_BEEF_0BAD_F00D)
        #expect(parsed.verifyIntegrity(key: password))
        #expect(parsed.verifyFingerprint())
        // Plain re-serialization of the parsed message reproduces the bytes.
        var w = ByteWriter()
        parsed.serialize(into: &w)
        #expect(w.bytes == bytes)
    }

    @Test func successResponseWithIPv6AndMappedAddressRoundTrips() throws {
        let v6 = STUNAddress.ipv6([0xfe80, 0, 0, 0, 0x1234, 0x5678, 0x9abc, 0xdef0], port: 50_000)
        let m = STUNMessage(type: .bindingSuccess, transactionID: tid, attributes: [
            .xorMappedAddress(v6), .mappedAddress(.ipv4(10, 0, 0, 7, port: 9)),
        ])
        let parsed = try STUNMessage(parsing: build(m, key: password))
        #expect(parsed.xorMappedAddress == v6)
        #expect(parsed.mappedAddress == .ipv4(10, 0, 0, 7, port: 9))
        #expect(parsed.verifyIntegrity(key: password))
    }

    @Test func errorResponseCarriesCodeReasonAndUnknownAttributes() throws {
        let m = STUNMessage(type: .bindingError, transactionID: tid, attributes: [
            .errorCode(STUNErrorCode(code: 420, reason: "Unknown Attribute")),
            .unknownAttributes([STUNAttributeType(0x0031), STUNAttributeType(0x7001), STUNAttributeType(0x0033)]),
            .realm(Array("example.org".utf8)), .nonce(Array("abcd".utf8)),
        ])
        let parsed = try STUNMessage(parsing: build(m, key: nil, fingerprint: false))
        #expect(parsed == m)
        #expect(parsed.errorCode?.code == 420)
        #expect(parsed.errorCode?.reason == Array("Unknown Attribute".utf8))
    }

    @Test func wrongKeyFailsIntegrity() throws {
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [.username(Array("a:b".utf8))])
        let parsed = try STUNMessage(parsing: build(m, key: password))
        #expect(parsed.verifyIntegrity(key: password))
        #expect(!parsed.verifyIntegrity(key: Array("s3cret-ice-pwe".utf8)))
        #expect(!parsed.verifyIntegrity(key: []))
    }

    @Test func alteredBodyFailsIntegrityAndFingerprint() throws {
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [.priority(12345)])
        var bytes = build(m, key: password)
        bytes[24 + 3] ^= 0x01 // the last byte of PRIORITY's value
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed.priority == 12344)
        #expect(!parsed.verifyIntegrity(key: password))
        #expect(!parsed.verifyFingerprint())
    }

    @Test func corruptedFingerprintValueIsDetected() throws {
        let m = STUNMessage(type: .bindingIndication, transactionID: tid)
        var bytes = build(m, key: nil)
        #expect(try STUNMessage(parsing: bytes).verifyFingerprint())
        bytes[bytes.count - 1] ^= 0x80
        let parsed = try STUNMessage(parsing: bytes)
        #expect(!parsed.verifyFingerprint())
    }

    @Test func messageBuiltInCodeHasNothingToVerify() {
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [.messageIntegrity(Array(repeating: 0, count: 20)), .fingerprint(0)])
        #expect(!m.verifyIntegrity(key: password))
        #expect(!m.verifyFingerprint())
    }

    @Test func integritySHA256VerifiesAndCoexistsWithSHA1() throws {
        let sha256Key = Array("another key".utf8)
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [.username(Array("u:v".utf8))])
        let parsed = try STUNMessage(parsing: build(m, key: password, sha256Key: sha256Key))
        #expect(parsed.attributes.map(\.type) == [.username, .messageIntegrity, .messageIntegritySHA256, .fingerprint])
        #expect(parsed.verifyIntegrity(key: password))
        #expect(parsed.verifyIntegritySHA256(key: sha256Key))
        #expect(!parsed.verifyIntegritySHA256(key: password))
        #expect(parsed.verifyFingerprint())
    }

    @Test func unknownComprehensionRequiredAttributesAreReportedOptionalOnesKept() throws {
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [
            .other(type: STUNAttributeType(0x7777), value: [1, 2, 3]),
            .other(type: STUNAttributeType(0xC057), value: [0, 1, 0, 0]), // comprehension-optional
        ])
        let parsed = try STUNMessage(parsing: build(m, key: nil, fingerprint: false))
        #expect(parsed.unknownComprehensionRequired == [STUNAttributeType(0x7777)])
        #expect(parsed.attributes == m.attributes)
    }

    @Test func attributesAfterIntegrityAreIgnoredButStillCovered() throws {
        let m = STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [.priority(7)])
        var bytes = build(m, key: password, fingerprint: false)
        bytes += [0x80, 0x22, 0x00, 0x04, 0x61, 0x62, 0x63, 0x64] // SOFTWARE after MESSAGE-INTEGRITY
        let length = bytes.count - 20
        bytes[2] = UInt8(length >> 8); bytes[3] = UInt8(length & 0xFF)
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed.attributes.map(\.type) == [.priority, .messageIntegrity])
        #expect(parsed.verifyIntegrity(key: password))
    }

    @Test func malformedMessagesThrowTypedErrors() {
        let good = build(STUNMessage(type: .bindingRequest, transactionID: tid, attributes: [.priority(1)]), key: password)
        func fails(_ bytes: [UInt8]) -> Bool {
            do { _ = try STUNMessage(parsing: bytes); return false } catch { return true }
        }
        #expect(fails(Array(good.prefix(19))))                       // short header
        #expect(fails(Array(good.dropLast(4))))                      // length beyond the datagram
        var topBits = good; topBits[0] |= 0x80
        #expect(fails(topBits))
        var cookie = good; cookie[5] ^= 1
        #expect(fails(cookie))
        var oddLength = good; oddLength[3] &+= 2
        #expect(fails(oddLength))
        var overrun = good; overrun[23] = 0x40                       // PRIORITY claims 64 bytes
        #expect(fails(overrun))
        var badPriority = good; badPriority[23] = 0x08               // PRIORITY of 8 bytes
        #expect(fails(badPriority))
        do {
            _ = try STUNMessage(parsing: Array(good.prefix(10)))
            Issue.record("a truncated header parsed")
        } catch {
            #expect(error == .truncated(offset: 8, needed: 2))
        }
        let badFamily = hex("0101000c 2112a442 000000000000000000000000 00200008 0003a147e112a643")
        #expect(throws: ParseError.self) { try STUNMessage(parsing: badFamily) }
        let badError = hex("0111000c 2112a442 000000000000000000000000 00090008 00000263 61626364")
        #expect(throws: ParseError.self) { try STUNMessage(parsing: badError) } // class 2
    }

    @Test func randomAndMutatedInputNeverTrapsAndRoundTrips() throws {
        let seeds = [RFC5769VectorTests.sampleRequest, RFC5769VectorTests.ipv4Response,
                     RFC5769VectorTests.ipv6Response, RFC5769VectorTests.longTermRequest]
        var parsedCount = 0
        for input in mutatedInputs(seeds: seeds, count: 20_000, seed: 0x5757) {
            guard let m = try? STUNMessage(parsing: input) else { continue }
            parsedCount += 1
            _ = m.verifyIntegrity(key: password)
            _ = m.verifyFingerprint()
            var w = ByteWriter()
            m.serialize(into: &w)
            #expect(try STUNMessage(parsing: w.bytes) == m)
        }
        #expect(parsedCount > 1_000) // mutations that keep the framing must still parse
    }
}

import MediaCore
import Testing
import TestSupport
@testable import RTP

/// The one-buffer representation of `RTPPacket`: views cut from the body, setters that lay the
/// body out again, serialization of a parsed packet, and rebuilding from decoded parts.
@Suite struct RTPPacketBodyTests {
    static func wire(_ p: RTPPacket) -> [UInt8] {
        var w = ByteWriter()
        p.serialize(into: &w)
        return w.bytes
    }

    @Test func parsedPacketSerializesToTheSameBytes() throws {
        let input = RTPPacketTests.chromiumLike
        #expect(Self.wire(try RTPPacket(parsing: input)) == input)
        var changed = try RTPPacket(parsing: input)
        changed.sequenceNumber &+= 1
        changed.marker = true
        let out = Self.wire(changed)
        #expect(Array(out[2..<4]) == [0x1F, 0x41] && out[1] == 0x80 | 111)
        #expect(out[4...] == input[4...])
    }

    @Test func settingEachPartLaysOutTheBodyAgain() throws {
        var p = try RTPPacket(parsing: RTPPacketTests.chromiumLike)
        p.csrcs = RTPCSRCList([5, 6])
        #expect(Array(p.csrcs) == [5, 6] && p.headerLength == 12 + 8 + 16)
        #expect(p.audioLevel(id: 1) == AudioLevel(voiceActivity: true, level: 0x27))
        p.headerExtension = nil
        #expect(p.headerExtension == nil && p.headerLength == 20)
        p.payload = [1, 2, 3][...]
        p.paddingLength = 3
        #expect(Array(p.payload) == [1, 2, 3] && Array(p.csrcs) == [5, 6])
        let bytes = Self.wire(p)
        #expect(bytes == [0xA2, 111, 0x1F, 0x40, 0x00, 0x01, 0xE2, 0x40, 0x3A, 0xBC, 0xDE, 0xF1,
                          0, 0, 0, 5, 0, 0, 0, 6, 1, 2, 3, 0, 0, 3])
        #expect(try RTPPacket(parsing: bytes) == p)
    }

    @Test func unalignedExtensionDataIsPaddedWhenBuilt() throws {
        let p = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
                          headerExtension: RTPHeaderExtension(profile: 0x1234, data: [9, 8, 7, 6, 5][...]), payload: [4][...])
        #expect(Array(p.headerExtension?.data ?? []) == [9, 8, 7, 6, 5, 0, 0, 0])
        let bytes = Self.wire(p)
        #expect(Array(bytes[12..<16]) == [0x12, 0x34, 0, 2])
        #expect(try RTPPacket(parsing: bytes) == p)
    }

    @Test func equalityIgnoresPaddingContent() throws {
        let p = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [7][...], paddingLength: 4)
        var bytes = Self.wire(p)
        bytes[bytes.count - 2] = 0xEE // padding bytes other than the count are arbitrary
        #expect(try RTPPacket(parsing: bytes) == p)
        var other = p
        other.paddingLength = 0
        #expect(other != p)
    }

    @Test func everyTruncationIsATypedErrorOrAShorterValidPacket() {
        let input = RTPPacketTests.chromiumLike
        for cut in 0 ..< input.count {
            do throws(ParseError) {
                let p = try RTPPacket(parsing: input.prefix(cut))
                #expect(cut >= 28) // header and extension are whole
                #expect(p.payload.count == cut - 28)
            } catch {
                #expect(cut < 28)
            }
        }
    }

    @Test func parsingFromAReaderAtAnOffsetTakesTheRest() throws {
        let input = [0xFF, 0xFF] + RTPPacketTests.chromiumLike
        var r = ByteReader(input)
        try r.skip(2)
        let p = try RTPPacket(parsing: &r)
        #expect(r.isAtEnd)
        #expect(p == (try RTPPacket(parsing: RTPPacketTests.chromiumLike)))
        #expect(p.payload.startIndex == 30)
    }

    @Test func rebuildingFromDecodedPartsRoundTrips() throws {
        var rebuilt = 0
        for input in mutatedInputs(seeds: [RTPPacketTests.chromiumLike], count: 10_000, seed: 0xB0D1) {
            guard let p = try? RTPPacket(parsing: input) else { continue }
            let copy = RTPPacket(marker: p.marker, payloadType: p.payloadType, sequenceNumber: p.sequenceNumber, timestamp: p.timestamp,
                                 ssrc: p.ssrc, csrcs: RTPCSRCList(Array(p.csrcs)), headerExtension: p.headerExtension.map {
                                     RTPHeaderExtension(profile: $0.profile, data: Array($0.data)[...])
                                 }, payload: Array(p.payload)[...], paddingLength: p.paddingLength)
            #expect(copy == p)
            #expect(try RTPPacket(parsing: Self.wire(copy)) == p)
            rebuilt += 1
        }
        #expect(rebuilt > 1_000)
    }
}

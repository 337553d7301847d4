import MediaCore
import Testing
import TestSupport
@testable import RTP

@Suite struct RTPPacketTests {
    /// A 20 ms Opus packet as Chromium sends it: PT 111, marker clear, a one-byte extension
    /// block with audio level (id 1), abs-send-time (id 2, 3 bytes) and transport-wide
    /// sequence number (id 3, 2 bytes), then an 80-byte payload.
    static let chromiumLike: [UInt8] = {
        let header: [UInt8] = [0x90, 0x6F, 0x1F, 0x40, 0x00, 0x01, 0xE2, 0x40, 0x3A, 0xBC, 0xDE, 0xF1]
        let ext: [UInt8] = [0xBE, 0xDE, 0x00, 0x03, 0x10, 0xA7, 0x22, 0x12, 0x34, 0x56, 0x31, 0x00, 0x2A, 0x00, 0x00, 0x00]
        return header + ext + (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    }()

    func roundTrip(_ p: RTPPacket) throws -> [UInt8] {
        var w = ByteWriter()
        p.serialize(into: &w)
        let again = try RTPPacket(parsing: w.bytes)
        #expect(again == p)
        return w.bytes
    }

    @Test func chromiumLikePacketParsesWithOneByteExtensions() throws {
        let p = try RTPPacket(parsing: Self.chromiumLike)
        #expect(p.payloadType == 111)
        #expect(!p.marker)
        #expect(p.sequenceNumber == 0x1F40)
        #expect(p.timestamp == 123_456)
        #expect(p.ssrc == 0x3ABC_DEF1)
        #expect(p.csrcs.isEmpty)
        #expect(p.payload.count == 80)
        let ext = try #require(p.headerExtension)
        #expect(ext.isOneByte)
        #expect(ext.elements.map(\.id) == [1, 2, 3])
        #expect(Array(ext.element(id: 2) ?? []) == [0x12, 0x34, 0x56])
        #expect(Array(ext.element(id: 3) ?? []) == [0x00, 0x2A])
        #expect(p.audioLevel(id: 1) == AudioLevel(voiceActivity: true, level: 0x27))
        #expect(try roundTrip(p) == Self.chromiumLike)
    }

    @Test func parsedPayloadAndExtensionAreViewsOfTheInput() throws {
        let input = Self.chromiumLike
        let p = try RTPPacket(parsing: input)
        #expect(p.payload.startIndex == 28)
        #expect(p.payload.endIndex == input.endIndex)
        let inputBase = input.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let payloadBase = p.payload.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(payloadBase == inputBase + 28) // same storage, no copy
        #expect(p.headerExtension?.data.startIndex == 16)
    }

    @Test func twoByteExtensionWithEmptyAndLongElementsRoundTrips() throws {
        let long = (0..<20).map { UInt8($0) }
        let ext = RTPHeaderExtension(elements: [
            RTPExtensionElement(id: 5, data: []), RTPExtensionElement(id: 200, data: long[...]),
        ])
        #expect(ext.isTwoByte)
        let p = RTPPacket(payloadType: 111, sequenceNumber: 9, timestamp: 960, ssrc: 1, headerExtension: ext, payload: [1, 2, 3][...])
        let bytes = try roundTrip(p)
        #expect(bytes[0] & 0x10 != 0)
        #expect(Array(bytes[12..<14]) == [0x10, 0x00])
        let parsed = try RTPPacket(parsing: bytes)
        let elements = Array(parsed.headerExtension!.elements)
        #expect(elements.map(\.id) == [5, 200])
        #expect(elements[0].data.isEmpty)
        #expect(Array(elements[1].data) == long)
    }

    @Test func oneByteFormIsChosenWhenEveryElementFits() {
        let ext = RTPHeaderExtension(elements: [AudioLevel(voiceActivity: false, level: 127).element(id: 1)])
        #expect(ext.isOneByte)
        #expect(Array(ext.data) == [0x10, 0x7F, 0x00, 0x00])
    }

    @Test func csrcListRoundTrips() throws {
        let p = RTPPacket(marker: true, payloadType: 96, sequenceNumber: 65535, timestamp: .max, ssrc: 42,
                          csrcs: RTPCSRCList([0x0102_0304, 0xA0B0_C0D0, 7]), payload: [9, 9][...])
        let bytes = try roundTrip(p)
        #expect(bytes[0] == 0x83)
        #expect(bytes[1] == 0x80 | 96)
        let parsed = try RTPPacket(parsing: bytes)
        #expect(Array(parsed.csrcs) == [0x0102_0304, 0xA0B0_C0D0, 7])
        #expect(parsed.headerLength == 24)
    }

    @Test func paddingRoundTripsAndIsExcludedFromPayload() throws {
        let p = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [0xAA, 0xBB, 0xCC][...], paddingLength: 5)
        let bytes = try roundTrip(p)
        #expect(bytes.count == 12 + 3 + 5)
        #expect(bytes.last == 5)
        #expect(bytes[0] & 0x20 != 0)
        #expect(Array(try RTPPacket(parsing: bytes).payload) == [0xAA, 0xBB, 0xCC])
    }

    @Test func extensionWalkStopsAtReservedIDAndOverrunningElements() {
        let reserved = RTPHeaderExtension(profile: 0xBEDE, data: [0x10, 0x01, 0xF0, 0x20, 0x02, 0x00, 0x00, 0x00][...])
        #expect(reserved.elements.map(\.id) == [1])
        let overrun = RTPHeaderExtension(profile: 0xBEDE, data: [0x10, 0x01, 0x3F, 0x00][...]) // id 3 wants 16 bytes
        #expect(overrun.elements.map(\.id) == [1])
        let other = RTPHeaderExtension(profile: 0xABCD, data: [0x10, 0x01, 0x00, 0x00][...])
        #expect(Array(other.elements).isEmpty)
    }

    @Test func malformedPacketsThrowTypedErrors() {
        func error(_ bytes: [UInt8]) -> ParseError? {
            do throws(ParseError) {
                _ = try RTPPacket(parsing: bytes)
                return nil
            } catch let e {
                return e
            }
        }
        let good = Self.chromiumLike
        #expect(error(Array(good.prefix(11))) == .truncated(offset: 11, needed: 1))
        var v1 = good; v1[0] = 0x50
        #expect(error(v1) == .invalidValue(field: "RTP version", reason: "1"))
        var manyCSRC = Array(good.prefix(20)); manyCSRC[0] = 0x8F   // 15 CSRCs, 8 bytes there
        #expect(error(manyCSRC) != nil)
        var longExt = good; longExt[15] = 0x40                      // 64 words of extension
        #expect(error(longExt) != nil)
        var zeroPad = good; zeroPad[0] |= 0x20; zeroPad[zeroPad.count - 1] = 0
        #expect(error(zeroPad) != nil)
        var hugePad = good; hugePad[0] |= 0x20; hugePad[hugePad.count - 1] = 200
        #expect(error(hugePad) != nil)
        #expect(error([]) == .truncated(offset: 0, needed: 12))
    }

    @Test func randomAndMutatedInputNeverTrapsAndRoundTrips() throws {
        let seeds = [Self.chromiumLike, try roundTripBytes(csrcsAndPadding())]
        var parsed = 0
        for input in mutatedInputs(seeds: seeds, count: 20_000, seed: 0x77) {
            guard let p = try? RTPPacket(parsing: input) else { continue }
            parsed += 1
            for e in p.headerExtension?.elements ?? RTPHeaderExtension(profile: 0, data: []).elements { _ = e.data.count }
            var w = ByteWriter()
            p.serialize(into: &w)
            #expect(try RTPPacket(parsing: w.bytes) == p)
        }
        #expect(parsed > 1_000)
    }

    func csrcsAndPadding() -> RTPPacket {
        RTPPacket(payloadType: 8, sequenceNumber: 1, timestamp: 1, ssrc: 1, csrcs: RTPCSRCList([1, 2]),
                  headerExtension: RTPHeaderExtension(elements: [RTPExtensionElement(id: 3, data: [1, 2, 3][...])]),
                  payload: [5, 6, 7, 8][...], paddingLength: 4)
    }
    func roundTripBytes(_ p: RTPPacket) throws -> [UInt8] { try roundTrip(p) }
}

import MediaCore
import Testing
import TestSupport
@testable import RTP

/// The per-packet fast paths: extension elements found by walking indices (no slices on the
/// way), and serialization as one in-place write appended to what a `ByteWriter` holds.
@Suite struct RTPLookupAndWriteTests {
    @Test func elementLookupOnThePacketMatchesTheExtensionWalk() throws {
        let seeds = [RTPPacketTests.chromiumLike,
                     RTPPacketBodyTests.wire(RTPPacket(payloadType: 111, sequenceNumber: 9, timestamp: 960, ssrc: 1,
                                                       headerExtension: RTPHeaderExtension(elements: [
                                                           RTPExtensionElement(id: 5, data: []), RTPExtensionElement(id: 1, data: [0x85, 0]),
                                                           RTPExtensionElement(id: 200, data: [1, 2, 3]),
                                                       ]), payload: [1, 2, 3][...]))]
        var compared = 0
        for input in seeds + mutatedInputs(seeds: seeds, count: 10_000, seed: 0xE1E) {
            guard let p = try? RTPPacket(parsing: input) else { continue }
            for id in [0, 1, 2, 3, 5, 14, 15, 200] as [UInt8] {
                let slow = p.headerExtension?.element(id: id)
                #expect(p.extensionElement(id: id) == slow)
                #expect(p.audioLevel(id: id) == slow.flatMap { AudioLevel(extensionData: $0) })
            }
            compared += 1
        }
        #expect(compared > 1_000)
    }

    @Test func audioLevelNeedsADataByte() throws {
        // Two-byte form: id 5 with no data, id 1 with the level byte 0x85 (voice, 5 dB).
        let bytes = RTPPacketBodyTests.wire(RTPPacket(payloadType: 111, sequenceNumber: 1, timestamp: 1, ssrc: 1,
                                                      headerExtension: RTPHeaderExtension(elements: [
                                                          RTPExtensionElement(id: 5, data: []), RTPExtensionElement(id: 1, data: [0x85, 0]),
                                                      ]), payload: [0][...]))
        let p = try RTPPacket(parsing: bytes)
        #expect(p.headerExtension?.isTwoByte == true)
        #expect(p.audioLevel(id: 5) == nil && p.extensionElement(id: 5)?.isEmpty == true)
        #expect(p.audioLevel(id: 1) == AudioLevel(voiceActivity: true, level: 5))
        #expect(p.extensionElement(id: 1)?.startIndex == 12 + 4 + 2 + 2) // a view of the datagram
        var header = Array(RTPPacketTests.chromiumLike.prefix(12))
        header[0] = 0x80 // X clear: no extension
        let bare = try RTPPacket(parsing: header)
        #expect(bare.audioLevel(id: 1) == nil && bare.extensionElement(id: 1) == nil)
        let other = RTPPacket(payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1,
                              headerExtension: RTPHeaderExtension(profile: 0x1234, data: [0x10, 0x85, 0, 0][...]), payload: [])
        #expect(other.audioLevel(id: 1) == nil) // not an RFC 8285 profile
    }

    @Test func serializeAppendsAfterWhatTheWriterHolds() throws {
        let p = try RTPPacket(parsing: RTPPacketTests.chromiumLike)
        var w = ByteWriter(capacity: 4) // grows during the write
        w.write(UInt8(0xEE))
        p.serialize(into: &w)
        #expect(w.bytes == [0xEE] + RTPPacketTests.chromiumLike)
        let earlier = w.bytes
        w.reset()
        p.serialize(into: &w)
        #expect(w.bytes == RTPPacketTests.chromiumLike)
        #expect(earlier == [0xEE] + RTPPacketTests.chromiumLike) // a writer shared by copy writes its own buffer
    }
}

import MediaCore
import Testing
import TestSupport
@testable import RTP

@Suite struct RTCPTests {
    static let block = ReportBlock(ssrc: 0x1111_2222, fractionLost: 25, cumulativeLost: -3, extendedHighestSequence: 0x0001_0005,
                                   jitter: 77, lastSenderReport: 0xABCD_0123, delaySinceLastSenderReport: 65_536)

    static let senderReportAndSDES = RTCPCompoundPacket(packets: [
        .senderReport(SenderReport(ssrc: 0x3ABC_DEF1, ntpTime: NTPTime(seconds: 3_900_000_000, fraction: 0x8000_0000),
                                   rtpTimestamp: 123_456, packetCount: 500, octetCount: 40_000, reportBlocks: [block])),
        .sourceDescription(SourceDescription(chunks: [
            .init(source: 0x3ABC_DEF1, items: [SDESItem(type: SDESItem.cname, text: "aB3dE6gH9jK2mN5p")]),
        ])),
    ])

    static func bytes(_ c: RTCPCompoundPacket) -> [UInt8] {
        var w = ByteWriter()
        c.serialize(into: &w)
        return w.bytes
    }

    @Test func senderReportWithSDESRoundTrips() throws {
        let bytes = Self.bytes(Self.senderReportAndSDES)
        // SR: 4 + 24 + 24 = 52 bytes; SDES: 4 + 4 + (2 + 16 + 1 → 20) = 28 bytes.
        #expect(bytes.count == 80)
        #expect(Array(bytes[0..<4]) == [0x81, 200, 0x00, 12])
        #expect(Array(bytes[52..<56]) == [0x81, 202, 0x00, 6])
        #expect(PacketClass(datagram: bytes) == .rtpOrRTCP && PacketClass.isRTCP(bytes))
        let parsed = try RTCPCompoundPacket(parsing: bytes)
        #expect(parsed == Self.senderReportAndSDES)
        #expect(parsed.startsWithReport)
        guard case .sourceDescription(let sdes) = Array(parsed.packets)[1] else { Issue.record("no SDES"); return }
        #expect(sdes.chunks.first?.cname.map { String(decoding: $0, as: UTF8.self) } == "aB3dE6gH9jK2mN5p")
    }

    @Test func receiverReportWithNACKRoundTrips() throws {
        let c = RTCPCompoundPacket(packets: [
            .receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [Self.block, Self.block])),
            .genericNACK(GenericNACK(senderSSRC: 1, mediaSSRC: 0x3ABC_DEF1, lost: [100, 101, 103, 140])),
        ])
        let bytes = Self.bytes(c)
        #expect(bytes.count == (8 + 48) + (12 + 8))
        #expect(bytes[56] == 0x81 && bytes[57] == 205)
        let parsed = try RTCPCompoundPacket(parsing: bytes)
        #expect(parsed == c)
        guard case .genericNACK(let nack) = Array(parsed.packets)[1] else { Issue.record("no NACK"); return }
        #expect(nack.lostSequenceNumbers == [100, 101, 103, 140])
    }

    @Test func cumulativeLostIsA24BitSignedField() throws {
        var b = Self.block
        b.cumulativeLost = -5
        var w = ByteWriter()
        b.serialize(into: &w)
        #expect(Array(w.bytes[4..<8]) == [25, 0xFF, 0xFF, 0xFB])
        var r = ByteReader(w.bytes)
        #expect(try ReportBlock(parsing: &r).cumulativeLost == -5)
        b.cumulativeLost = 0x7F_FFFF
        w.reset(); b.serialize(into: &w)
        r = ByteReader(w.bytes)
        #expect(try ReportBlock(parsing: &r).cumulativeLost == 0x7F_FFFF)
        b.cumulativeLost = 50_000_000 // beyond 24 bits: clamped
        w.reset(); b.serialize(into: &w)
        r = ByteReader(w.bytes)
        #expect(try ReportBlock(parsing: &r).cumulativeLost == ReportBlock.maxCumulativeLost)
        b.cumulativeLost = -50_000_000
        w.reset(); b.serialize(into: &w)
        r = ByteReader(w.bytes)
        #expect(try ReportBlock(parsing: &r).cumulativeLost == ReportBlock.minCumulativeLost)
    }

    @Test func nackEntriesExpandAcrossSequenceWrap() {
        let nack = GenericNACK(senderSSRC: 1, mediaSSRC: 2, entries: [.init(packetID: 65534, lostBitmask: 0b1000_0000_0000_0101)])
        #expect(nack.lostSequenceNumbers == [65534, 65535, 1, 14])
    }

    @Test func nackCompressionGroupsSixteenFollowersAndWraps() {
        let lost: [UInt16] = [2, 65530, 65535, 0, 65530, 10, 11]
        let nack = GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: lost)
        let firstMask: UInt16 = 0b1000_0000_1011_0000 // 65535, 0, 2 and 10 after 65530 (bits 4, 5, 7, 15)
        let expected = [GenericNACK.Entry(packetID: 65530, lostBitmask: firstMask), GenericNACK.Entry(packetID: 11, lostBitmask: 0)]
        #expect(nack.entries == expected)
        #expect(nack.lostSequenceNumbers == [65530, 65535, 0, 2, 10, 11])
        let spread = GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: Array(stride(from: UInt16(0), to: 100, by: 1)))
        #expect(spread.entries.count == 6) // 17 numbers per entry
        #expect(spread.lostSequenceNumbers == Array(0..<100))
        #expect(GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: []).entries.isEmpty)
    }

    @Test func goodbyeWithAndWithoutReasonRoundTrips() throws {
        for bye in [Goodbye(sources: [1, 2, 3], reason: "call ended"), Goodbye(sources: [9])] {
            let c = RTCPCompoundPacket(packets: [.receiverReport(ReceiverReport(ssrc: 9)), .goodbye(bye)])
            let bytes = Self.bytes(c)
            #expect(bytes.count % 4 == 0)
            #expect(try RTCPCompoundPacket(parsing: bytes) == c)
        }
    }

    @Test func unknownPacketTypesAreKeptRaw() throws {
        // A PLI (PSFB, FMT 1) and an APP packet after an RR.
        let bytes: [UInt8] = [0x80, 201, 0, 1, 0, 0, 0, 1,
                              0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2,
                              0x80, 204, 0, 2, 0, 0, 0, 1, 0x6E, 0x61, 0x6D, 0x65]
        let c = try RTCPCompoundPacket(parsing: bytes)
        #expect(c.packets.count == 3)
        #expect(Array(c.packets)[1] == .raw(RTCPRawPacket(count: 1, packetType: 206, body: [0, 0, 0, 1, 0, 0, 0, 2][...])))
        #expect(Self.bytes(c) == bytes)
    }

    @Test func paddedLastPacketIsAccepted() throws {
        // BYE for SSRC 5 with 4 bytes of padding (P set, count 4).
        let bytes: [UInt8] = [0x80, 201, 0, 1, 0, 0, 0, 1, 0xA1, 203, 0, 2, 0, 0, 0, 5, 0, 0, 0, 4]
        let c = try RTCPCompoundPacket(parsing: bytes)
        #expect(Array(c.packets)[1] == .goodbye(Goodbye(sources: [5])))
    }

    @Test func malformedCompoundsThrowTypedErrors() {
        func fails(_ bytes: [UInt8]) -> Bool {
            do { _ = try RTCPCompoundPacket(parsing: bytes); return false } catch { return true }
        }
        let good = Self.bytes(Self.senderReportAndSDES)
        #expect(!fails(good))
        #expect(fails([]))
        #expect(fails(Array(good.dropLast())))                 // lengths no longer tile the datagram
        #expect(fails(good + [0x81]))                          // trailing partial header
        var v1 = good; v1[52] = 0x41                           // second packet version 1
        #expect(fails(v1))
        var tooManyBlocks = good; tooManyBlocks[0] = 0x82      // RC 2 with one block's room
        #expect(fails(tooManyBlocks))
        var badPadding = good; badPadding[52] |= 0x20; badPadding[79] = 0  // P set, count 0
        #expect(fails(badPadding))
        var hugePadding = good; hugePadding[52] |= 0x20; hugePadding[79] = 200
        #expect(fails(hugePadding))
        let oddNACK: [UInt8] = [0x81, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 7, 0, 3 | 0]
        #expect(!fails(oddNACK))
        let shortNACK: [UInt8] = [0xA1, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 7, 0, 2]  // padding leaves 2 FCI bytes
        #expect(fails(shortNACK))
        let sdesOverrun: [UInt8] = [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 9, 0x61, 0x62]     // item longer than the packet
        #expect(fails(sdesOverrun))
    }

    @Test func randomAndMutatedInputNeverTrapsAndRoundTrips() throws {
        let seeds = [Self.bytes(Self.senderReportAndSDES),
                     Self.bytes(RTCPCompoundPacket(packets: [.receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [Self.block])),
                                                             .genericNACK(GenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: [1, 3, 30])),
                                                             .goodbye(Goodbye(sources: [1], reason: "bye"))]))]
        var parsed = 0
        for input in mutatedInputs(seeds: seeds, count: 20_000, seed: 0xC0FFEE) {
            guard let c = try? RTCPCompoundPacket(parsing: input) else { continue }
            parsed += 1
            #expect(try RTCPCompoundPacket(parsing: Self.bytes(c)) == c)
        }
        #expect(parsed > 1_000)
    }
}

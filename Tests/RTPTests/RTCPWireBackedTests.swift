import MediaCore
import Testing
import TestSupport
@testable import RTP

/// The wire-backed RTCP values: a parsed compound is a view of the datagram whose packets are
/// decoded as read; reports, SDES and unknown packets read their fields from their bytes, and
/// setting one writes a copy without touching the datagram.
@Suite struct RTCPWireBackedTests {
    static let datagram = RTCPTests.bytes(RTCPTests.senderReportAndSDES)

    @Test func packetListWalksLikeACollection() throws {
        let parsed = try RTCPCompoundPacket(parsing: Self.datagram)
        let built = RTCPTests.senderReportAndSDES
        for list in [parsed.packets, built.packets] {
            #expect(list.count == 2 && !list.isEmpty)
            var byIndex: [RTCPPacket] = []
            var i = list.startIndex
            while i != list.endIndex {
                byIndex.append(list[i])
                i = list.index(after: i)
            }
            #expect(byIndex == Array(list))
            #expect(list.first == byIndex.first && list.last == byIndex.last)
        }
        #expect(parsed.packets == built.packets)
        #expect(parsed.packets.startIndex.offset == 0 && parsed.packets.index(after: parsed.packets.startIndex).offset == 52)
        #expect(RTCPPacketList([]).isEmpty && RTCPPacketList([]).last == nil)
    }

    @Test func parsedPacketsAreViewsOfTheDatagram() throws {
        let input = Self.datagram
        let parsed = try RTCPCompoundPacket(parsing: input)
        guard case .senderReport(let sr) = parsed.packets.first, case .sourceDescription(let sdes) = parsed.packets.last else {
            Issue.record("wrong packet types"); return
        }
        let base = input.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(sr.wire.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == base)
        #expect(sr.reportBlocks.wire.startIndex == 28 && sr.profileExtension.isEmpty)
        #expect(sdes.wire.startIndex == 52 && sdes.chunks.wire.startIndex == 56)
    }

    @Test func settingReportFieldsWritesACopy() throws {
        let input = Self.datagram
        let parsed = try RTCPCompoundPacket(parsing: input)
        guard case .senderReport(var sr) = parsed.packets.first else { Issue.record("no SR"); return }
        sr.ssrc = 7
        sr.ntpTime = NTPTime(seconds: 1, fraction: 2)
        sr.rtpTimestamp = 3
        sr.packetCount = 4
        sr.octetCount = 5
        sr.reportBlocks = [RTCPViewTests.blocks[1], RTCPTests.block]
        sr.profileExtension = [9, 9, 9, 9][...]
        let expected = SenderReport(ssrc: 7, ntpTime: NTPTime(seconds: 1, fraction: 2), rtpTimestamp: 3, packetCount: 4, octetCount: 5,
                                    reportBlocks: [RTCPViewTests.blocks[1], RTCPTests.block], profileExtension: [9, 9, 9, 9][...])
        #expect(sr == expected)
        #expect(input == Self.datagram)
        #expect(try RTCPCompoundPacket(parsing: input) == RTCPTests.senderReportAndSDES)
        let again = try RTCPCompoundPacket(parsing: RTCPTests.bytes(RTCPCompoundPacket(packets: [.senderReport(sr)])))
        #expect(again.packets.first == .senderReport(expected))

        var rr = ReceiverReport(ssrc: 1, reportBlocks: [RTCPTests.block], profileExtension: [1, 2, 3, 4][...])
        rr.ssrc = 2
        rr.reportBlocks = []
        #expect(rr == ReceiverReport(ssrc: 2, profileExtension: [1, 2, 3, 4][...]))
        rr.profileExtension = []
        #expect(rr == ReceiverReport(ssrc: 2))
        #expect(rr.reportBlocks.isEmpty && rr.ssrc == 2)
    }

    @Test func paddedAndUnpaddedPacketsAreEqual() throws {
        // An RR with one word of profile extension, sent with 4 bytes of padding (P set).
        let padded: [UInt8] = [0xA0, 201, 0, 3, 0, 0, 0, 9, 1, 2, 3, 4, 0, 0, 0, 4]
        let c = try RTCPCompoundPacket(parsing: padded)
        #expect(c.packets.first == .receiverReport(ReceiverReport(ssrc: 9, profileExtension: [1, 2, 3, 4][...])))
        #expect(RTCPTests.bytes(c) == [0x80, 201, 0, 2, 0, 0, 0, 9, 1, 2, 3, 4]) // padding not needed: dropped
    }

    @Test func rawAndSDESValuesReadAndSetTheirFields() {
        var raw = RTCPRawPacket(count: 33, packetType: 206, body: [1, 2, 3][...])
        #expect(raw.count == 1 && raw.packetType == 206 && Array(raw.body) == [1, 2, 3])
        raw.count = 4
        raw.packetType = 204
        raw.body = [5][...]
        #expect(raw == RTCPRawPacket(count: 4, packetType: 204, body: [5][...]))
        var sdes = SourceDescription(chunks: [.init(source: 1, items: [SDESItem(type: SDESItem.cname, text: "a")])])
        sdes.chunks = SDESChunkList([.init(source: 2, items: [SDESItem(type: SDESItem.cname, text: "bc")])])
        #expect(sdes.chunks.count == 1 && sdes.chunks.first?.source == 2)
        #expect(sdes.chunks.first?.cname.map { Array($0) } == Array("bc".utf8))
    }

    @Test func singlePacketParseMovesTheReaderAndCountsErrorsFromItsStart() throws {
        var r = ByteReader([0xEE, 0xEE] + Self.datagram)
        try r.skip(2)
        let first = try RTCPPacket(parsing: &r)
        #expect(r.offset == 2 + 52)
        guard case .senderReport(let sr) = first else { Issue.record("no SR"); return }
        #expect(sr.ssrc == 0x3ABC_DEF1 && sr.reportBlocks.first == RTCPTests.block)
        _ = try RTCPPacket(parsing: &r)
        #expect(r.isAtEnd)
        #expect(throws: ParseError.truncated(offset: 82, needed: 4)) { try RTCPPacket(parsing: &r) }

        var short = ByteReader(Array(Self.datagram.prefix(60)))
        _ = try RTCPPacket(parsing: &short)
        #expect(throws: ParseError.truncated(offset: 56, needed: 20)) { try RTCPPacket(parsing: &short) }
        var tail = ByteReader([0, 0] + Self.datagram.prefix(53))
        try tail.skip(2)
        #expect(throws: ParseError.truncated(offset: 2 + 52, needed: 3)) { try RTCPCompoundPacket(parsing: &tail) }
    }

    @Test func goodbyeAndNACKStillDecodeFromTheView() throws {
        let c = RTCPCompoundPacket(packets: [.receiverReport(ReceiverReport(ssrc: 9)),
                                             .genericNACK(GenericNACK(senderSSRC: 9, mediaSSRC: 8, lost: [3, 4, 40])),
                                             .goodbye(Goodbye(sources: [9, 10], reason: "done"))])
        let parsed = try RTCPCompoundPacket(parsing: RTCPTests.bytes(c))
        #expect(parsed == c && parsed.packets.count == 3)
        guard case .goodbye(let bye) = parsed.packets.last else { Issue.record("no BYE"); return }
        #expect(bye.sources == [9, 10] && bye.reason.map { Array($0) } == Array("done".utf8))
    }
}

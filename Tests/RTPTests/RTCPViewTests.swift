import MediaCore
import Testing
import TestSupport
@testable import RTP

/// The wire-backed lists of RTCP (report blocks, SDES chunks and items): what they decode, that
/// parsed ones are views of the datagram, and that rebuilding from decoded values round-trips.
@Suite struct RTCPViewTests {
    static let blocks = [
        ReportBlock(ssrc: 1, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 65_536, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0),
        ReportBlock(ssrc: 0xFFFF_FFFF, fractionLost: 255, cumulativeLost: ReportBlock.minCumulativeLost, extendedHighestSequence: .max,
                    jitter: 12_345, lastSenderReport: 0xDEAD_BEEF, delaySinceLastSenderReport: 1),
    ]

    static func bytes(_ c: RTCPCompoundPacket) -> [UInt8] {
        var w = ByteWriter()
        c.serialize(into: &w)
        return w.bytes
    }

    @Test func reportBlockListDecodesEveryFieldAndKeepsAtMost31() {
        let list = ReportBlockList(Self.blocks)
        #expect(list.count == 2 && list.wire.count == 48)
        #expect(Array(list) == Self.blocks)
        let many = ReportBlockList(Array(repeating: Self.blocks[1], count: 40))
        #expect(many.count == 31)
        #expect(many.allSatisfy { $0 == Self.blocks[1] })
        var clamped = Self.blocks[0]
        clamped.cumulativeLost = 1 << 30
        #expect(ReportBlockList([clamped]).first?.cumulativeLost == ReportBlock.maxCumulativeLost)
        let literal: ReportBlockList = [Self.blocks[0]]
        #expect(literal == ReportBlockList([Self.blocks[0]]))
        #expect(ReportBlockList().isEmpty)
    }

    @Test func parsedReportBlocksAndChunksAreViewsOfTheDatagram() throws {
        let c = RTCPCompoundPacket(packets: [
            .receiverReport(ReceiverReport(ssrc: 7, reportBlocks: Self.blocks)),
            .sourceDescription(SourceDescription(chunks: [.init(source: 7, items: [SDESItem(type: SDESItem.cname, text: "abc")])])),
        ])
        let input = Self.bytes(c)
        let parsed = try RTCPCompoundPacket(parsing: input)
        guard case .receiverReport(let rr) = Array(parsed.packets)[0], case .sourceDescription(let sdes) = Array(parsed.packets)[1] else {
            Issue.record("wrong packet types"); return
        }
        let base = input.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(rr.reportBlocks.wire.startIndex == 8)
        #expect(rr.reportBlocks.wire.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == base + 8)
        #expect(sdes.chunks.wire.startIndex == 8 + 48 + 4)
        #expect(sdes.chunks.wire.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == base + 60)
        #expect(Array(rr.reportBlocks) == Self.blocks)
    }

    @Test func sdesChunksWithSeveralItemsDecodeInOrder() throws {
        let chunks: [SourceDescription.Chunk] = [
            .init(source: 1, items: [SDESItem(type: SDESItem.cname, text: "a"), SDESItem(type: SDESItem.tool, text: "swift")]),
            .init(source: 2, items: []),
            .init(source: 3, items: [SDESItem(type: SDESItem.note, value: [][...]), SDESItem(type: SDESItem.cname, text: "xyz!")]),
        ]
        let c = RTCPCompoundPacket(packets: [.sourceDescription(SourceDescription(chunks: chunks))])
        let bytes = Self.bytes(c)
        #expect(bytes[0] & 0x1F == 3)
        let parsed = try RTCPCompoundPacket(parsing: bytes)
        guard case .sourceDescription(let sdes) = Array(parsed.packets)[0] else { Issue.record("no SDES"); return }
        #expect(sdes.chunks.count == 3)
        #expect(sdes.chunks.map(\.source) == [1, 2, 3])
        #expect(Array(sdes.chunks) == chunks)
        let third = try #require(sdes.chunks.dropFirst(2).first)
        #expect(third.items.map(\.type) == [SDESItem.note, SDESItem.cname])
        #expect(third.cname.map { String(decoding: $0, as: UTF8.self) } == "xyz!")
        #expect(sdes.chunks.dropFirst().first?.items.isEmpty == true)
        #expect(sdes.chunks.first?.items.map(\.text) == ["a", "swift"])
    }

    @Test func sdesItemsOfTypeZeroAreDroppedAndLongValuesCut() {
        let long = SDESItem(type: SDESItem.name, value: Array(repeating: 0x41, count: 300)[...])
        let items = SDESItemList([SDESItem(type: 0, text: "end"), long])
        #expect(items.count == 1)
        #expect(items.first?.value.count == 255)
        #expect(items.wire.count == 257)
    }

    @Test func everyTruncationOfAnSDESPacketIsATypedError() {
        // One chunk: SSRC, CNAME "abcd", TOOL "x", null, padding to the word.
        let body: [UInt8] = [0, 0, 0, 9, 1, 4, 0x61, 0x62, 0x63, 0x64, 6, 1, 0x78, 0, 0, 0]
        var failures = 0
        for cut in 0 ..< body.count {
            let words = UInt8((cut + 3) / 4)
            var packet: [UInt8] = [0x81, 202, 0, words] + body.prefix(cut)
            packet += Array(repeating: 0, count: Int(words) * 4 - cut) // keep the length field honest
            // Zero fill may itself end the chunk early; a whole chunk must still never overrun.
            do throws(ParseError) {
                let c = try RTCPCompoundPacket(parsing: packet)
                guard case .sourceDescription(let sdes) = Array(c.packets)[0] else { Issue.record("not SDES"); continue }
                #expect(sdes.chunks.count == 1)
                #expect(sdes.chunks.wire.count <= Int(words) * 4)
            } catch {
                failures += 1 // typed: a ParseError, never a trap
            }
        }
        #expect(failures >= 4) // at least every cut inside the SSRC
        var whole: [UInt8] = [0x81, 202, 0, 4] + body
        #expect((try? RTCPCompoundPacket(parsing: whole)) != nil)
        whole[3] = 3 // length one word short: the chunk's padding is missing
        #expect(throws: ParseError.self) { try RTCPCompoundPacket(parsing: Array(whole.prefix(16))) }
        let overrunItem: [UInt8] = [0x81, 202, 0, 2, 0, 0, 0, 9, 1, 200, 0x61, 0x62]
        #expect(throws: ParseError.self) { try RTCPCompoundPacket(parsing: overrunItem) }
        let noNull: [UInt8] = [0x81, 202, 0, 2, 0, 0, 0, 9, 1, 2, 0x61, 0x62]
        #expect(throws: ParseError.self) { try RTCPCompoundPacket(parsing: noNull) }
        let twoChunksOneThere: [UInt8] = [0x82, 202, 0, 2, 0, 0, 0, 9, 1, 1, 0x61, 0]
        #expect(throws: ParseError.self) { try RTCPCompoundPacket(parsing: twoChunksOneThere) }
    }

    @Test func reportCountBeyondTheBodyIsATypedError() {
        for rc in UInt8(2) ... 31 {
            let rr: [UInt8] = [0x80 | rc, 201, 0, 7] + [0, 0, 0, 1] + Array(repeating: 0, count: 24)
            #expect(throws: ParseError.self) { try RTCPCompoundPacket(parsing: rr) }
        }
    }

    @Test func rebuildingFromDecodedValuesGivesTheSameCompound() throws {
        let seeds = [Self.bytes(RTCPTests.senderReportAndSDES),
                     Self.bytes(RTCPCompoundPacket(packets: [.receiverReport(ReceiverReport(ssrc: 1, reportBlocks: Self.blocks)),
                                                             .sourceDescription(SourceDescription(chunks: [
                                                                 .init(source: 1, items: [SDESItem(type: 1, text: "c"), SDESItem(type: 7, text: "n")]),
                                                                 .init(source: 2, items: [SDESItem(type: 1, text: "cname-2")]),
                                                             ]))]))]
        var rebuilt = 0
        for input in mutatedInputs(seeds: seeds, count: 10_000, seed: 0x5DE5) {
            guard let c = try? RTCPCompoundPacket(parsing: input) else { continue }
            let copy = RTCPCompoundPacket(packets: c.packets.map(Self.rebuilt))
            #expect(try RTCPCompoundPacket(parsing: Self.bytes(copy)) == c)
            rebuilt += 1
        }
        #expect(rebuilt > 500)
    }

    /// The same packet built again from its decoded values (no shared wire bytes).
    static func rebuilt(_ p: RTCPPacket) -> RTCPPacket {
        switch p {
        case .senderReport(let sr):
            return .senderReport(SenderReport(ssrc: sr.ssrc, ntpTime: sr.ntpTime, rtpTimestamp: sr.rtpTimestamp, packetCount: sr.packetCount,
                                              octetCount: sr.octetCount, reportBlocks: Array(sr.reportBlocks), profileExtension: sr.profileExtension))
        case .receiverReport(let rr):
            return .receiverReport(ReceiverReport(ssrc: rr.ssrc, reportBlocks: Array(rr.reportBlocks), profileExtension: rr.profileExtension))
        case .sourceDescription(let sdes):
            return .sourceDescription(SourceDescription(chunks: sdes.chunks.map { .init(source: $0.source, items: Array($0.items)) }))
        default:
            return p
        }
    }
}

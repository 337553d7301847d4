import FuzzSupport
import MediaCore
import RTP

/// Parses any bytes as a compound RTCP packet; never traps. A compound that parses must
/// serialize to bytes that parse back to an equal compound; NACK lists must expand and
/// re-compress to the same set of sequence numbers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let compound = try? RTCPCompoundPacket(parsing: bytes) else { return 0 }
    // The packet list is a view decoded when read: walking it by index, by iterator, from the
    // back and by count must agree.
    let packets = Array(compound.packets)
    var byIndex: [RTCPPacket] = []
    var i = compound.packets.startIndex
    while i != compound.packets.endIndex {
        byIndex.append(compound.packets[i])
        i = compound.packets.index(after: i)
    }
    guard byIndex == packets, packets.count == compound.packets.count, compound.packets.last == packets.last else {
        fatalError("RTCP: packet list walks disagree: \(packets) / \(byIndex)")
    }
    for case .genericNACK(let nack) in compound.packets {
        let lost = nack.lostSequenceNumbers
        let rebuilt = GenericNACK(senderSSRC: nack.senderSSRC, mediaSSRC: nack.mediaSSRC, lost: lost)
        // Compression orders relative to the first number, so compare sets (valid while the
        // list spans under half the sequence space, which 16-bit masks from one packet may not).
        let span = lost.map { Int(Int16(bitPattern: $0 &- (lost.first ?? 0))) }
        if let lo = span.min(), let hi = span.max(), hi - lo < 32_768, Set(rebuilt.lostSequenceNumbers) != Set(lost) {
            fatalError("RTCP: NACK re-compression lost numbers: \(lost) -> \(rebuilt.lostSequenceNumbers)")
        }
    }
    var w = ByteWriter()
    compound.serialize(into: &w)
    guard let again = try? RTCPCompoundPacket(parsing: w.bytes) else { fatalError("RTCP: serialized compound does not parse: \(compound)") }
    guard again == compound else { fatalError("RTCP: round trip changed the compound:\n\(compound)\n\(again)") }
    // Built again from decoded values (fresh wire bytes for every list), it must round-trip too.
    let copy = RTCPCompoundPacket(packets: compound.packets.map(rebuilt))
    var w2 = ByteWriter()
    copy.serialize(into: &w2)
    guard (try? RTCPCompoundPacket(parsing: w2.bytes)) == compound else { fatalError("RTCP: rebuilt compound does not round-trip:\n\(compound)") }
    return 0
}

/// The same packet built again from its decoded values.
func rebuilt(_ p: RTCPPacket) -> RTCPPacket {
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

runFuzzer(fuzzOne)

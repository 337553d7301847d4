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
    return 0
}

runFuzzer(fuzzOne)

import FuzzSupport
import MediaCore
import RTP

/// Parses any bytes as an RTP packet; never traps. A packet that parses must serialize to bytes
/// that parse back to an equal packet; its extension elements must walk without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let packet = try? RTPPacket(parsing: bytes) else { return 0 }
    if let ext = packet.headerExtension {
        var total = 0
        for e in ext.elements { total &+= e.data.count &+ Int(e.id) }
        if total < 0 { fatalError("unreachable") }
    }
    // The packet's own lookup walks indices; it must find what the extension's walk finds.
    for id in [0, 1, 2, 14, 15, 255] as [UInt8] {
        let slow = packet.headerExtension?.element(id: id)
        guard packet.extensionElement(id: id) == slow,
              packet.audioLevel(id: id) == slow.flatMap({ AudioLevel(extensionData: $0) }) else {
            fatalError("RTP: element \(id) lookup differs from the extension walk: \(packet)")
        }
    }
    _ = Array(packet.csrcs)
    var w = ByteWriter()
    packet.serialize(into: &w)
    guard let again = try? RTPPacket(parsing: w.bytes) else { fatalError("RTP: serialized packet does not parse: \(packet)") }
    guard again == packet else { fatalError("RTP: round trip changed the packet:\n\(packet)\n\(again)") }
    // Built again from decoded parts (a fresh body), it must still equal and serialize the same.
    let copy = RTPPacket(marker: packet.marker, payloadType: packet.payloadType, sequenceNumber: packet.sequenceNumber,
                         timestamp: packet.timestamp, ssrc: packet.ssrc, csrcs: RTPCSRCList(Array(packet.csrcs)),
                         headerExtension: packet.headerExtension.map { RTPHeaderExtension(profile: $0.profile, data: Array($0.data)[...]) },
                         payload: Array(packet.payload)[...], paddingLength: packet.paddingLength)
    guard copy == packet else { fatalError("RTP: rebuilt packet differs:\n\(packet)\n\(copy)") }
    var w2 = ByteWriter()
    copy.serialize(into: &w2)
    guard (try? RTPPacket(parsing: w2.bytes)) == packet else { fatalError("RTP: rebuilt packet does not round-trip") }
    return 0
}

runFuzzer(fuzzOne)

import FuzzSupport
import MediaCore
import SDP

/// Parses any bytes as SDP. What parses must serialize to the same bytes and re-parse equal; it is
/// then answered as a remote offer and accepted as an answer to our offer. Nothing may trap.
let negotiator = OfferAnswerNegotiator(local: LocalParameters(
    iceUfrag: "fuzz", icePwd: "fuzzfuzzfuzzfuzzfuzzfu",
    fingerprints: [Fingerprint(hashFunction: .sha256, digest: Array(repeating: 0xAB, count: 32))],
    candidates: [ICECandidate(foundation: "1", priority: 2_130_706_431, address: "127.0.0.1", port: 50000, type: .host)],
    ssrc: 1, cname: "fuzz", msid: MSID(streamID: "s", trackID: "t"), sessionID: 1))
let ourOffer = negotiator.makeOffer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let sdp = try? SessionDescription(parsing: bytes[...]) else { return 0 }
    var w = ByteWriter()
    sdp.serialize(into: &w)
    // A broken round trip is the bug this target exists to find.
    guard w.bytes == bytes, (try? SessionDescription(parsing: w.bytes[...])) == sdp else { fatalError("SDP round trip changed the input") }
    for i in sdp.mediaSections.indices {
        _ = try? sdp.transport(forSection: i)
        _ = try? sdp.mediaSections[i].rtpMaps
        _ = try? sdp.mediaSections[i].candidates
    }
    _ = try? negotiator.makeAnswer(to: sdp)
    _ = try? negotiator.acceptAnswer(sdp, toOffer: ourOffer)
    return 0
}

runFuzzer(fuzzOne)

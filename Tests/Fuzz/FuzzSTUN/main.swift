import FuzzSupport
import MediaCore
import STUN

/// Parses any bytes as a STUN message; never traps. A message that parses must also survive its
/// checks, and serialize to bytes that parse back to an equal message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = STUNMessage.looksLikeSTUN(bytes)
    guard let message = try? STUNMessage(parsing: bytes) else { return 0 }
    _ = message.verifyIntegrity(key: Array("fuzz".utf8))
    _ = message.verifyIntegritySHA256(key: Array("fuzz".utf8))
    _ = message.verifyFingerprint()
    _ = message.unknownComprehensionRequired
    var w = ByteWriter()
    message.serialize(into: &w)
    guard let again = try? STUNMessage(parsing: w.bytes) else { fatalError("STUN: serialized message does not parse: \(message)") }
    guard again == message else { fatalError("STUN: round trip changed the message:\n\(message)\n\(again)") }
    // Building with fresh integrity and fingerprint must verify.
    w.reset()
    message.serialize(into: &w, integrityKey: [1, 2, 3], fingerprint: true)
    guard let signed = try? STUNMessage(parsing: w.bytes), signed.verifyIntegrity(key: [1, 2, 3]), signed.verifyFingerprint() else {
        fatalError("STUN: a message built with integrity and fingerprint does not verify: \(message)")
    }
    return 0
}

runFuzzer(fuzzOne)

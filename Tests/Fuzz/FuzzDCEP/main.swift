import DCEP
import FuzzSupport
import MediaCore

/// Parses any bytes as a DCEP message; never traps. A message that parses must serialize to
/// bytes that parse back to an equal message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let message = try? DCEPMessage(parsing: bytes) else { return 0 }
    var w = ByteWriter()
    message.serialize(into: &w)
    guard let again = try? DCEPMessage(parsing: w.bytes) else { fatalError("DCEP: serialized message does not parse: \(message)") }
    guard again == message else { fatalError("DCEP: round trip changed the message:\n\(message)\n\(again)") }
    return 0
}

runFuzzer(fuzzOne)

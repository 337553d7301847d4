import FuzzSupport
import MediaCore

/// Reads length-prefixed fields until the input runs out: every read must throw, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var r = ByteReader(fuzzBytes(data, size))
    while let n = try? r.readUInt8() {
        switch n % 4 {
        case 0: _ = try? r.readUInt16()
        case 1: _ = try? r.readUInt32()
        case 2: _ = try? r.readUInt64()
        default: _ = try? r.readBytes(Int(n) - 3)
        }
    }
    return 0
}

runFuzzer(fuzzOne)

import MediaCore
import Testing

/// The reserved in-place writes of MediaCore's `ByteWriter` that RTP and RTCP serialization
/// rely on: fixed-width fields, `write(count:storing:)`, the one-copy path of `write(bytes:)`
/// for contiguous collections and its element-by-element fallback, zeros and padding.
@Suite struct ByteWriterInPlaceTests {
    @Test func writerFieldsContiguousCopiesAndFallback() {
        var w = ByteWriter(capacity: 1)
        w.write(UInt16(0x0102))
        w.writeUInt24(0x03_0405)
        w.write(UInt32(0x0607_0809))
        w.write(UInt64(0x0A0B_0C0D_0E0F_1011))
        w.write(bytes: [0x12, 0x13][...])
        w.write(bytes: [0x14])
        w.write(bytes: repeatElement(UInt8(0x15), count: 2)) // not contiguous: element by element
        w.write(bytes: [UInt8]())
        w.write(zeros: 3)
        w.write(zeros: 0)
        w.write(count: 2) { $0.storeBytes(of: UInt16(0x1617).bigEndian, as: UInt16.self) }
        w.write(count: 0) { _ in Issue.record("no bytes to store") }
        #expect(w.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0xA, 0xB, 0xC, 0xD, 0xE, 0xF, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x15,
                            0, 0, 0, 0x16, 0x17])
        w.pad(toMultipleOf: 4)
        #expect(w.count == 28 && w.bytes.suffix(1) == [0])
        w.pad(toMultipleOf: 4)
        #expect(w.count == 28)
    }
}

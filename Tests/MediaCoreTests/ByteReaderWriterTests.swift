import Testing
@testable import MediaCore

@Suite struct ByteReaderWriterTests {
    @Test func roundTripsEveryWidth() throws {
        var w = ByteWriter()
        w.write(UInt8(0xAB))
        w.write(UInt16(0x1234))
        w.writeUInt24(0x56789A)
        w.write(UInt32(0xDEADBEEF))
        w.write(UInt64(0x0102030405060708))
        w.write(bytes: [9, 8, 7])
        #expect(w.bytes == [0xAB, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7])
        var r = ByteReader(w.bytes)
        #expect(try r.readUInt8() == 0xAB)
        #expect(try r.readUInt16() == 0x1234)
        #expect(try r.readUInt24() == 0x56789A)
        #expect(try r.readUInt32() == 0xDEADBEEF)
        #expect(try r.readUInt64() == 0x0102030405060708)
        #expect(Array(try r.readBytes(3)) == [9, 8, 7])
        #expect(r.isAtEnd)
    }

    @Test func truncationThrowsTypedErrorAndDoesNotAdvance() {
        var r = ByteReader([1, 2, 3])
        #expect(throws: ParseError.truncated(offset: 0, needed: 1)) { try r.readUInt32() }
        #expect(r.offset == 0)
        #expect(throws: ParseError.self) { try r.readBytes(-1) }
        #expect(throws: ParseError.self) { try r.skip(4) }
        #expect(throws: ParseError.self) { try r.peekUInt8(at: 3) }
    }

    @Test func readerOnSliceKeepsOwnIndexSpace() throws {
        let base: [UInt8] = [0, 0, 0xCA, 0xFE, 0xBA, 0xBE]
        var r = ByteReader(base[2...])
        #expect(try r.readUInt16() == 0xCAFE)
        #expect(r.offset == 2)
        let rest = r.readRemaining()
        #expect(Array(rest) == [0xBA, 0xBE])
    }

    @Test func patchAndPad() {
        var w = ByteWriter()
        w.write(UInt16(0))
        w.write(UInt8(1))
        w.pad(toMultipleOf: 4)
        w.patch(UInt16(0xBEEF), at: 0)
        #expect(w.bytes == [0xBE, 0xEF, 1, 0])
        w.reset()
        #expect(w.count == 0)
    }
}

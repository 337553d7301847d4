import HTTP
import MediaCore
import Testing

@Suite struct WebSocketFrameTests {
    func parse(_ bytes: [UInt8]) throws(ParseError) -> WebSocketFrame {
        var r = ByteReader(bytes)
        return try WebSocketFrame(parsing: &r)
    }

    // RFC 6455 §5.7 examples, as data.
    @Test func rfcSingleFrameUnmaskedText() throws {
        let f = try parse([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        #expect(f.fin && f.opcode == .text && f.header.maskingKey == nil)
        #expect(f.payload == Array("Hello".utf8))
        #expect(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)).serialized() == [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
    }

    @Test func rfcSingleFrameMaskedText() throws {
        let wire: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        let f = try parse(wire)
        #expect(f.header.maskingKey == 0x37fa_213d)
        #expect(f.payload == Array("Hello".utf8))
        #expect(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8), maskingKey: 0x37fa_213d).serialized() == wire)
    }

    @Test func rfcFragmentedUnmaskedText() throws {
        let first = try parse([0x01, 0x03, 0x48, 0x65, 0x6c])
        let second = try parse([0x80, 0x02, 0x6c, 0x6f])
        #expect(!first.fin && first.opcode == .text && first.payload == Array("Hel".utf8))
        #expect(second.fin && second.opcode == .continuation && second.payload == Array("lo".utf8))
    }

    @Test func rfcPingAndMaskedPong() throws {
        let ping = try parse([0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        #expect(ping.opcode == .ping && ping.payload == Array("Hello".utf8))
        let pong = try parse([0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
        #expect(pong.opcode == .pong && pong.payload == Array("Hello".utf8))
    }

    @Test func rfcBinaryLengths256And65536() throws {
        let b256 = WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 7, count: 256)).serialized()
        #expect(Array(b256.prefix(4)) == [0x82, 0x7E, 0x01, 0x00])
        let b64k = WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 7, count: 65536)).serialized()
        #expect(Array(b64k.prefix(10)) == [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(try parse(b64k).payload.count == 65536)
    }

    @Test func everyLengthEncodingRoundTripsMaskedAndUnmasked() throws {
        for n in [0, 1, 124, 125, 126, 127, 65535, 65536, 70000] {
            let payload = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            for key: UInt32? in [nil, 0xDEAD_BEEF] {
                let wire = WebSocketFrame(opcode: .binary, payload: payload, maskingKey: key).serialized()
                let headerSize = 2 + (n < 126 ? 0 : n <= 65535 ? 2 : 8) + (key == nil ? 0 : 4)
                #expect(wire.count == headerSize + n)
                let back = try parse(wire)
                #expect(back.payload == payload)
                #expect(back.header.maskingKey == key)
                #expect(throws: ParseError.self) { try parse(Array(wire.dropLast())) }
            }
        }
    }

    @Test func reservedOpcodesAndHugeLengthsAreRejected() {
        for op: UInt8 in [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            #expect(throws: ParseError.self) { try parse([0x80 | op, 0x00]) }
        }
        #expect(throws: ParseError.self) { try parse([0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0]) }
    }

    @Test func rsvBitsAreReadFromTheHeader() throws {
        #expect(try parse([0xC1, 0x00]).header.rsv == 0b100)
        #expect(try parse([0x91, 0x00]).header.rsv == 0b001)
    }
}

import MediaCore

/// The fixed part of a frame (RFC 6455 §5.2):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-------+-+-------------+-------------------------------+
///     |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
///     |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
///     |N|V|V|V|       |S|             |   (if payload len==126/127)   |
///     | |1|2|3|       |K|             |                               |
///     +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
///     |     Extended payload length continued, if payload len == 127  |
///     + - - - - - - - - - - - - - - - +-------------------------------+
///     |                               |Masking-key, if MASK set to 1  |
///     +-------------------------------+-------------------------------+
///     | Masking-key (continued)       |          Payload Data         |
///     +-------------------------------- - - - - - - - - - - - - - - - +
public struct WebSocketFrameHeader: Sendable, Equatable {
    public var fin: Bool
    /// RSV1-3 as the low three bits; nonzero only with a negotiated extension.
    public var rsv: UInt8
    public var opcode: WebSocketOpcode
    public var maskingKey: UInt32?
    public var payloadLength: UInt64

    /// Reads the header; throws `.truncated` while incomplete, `.invalidValue` for a reserved
    /// opcode or a 64-bit length with its top bit set.
    public init(parsing r: inout ByteReader) throws(ParseError) {
        let b0 = try r.readUInt8()
        let b1 = try r.readUInt8()
        fin = b0 & 0x80 != 0
        rsv = (b0 >> 4) & 0x7
        guard let op = WebSocketOpcode(rawValue: b0 & 0x0F) else {
            throw .invalidValue(field: "opcode", reason: "reserved opcode \(b0 & 0x0F)")
        }
        opcode = op
        let masked = b1 & 0x80 != 0
        switch b1 & 0x7F {
        case 126: payloadLength = UInt64(try r.readUInt16())
        case 127:
            payloadLength = try r.readUInt64()
            guard payloadLength >> 63 == 0 else { throw .invalidValue(field: "payload length", reason: "most significant bit set") }
        case let n: payloadLength = UInt64(n)
        }
        maskingKey = masked ? try r.readUInt32() : nil
    }

    public init(fin: Bool = true, rsv: UInt8 = 0, opcode: WebSocketOpcode, maskingKey: UInt32? = nil, payloadLength: UInt64) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
    }

    /// Writes the header with the shortest length encoding.
    public func serialize(into w: inout ByteWriter) {
        w.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode.rawValue)
        let mask: UInt8 = maskingKey == nil ? 0 : 0x80
        if payloadLength < 126 {
            w.write(mask | UInt8(payloadLength))
        } else if payloadLength <= 0xFFFF {
            w.write(mask | 126)
            w.write(UInt16(payloadLength))
        } else {
            w.write(mask | 127)
            w.write(payloadLength)
        }
        if let maskingKey { w.write(maskingKey) }
    }
}

/// A whole frame with its payload unmasked.
public struct WebSocketFrame: Sendable, Equatable {
    public var header: WebSocketFrameHeader
    /// The application bytes (already unmasked when parsed; masked on serialize if a key is set).
    public var payload: [UInt8]

    public var fin: Bool { header.fin }
    public var opcode: WebSocketOpcode { header.opcode }

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8], maskingKey: UInt32? = nil, rsv: UInt8 = 0) {
        header = WebSocketFrameHeader(fin: fin, rsv: rsv, opcode: opcode, maskingKey: maskingKey, payloadLength: UInt64(payload.count))
        self.payload = payload
    }

    /// Reads one complete frame (throws `.truncated` if it is not all there).
    public init(parsing r: inout ByteReader) throws(ParseError) {
        header = try WebSocketFrameHeader(parsing: &r)
        guard header.payloadLength <= UInt64(r.remaining) else {
            throw .truncated(offset: r.offset, needed: header.payloadLength > UInt64(Int.max) ? Int.max : Int(header.payloadLength))
        }
        payload = Array(try r.readBytes(Int(header.payloadLength)))
        if let key = header.maskingKey { Self.applyMask(key, to: &payload) }
    }

    public func serialize(into w: inout ByteWriter) {
        var h = header
        h.payloadLength = UInt64(payload.count)
        h.serialize(into: &w)
        if let key = header.maskingKey {
            var masked = payload
            Self.applyMask(key, to: &masked)
            w.write(bytes: masked)
        } else {
            w.write(bytes: payload)
        }
    }

    public func serialized() -> [UInt8] {
        var w = ByteWriter(capacity: payload.count + 14)
        serialize(into: &w)
        return w.bytes
    }

    /// XORs with the 32-bit key, byte `i` with key byte `i % 4` (§5.3); applying it twice undoes it.
    public static func applyMask(_ key: UInt32, to bytes: inout [UInt8]) {
        let k = [UInt8(truncatingIfNeeded: key >> 24), UInt8(truncatingIfNeeded: key >> 16),
                 UInt8(truncatingIfNeeded: key >> 8), UInt8(truncatingIfNeeded: key)]
        for i in bytes.indices { bytes[i] ^= k[i & 3] }
    }
}

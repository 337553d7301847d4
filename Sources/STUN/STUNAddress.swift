import MediaCore

/// A transport address carried by MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 §14.1, §14.2).
/// Stored as integers so it is hashable and costs no allocation.
public struct STUNAddress: Hashable, Sendable, CustomStringConvertible {
    public enum IP: Hashable, Sendable {
        /// An IPv4 address, most significant byte first (192.0.2.1 is 0xC000_0201).
        case v4(UInt32)
        /// An IPv6 address as two big-endian halves.
        case v6(high: UInt64, low: UInt64)
    }
    public var ip: IP
    public var port: UInt16

    @inlinable public init(ip: IP, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// IPv4 from four octets.
    public static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) -> STUNAddress {
        STUNAddress(ip: .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)), port: port)
    }

    /// IPv6 from eight 16-bit groups, as written ("2001:db8::1" is [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]).
    public static func ipv6(_ groups: [UInt16], port: UInt16) -> STUNAddress {
        precondition(groups.count == 8, "an IPv6 address has eight groups") // caller's constant, not input
        var high: UInt64 = 0, low: UInt64 = 0
        for g in groups[0..<4] { high = high << 16 | UInt64(g) }
        for g in groups[4..<8] { low = low << 16 | UInt64(g) }
        return STUNAddress(ip: .v6(high: high, low: low), port: port)
    }

    /// Family byte on the wire: 0x01 IPv4, 0x02 IPv6.
    public var family: UInt8 {
        if case .v4 = ip { return 0x01 }
        return 0x02
    }

    public var description: String {
        switch ip {
        case .v4(let a):
            return "\(a >> 24).\((a >> 16) & 0xFF).\((a >> 8) & 0xFF).\(a & 0xFF):\(port)"
        case .v6(let h, let l):
            let groups = (0..<4).map { String((h >> (48 - 16 * UInt64($0))) & 0xFFFF, radix: 16) }
                + (0..<4).map { String((l >> (48 - 16 * UInt64($0))) & 0xFFFF, radix: 16) }
            return "[\(groups.joined(separator: ":"))]:\(port)"
        }
    }
}

extension STUNAddress {
    //   0                   1                   2                   3
    //   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    //  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    //  |0 0 0 0 0 0 0 0|    Family     |      (X-)Port                 |
    //  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    //  |            (X-)Address (32 bits or 128 bits)                  |
    //  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// Parses an address value; with `xor`, undoes the XOR with the magic cookie (and, for IPv6,
    /// the transaction id) that XOR-MAPPED-ADDRESS applies.
    init(parsingValue value: ArraySlice<UInt8>, xor transactionID: STUNTransactionID?) throws(ParseError) {
        var r = ByteReader(value)
        _ = try r.readUInt8() // reserved: ignored on receipt
        let family = try r.readUInt8()
        var port = try r.readUInt16()
        let cookie = STUNMessage.magicCookie
        if transactionID != nil { port ^= UInt16(cookie >> 16) }
        switch family {
        case 0x01:
            guard value.count == 8 else { throw .invalidValue(field: "STUN address", reason: "IPv4 value of \(value.count) bytes") }
            var a = try r.readUInt32()
            if transactionID != nil { a ^= cookie }
            self.init(ip: .v4(a), port: port)
        case 0x02:
            guard value.count == 20 else { throw .invalidValue(field: "STUN address", reason: "IPv6 value of \(value.count) bytes") }
            var h = try r.readUInt64(), l = try r.readUInt64()
            if let t = transactionID {
                h ^= UInt64(cookie) << 32 | UInt64(t.high)
                l ^= t.low
            }
            self.init(ip: .v6(high: h, low: l), port: port)
        default:
            throw .invalidValue(field: "STUN address family", reason: "0x\(String(family, radix: 16))")
        }
    }

    /// Writes the value of (XOR-)MAPPED-ADDRESS: 8 bytes for IPv4, 20 for IPv6.
    func serializeValue(into w: inout ByteWriter, xor transactionID: STUNTransactionID?) {
        let cookie = STUNMessage.magicCookie
        w.write(UInt8(0))
        w.write(family)
        w.write(transactionID != nil ? port ^ UInt16(cookie >> 16) : port)
        switch ip {
        case .v4(let a):
            w.write(transactionID != nil ? a ^ cookie : a)
        case .v6(let h, let l):
            if let t = transactionID {
                w.write(h ^ (UInt64(cookie) << 32 | UInt64(t.high)))
                w.write(l ^ t.low)
            } else {
                w.write(h)
                w.write(l)
            }
        }
    }
}

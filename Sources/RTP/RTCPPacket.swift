import MediaCore

/// One RTCP packet of a compound datagram (RFC 3550 §6, feedback from RFC 4585). Every packet
/// starts with the same 32-bit header:
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P| count/FMT |      PT     |   length (32-bit words − 1)   |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// With P set, the last byte of the packet counts the padding bytes (itself included); the
/// parser strips them and the serializer adds them back only when a body is not word-aligned.
public enum RTCPPacket: Equatable, Sendable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(SourceDescription)
    case goodbye(Goodbye)
    case genericNACK(GenericNACK)
    /// Any other type (APP, XR, PLI, REMB, …), kept as received.
    case raw(RTCPRawPacket)

    public static let senderReportType: UInt8 = 200
    public static let receiverReportType: UInt8 = 201
    public static let sourceDescriptionType: UInt8 = 202
    public static let goodbyeType: UInt8 = 203
    public static let transportFeedbackType: UInt8 = 205
    public static let payloadFeedbackType: UInt8 = 206

    public init(parsing r: inout ByteReader) throws(ParseError) {
        let header = try r.readBytes(4)
        let h = header.bigEndianUInt32(at: header.startIndex) // four bytes, just read
        let b0 = UInt8(truncatingIfNeeded: h >> 24)
        guard b0 >> 6 == 2 else { throw .invalidValue(field: "RTCP version", reason: "\(b0 >> 6)") }
        let packetType = UInt8(truncatingIfNeeded: h >> 16)
        var body = try r.readBytes(Int(h & 0xFFFF) * 4)
        if b0 & 0x20 != 0 {
            guard let count = body.last, count > 0, Int(count) <= body.count else {
                throw .invalidValue(field: "RTCP padding", reason: "count \(body.last ?? 0) in a \(body.count)-byte body")
            }
            body = body.dropLast(Int(count))
        }
        let count = b0 & 0x1F
        var br = ByteReader(body)
        switch packetType {
        case Self.senderReportType: self = .senderReport(try SenderReport(count: count, body: body))
        case Self.receiverReportType: self = .receiverReport(try ReceiverReport(count: count, body: body))
        case Self.sourceDescriptionType: self = .sourceDescription(try SourceDescription(count: count, body: &br))
        case Self.goodbyeType: self = .goodbye(try Goodbye(count: count, body: &br))
        case Self.transportFeedbackType where count == GenericNACK.format: self = .genericNACK(try GenericNACK(body: &br))
        default: self = .raw(RTCPRawPacket(count: count, packetType: packetType, body: body))
        }
    }

    public func serialize(into w: inout ByteWriter) {
        switch self {
        case .senderReport(let p): Self.writePacket(into: &w, count: UInt8(truncatingIfNeeded: p.reportBlocks.count), type: Self.senderReportType) { p.serializeBody(into: &$0) }
        case .receiverReport(let p): Self.writePacket(into: &w, count: UInt8(truncatingIfNeeded: p.reportBlocks.count), type: Self.receiverReportType) { p.serializeBody(into: &$0) }
        case .sourceDescription(let p): Self.writePacket(into: &w, count: UInt8(truncatingIfNeeded: p.chunks.count), type: Self.sourceDescriptionType) { p.serializeBody(into: &$0) }
        case .goodbye(let p): Self.writePacket(into: &w, count: UInt8(truncatingIfNeeded: p.sources.count), type: Self.goodbyeType) { p.serializeBody(into: &$0) }
        case .genericNACK(let p): Self.writePacket(into: &w, count: GenericNACK.format, type: Self.transportFeedbackType) { p.serializeBody(into: &$0) }
        case .raw(let p): Self.writePacket(into: &w, count: p.count, type: p.packetType) { $0.write(bytes: p.body) }
        }
    }

    /// Header, body, then padding (with P) if the body is not a whole number of words. Counts
    /// above 31 are a caller bug (the serializers of report lists keep within it).
    static func writePacket(into w: inout ByteWriter, count: UInt8, type: UInt8, body: (inout ByteWriter) -> Void) {
        let start = w.count
        w.write(UInt32(0)) // header, patched below
        body(&w)
        var b0: UInt8 = 0x80 | (count & 0x1F)
        let pad = (4 - (w.count - start) % 4) % 4
        if pad > 0 {
            w.write(zeros: pad - 1)
            w.write(UInt8(pad))
            b0 |= 0x20
        }
        w.patch(UInt16(b0) << 8 | UInt16(type), at: start)
        w.patch(UInt16(truncatingIfNeeded: (w.count - start) / 4 - 1), at: start + 2)
    }
}

/// An RTCP packet of a type this module does not decode.
public struct RTCPRawPacket: Equatable, Sendable {
    /// The 5-bit count or FMT field.
    public var count: UInt8
    public var packetType: UInt8
    /// Everything after the header, padding removed.
    public var body: ArraySlice<UInt8>

    public init(count: UInt8, packetType: UInt8, body: ArraySlice<UInt8>) {
        self.count = count & 0x1F
        self.packetType = packetType
        self.body = body
    }
}

/// A compound RTCP datagram: packets back to back, each with its own header (RFC 3550 §6.1).
///
/// Checked: every packet is version 2 and the lengths tile the datagram exactly. Not required:
/// that it starts with SR or RR, because reduced-size RTCP (RFC 5506, used by browsers with
/// `a=rtcp-rsize`) sends lone feedback packets; `startsWithReport` tells the strict rule.
public struct RTCPCompoundPacket: Equatable, Sendable {
    public var packets: [RTCPPacket]

    public init(packets: [RTCPPacket]) { self.packets = packets }

    public init(parsing r: inout ByteReader) throws(ParseError) {
        packets = []
        packets.reserveCapacity(Self.headerCount(r.bytes[r.position...]))
        while !r.isAtEnd { packets.append(try RTCPPacket(parsing: &r)) }
        guard !packets.isEmpty else { throw .truncated(offset: r.offset, needed: 4) }
    }
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        var r = ByteReader(bytes)
        try self.init(parsing: &r)
    }

    public func serialize(into w: inout ByteWriter) {
        for p in packets { p.serialize(into: &w) }
    }

    /// How many packet headers the length fields chain through (an upper bound on the packets a
    /// parse yields), so the list is allocated once.
    static func headerCount(_ bytes: ArraySlice<UInt8>) -> Int {
        var n = 0
        var i = bytes.startIndex
        while i + 4 <= bytes.endIndex {
            n += 1
            i += 4 + (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])) * 4
        }
        return n
    }

    /// Whether the first packet is SR or RR, as RFC 3550 §6.1 requires of a full compound.
    public var startsWithReport: Bool {
        switch packets.first {
        case .senderReport?, .receiverReport?: return true
        default: return false
        }
    }
}

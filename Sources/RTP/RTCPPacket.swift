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
///
/// Layout matters here: the reports, SDES and raw packets are each one view of their wire bytes
/// (32 bytes, the buffer reference first), and BYE and NACK, which own arrays, are boxed. So the
/// enum is 32 bytes with its case in the reference's spare bits, and an `RTCPPacket?` (every
/// step of a loop over packets) is copied and destroyed inline. At 73 bytes with a tag byte, as
/// with decoded fields, the compiler destroyed each one through the runtime's generic value
/// witnesses, which cost more than decoding the packet.
public enum RTCPPacket: Equatable, Sendable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(SourceDescription)
    indirect case goodbye(Goodbye)
    indirect case genericNACK(GenericNACK)
    /// Any other type (APP, XR, PLI, REMB, …), kept as received.
    case raw(RTCPRawPacket)

    public static let senderReportType: UInt8 = 200
    public static let receiverReportType: UInt8 = 201
    public static let sourceDescriptionType: UInt8 = 202
    public static let goodbyeType: UInt8 = 203
    public static let transportFeedbackType: UInt8 = 205
    public static let payloadFeedbackType: UInt8 = 206

    /// Parses the packet at the reader's position and moves past it.
    public init(parsing r: inout ByteReader) throws(ParseError) {
        let start = r.position
        let frame = try Self.frame(at: start, in: r.bytes, errorBase: start - r.offset)
        try self.init(packet: r.bytes[start ..< frame.bodyEnd])
        try r.skip(frame.end - start) // inside the bytes: `frame` checked the whole packet
    }

    /// Where the packet whose header starts at `start` of `wire` ends: `bodyEnd` without its
    /// padding, `end` with it. Checks the version, that the length field fits `wire` and the
    /// padding count; error offsets count from `errorBase`.
    @inlinable @inline(__always)
    static func frame(at start: Int, in wire: ArraySlice<UInt8>, errorBase: Int) throws(ParseError) -> (bodyEnd: Int, end: Int) {
        let available = wire.endIndex &- start
        guard available >= 4 else { throw .truncated(offset: start &- errorBase, needed: 4 &- available) }
        let h = wire.bigEndianUInt32(at: start)
        let b0 = UInt8(truncatingIfNeeded: h >> 24)
        guard b0 >> 6 == 2 else { throw versionError(b0) }
        let length = Int(h & 0xFFFF) &* 4
        guard available &- 4 >= length else {
            throw .truncated(offset: start &+ 4 &- errorBase, needed: length &- (available &- 4))
        }
        let end = start &+ 4 &+ length
        guard b0 & 0x20 != 0 else { return (end, end) }
        let pad = length > 0 ? wire[end &- 1] : 0
        guard pad > 0, Int(pad) <= length else { throw paddingError(pad, bodyLength: length) }
        return (end &- Int(pad), end)
    }

    /// Decodes one packet: its 4-byte header, then its body without padding. Reports, SDES and
    /// unknown types keep `packet` as their storage after checking it.
    @inlinable @inline(__always) init(packet: ArraySlice<UInt8>) throws(ParseError) {
        let s = packet.startIndex
        let count = packet[s] & 0x1F
        let packetType = packet[s &+ 1]
        switch packetType {
        case Self.senderReportType: self = .senderReport(try SenderReport(packet: packet))
        case Self.receiverReportType: self = .receiverReport(try ReceiverReport(packet: packet))
        case Self.sourceDescriptionType: self = .sourceDescription(try SourceDescription(packet: packet))
        case Self.goodbyeType:
            var r = ByteReader(packet[(s &+ 4)...])
            self = .goodbye(try Goodbye(count: count, body: &r))
        case Self.transportFeedbackType where count == GenericNACK.format:
            var r = ByteReader(packet[(s &+ 4)...])
            self = .genericNACK(try GenericNACK(body: &r))
        default: self = .raw(RTCPRawPacket(packet: packet))
        }
    }

    @usableFromInline @inline(never) static func versionError(_ b0: UInt8) -> ParseError {
        .invalidValue(field: "RTCP version", reason: "\(b0 >> 6)")
    }
    @usableFromInline @inline(never) static func paddingError(_ pad: UInt8, bodyLength: Int) -> ParseError {
        .invalidValue(field: "RTCP padding", reason: "count \(pad) in a \(bodyLength)-byte body")
    }

    public func serialize(into w: inout ByteWriter) {
        switch self {
        case .senderReport(let p): Self.writePacket(into: &w, count: p.count, type: Self.senderReportType) { $0.write(bytes: p.body) }
        case .receiverReport(let p): Self.writePacket(into: &w, count: p.count, type: Self.receiverReportType) { $0.write(bytes: p.body) }
        case .sourceDescription(let p): Self.writePacket(into: &w, count: p.count, type: Self.sourceDescriptionType) { $0.write(bytes: p.body) }
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

    /// A header and `body` as stored by the wire-backed packets built from values: P clear,
    /// the length field rounded up (serializing writes the real one, with any padding).
    static func storage(count: UInt8, type: UInt8, body: some Collection<UInt8>) -> ArraySlice<UInt8> {
        var w = ByteWriter(capacity: 4 + body.count)
        w.write(0x80 | (count & 0x1F))
        w.write(type)
        w.write(UInt16(truncatingIfNeeded: (body.count + 3) / 4))
        w.write(bytes: body)
        return w.bytes[...]
    }
}

/// An RTCP packet of a type this module does not decode: a view of its wire bytes (the header,
/// then the body without padding).
public struct RTCPRawPacket: Equatable, Sendable {
    @usableFromInline var wire: ArraySlice<UInt8>

    public init(count: UInt8, packetType: UInt8, body: ArraySlice<UInt8>) {
        wire = RTCPPacket.storage(count: count, type: packetType, body: body)
    }
    /// `packet` holds at least the 4-byte header (the caller's invariant).
    @inlinable init(packet: ArraySlice<UInt8>) { wire = packet }

    /// The 5-bit count or FMT field.
    @inlinable public var count: UInt8 {
        get { wire[wire.startIndex] & 0x1F }
        set { self = RTCPRawPacket(count: newValue, packetType: packetType, body: body) }
    }
    @inlinable public var packetType: UInt8 {
        get { wire[wire.startIndex &+ 1] }
        set { self = RTCPRawPacket(count: count, packetType: newValue, body: body) }
    }
    /// Everything after the header, padding removed.
    @inlinable public var body: ArraySlice<UInt8> {
        get { wire[(wire.startIndex &+ 4)...] }
        set { self = RTCPRawPacket(count: count, packetType: packetType, body: newValue) }
    }

    /// Equal when count, type and body are (not the stored length field or P bit).
    @inlinable public static func == (a: RTCPRawPacket, b: RTCPRawPacket) -> Bool {
        a.count == b.count && a.packetType == b.packetType && a.body == b.body
    }
}

/// A compound RTCP datagram: packets back to back, each with its own header (RFC 3550 §6.1).
///
/// Checked: every packet is version 2, the lengths tile the datagram exactly and each packet's
/// body decodes. Not required: that it starts with SR or RR, because reduced-size RTCP (RFC
/// 5506, used by browsers with `a=rtcp-rsize`) sends lone feedback packets; `startsWithReport`
/// tells the strict rule.
///
/// A parsed compound keeps the datagram and decodes its packets as they are read (see
/// `RTCPPacketList`): parsing SR, RR, SDES and unknown packets allocates nothing.
public struct RTCPCompoundPacket: Equatable, Sendable {
    public var packets: RTCPPacketList

    public init(packets: [RTCPPacket]) { self.packets = RTCPPacketList(packets) }
    public init(packets: RTCPPacketList) { self.packets = packets }

    /// Parses the rest of the reader (a datagram holds one compound).
    public init(parsing r: inout ByteReader) throws(ParseError) {
        let base = r.position - r.offset
        packets = try RTCPPacketList(parsing: r.readRemaining(), errorBase: base)
    }
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        packets = try RTCPPacketList(parsing: bytes[...], errorBase: 0)
    }

    /// Writes every packet from its decoded value (so padding is re-derived, as for a built one).
    public func serialize(into w: inout ByteWriter) {
        for p in packets { p.serialize(into: &w) }
    }

    /// Whether the first packet is SR or RR, as RFC 3550 §6.1 requires of a full compound.
    public var startsWithReport: Bool {
        switch packets.first {
        case .senderReport?, .receiverReport?: return true
        default: return false
        }
    }
}

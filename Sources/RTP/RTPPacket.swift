import MediaCore

/// An RTP packet (RFC 3550 §5.1).
///
/// The fixed header is stored as its two words (host order), the fields read from them by shifts,
/// so a parse stores two words and a serialize writes them back without taking the header apart
/// and putting it together again. Everything after it (CSRCs, header extension, payload,
/// padding) stays as ONE view of wire bytes, `body`, located by two small offsets. A parse
/// therefore allocates nothing and a copy of the packet retains one buffer; `csrcs`,
/// `headerExtension` and `payload` are views cut from `body` when read. Setting one of them
/// (or building a packet) lays out a new body once.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|X|  CC   |M|     PT      |       sequence number         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                           timestamp                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |           synchronization source (SSRC) identifier            |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+  ← body starts
///     |            contributing source (CSRC) identifiers             |
///     |                             ....                              |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  defined by profile (X=1)     |           length              |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                        header extension                       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  ← payloadOffset
///     |                     payload ...   | padding ... | pad count   |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct RTPPacket: Sendable {
    /// The first 64 bits of the header: V=2, P, X, CC, M, PT, sequence number, timestamp. P, X
    /// and CC always describe `body` (the parser reads them from it, `layOut` writes them).
    @usableFromInline var first: UInt64
    public var ssrc: UInt32
    /// The wire bytes after the fixed header. Invariant (kept by the parser and by `layOut`):
    /// `4 * csrcCount` CSRC bytes, then with `hasExtension` a 4-byte extension header and its
    /// data up to `payloadOffset`, then the payload, then `paddingLength` bytes of padding.
    @usableFromInline var body: ArraySlice<UInt8>
    /// Bytes of padding after the payload, the count byte included (0: the P bit is clear).
    @usableFromInline var padding: UInt8
    /// Where the payload starts, counted from `body.startIndex`.
    @usableFromInline var payloadOffset: Int

    public var marker: Bool {
        @inlinable get { first & 0x0080_0000_0000_0000 != 0 }
        @inlinable set { first = newValue ? first | 0x0080_0000_0000_0000 : first & ~0x0080_0000_0000_0000 }
    }
    /// 7-bit payload type.
    public var payloadType: UInt8 {
        @inlinable get { UInt8(truncatingIfNeeded: first >> 48) & 0x7F }
        @inlinable set { first = first & ~(0x7F << 48) | UInt64(newValue & 0x7F) << 48 }
    }
    public var sequenceNumber: UInt16 {
        @inlinable get { UInt16(truncatingIfNeeded: first >> 32) }
        @inlinable set { first = first & ~(0xFFFF << 32) | UInt64(newValue) << 32 }
    }
    public var timestamp: UInt32 {
        @inlinable get { UInt32(truncatingIfNeeded: first) }
        @inlinable set { first = first & ~0xFFFF_FFFF | UInt64(newValue) }
    }
    /// 0...15.
    @inlinable var csrcCount: UInt8 { UInt8(truncatingIfNeeded: first >> 56) & 0x0F }
    @inlinable var hasExtension: Bool { first & (0x10 << 56) != 0 }

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                csrcs: RTPCSRCList = RTPCSRCList(), headerExtension: RTPHeaderExtension? = nil,
                payload: ArraySlice<UInt8>, paddingLength: UInt8 = 0) {
        first = 0x80 << 56 | UInt64((marker ? 0x80 : 0) | payloadType & 0x7F) << 48 | UInt64(sequenceNumber) << 32 | UInt64(timestamp)
        self.ssrc = ssrc
        body = []
        padding = 0
        payloadOffset = 0
        layOut(csrcs: csrcs, headerExtension: headerExtension, payload: payload, paddingLength: paddingLength)
    }

    /// Parses the rest of the reader as one RTP packet (a datagram holds exactly one).
    @inlinable public init(parsing r: inout ByteReader) throws(ParseError) {
        try self.init(datagram: r.readRemaining())
    }

    @inlinable public init(parsing bytes: ArraySlice<UInt8>) throws(ParseError) { try self.init(datagram: bytes) }
    @inlinable @inline(__always) public init(parsing bytes: [UInt8]) throws(ParseError) { try self.init(datagram: bytes[...]) }

    /// The per-packet path: one length check covers the fixed header, then each variable part
    /// is checked once against the datagram's end. Error offsets count from the packet's start.
    /// The errors that format text are built out of line, so this stays small enough to inline
    /// into the caller: no call, and no copy of the 56-byte result out of one.
    @inlinable @inline(__always) init(datagram all: ArraySlice<UInt8>) throws(ParseError) {
        let count = all.count
        guard count >= 12 else { throw .truncated(offset: count, needed: 12 - count) }
        let s = all.startIndex
        // The 12 bytes are in bounds (checked above): read them as two big-endian words.
        let (words, second) = all.withUnsafeBytes { raw in
            (UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)), UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        }
        let b0 = UInt8(truncatingIfNeeded: words >> 56)
        guard b0 >> 6 == 2 else { throw Self.versionError(b0) }
        first = words
        ssrc = second
        var offset = 12 &+ Int(b0 & 0x0F) &* 4
        guard offset <= count else { throw .truncated(offset: 12, needed: offset - count) }
        if b0 & 0x10 != 0 {
            guard offset &+ 4 <= count else { throw .truncated(offset: offset, needed: offset &+ 4 &- count) }
            let words = Int(all[s &+ offset &+ 2]) << 8 | Int(all[s &+ offset &+ 3])
            let end = offset &+ 4 &+ words &* 4
            guard end <= count else { throw .truncated(offset: offset &+ 4, needed: end &- count) }
            offset = end
        }
        if b0 & 0x20 != 0 {
            let pad = all[all.endIndex &- 1] // count >= 12, so the last byte exists
            guard pad > 0, Int(pad) <= count &- offset else { throw Self.paddingError(pad, available: count &- offset) }
            padding = pad
        } else {
            padding = 0
        }
        body = all[(s &+ 12)...]
        payloadOffset = offset &- 12
    }

    @usableFromInline @inline(never) static func versionError(_ b0: UInt8) -> ParseError {
        .invalidValue(field: "RTP version", reason: "\(b0 >> 6)")
    }
    @usableFromInline @inline(never) static func paddingError(_ pad: UInt8, available: Int) -> ParseError {
        .invalidValue(field: "RTP padding", reason: "count \(pad) with \(available) byte(s) after the header")
    }

    /// Writes the packet in one reserved block: the fixed header as two big-endian stores, then
    /// the body as one copy.
    @inlinable public func serialize(into w: inout ByteWriter) {
        let first = first
        let ssrc = ssrc
        body.withUnsafeBytes { source in
            w.write(count: 12 &+ source.count) { p in
                p.storeBytes(of: first.bigEndian, as: UInt64.self)
                p.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
                if let base = source.baseAddress { (p + 12).copyMemory(from: base, byteCount: source.count) }
            }
        }
    }

    /// The header's length on the wire (fixed part, CSRCs and extension).
    @inlinable public var headerLength: Int { 12 + payloadOffset }

    /// The CSRC list: a view of the body.
    @inlinable public var csrcs: RTPCSRCList {
        get {
            let s = body.startIndex
            return RTPCSRCList(wire: body[s ..< s + Int(csrcCount) * 4])
        }
        set { layOut(csrcs: newValue, headerExtension: headerExtension, payload: payload, paddingLength: padding) }
    }

    /// The header extension, its data a view of the body.
    @inlinable public var headerExtension: RTPHeaderExtension? {
        get {
            guard hasExtension else { return nil }
            let e = body.startIndex + Int(csrcCount) * 4
            return RTPHeaderExtension(profile: UInt16(body[e]) << 8 | UInt16(body[e + 1]),
                                      data: body[e + 4 ..< body.startIndex + payloadOffset])
        }
        set { layOut(csrcs: csrcs, headerExtension: newValue, payload: payload, paddingLength: padding) }
    }

    /// The data of the first RFC 8285 element with `id` in the header extension: a view of the
    /// body. Same as `headerExtension?.element(id:)`, without building the extension first.
    @inlinable public func extensionElement(id: UInt8) -> ArraySlice<UInt8>? {
        extensionElementBounds(id: id).map { body[$0] }
    }

    /// Where that element's data lies in `body`, found by walking indices.
    @inlinable func extensionElementBounds(id: UInt8) -> Range<Int>? {
        guard hasExtension else { return nil }
        let e = body.startIndex &+ Int(csrcCount) &* 4 // the parser checked the 4-byte header is there
        let profile = UInt16(body[e]) << 8 | UInt16(body[e &+ 1])
        return RTPHeaderExtension.firstElement(id: id, in: body, from: e &+ 4, to: body.startIndex &+ payloadOffset,
                                               form: RTPHeaderExtension.Elements.Form(profile: profile))
    }

    /// The payload: a view of the body (of the parsed datagram, when parsed).
    @inlinable public var payload: ArraySlice<UInt8> {
        get { body[(body.startIndex + payloadOffset) ..< (body.endIndex - Int(padding))] }
        set { layOut(csrcs: csrcs, headerExtension: headerExtension, payload: newValue, paddingLength: padding) }
    }

    /// Bytes of padding after the payload, the count byte included (0: the P bit is clear).
    @inlinable public var paddingLength: UInt8 {
        get { padding }
        set { layOut(csrcs: csrcs, headerExtension: headerExtension, payload: payload, paddingLength: newValue) }
    }

    /// Builds a new body from the parts: extension data is zero-padded to a 32-bit boundary (so
    /// the packet equals what parsing its wire form gives), padding is zeros then its count.
    /// Extension data over 65535 words is a caller bug; a CSRC list is at most 15 by construction.
    @usableFromInline mutating func layOut(csrcs: RTPCSRCList, headerExtension: RTPHeaderExtension?,
                                           payload: ArraySlice<UInt8>, paddingLength: UInt8) {
        var bytes: [UInt8] = []
        let extensionWords = headerExtension.map { ($0.data.count + 3) / 4 } ?? 0
        precondition(extensionWords <= 0xFFFF, "RTP header extension longer than its 16-bit length field") // caller's value
        bytes.reserveCapacity(csrcs.wire.count + (headerExtension == nil ? 0 : 4 + extensionWords * 4)
                              + payload.count + Int(paddingLength))
        bytes.append(contentsOf: csrcs.wire)
        if let ext = headerExtension {
            bytes.append(contentsOf: [UInt8(ext.profile >> 8), UInt8(ext.profile & 0xFF),
                                      UInt8(extensionWords >> 8), UInt8(extensionWords & 0xFF)])
            bytes.append(contentsOf: ext.data)
            bytes.append(contentsOf: repeatElement(0, count: extensionWords * 4 - ext.data.count))
        }
        let offset = bytes.count
        bytes.append(contentsOf: payload)
        if paddingLength > 0 {
            bytes.append(contentsOf: repeatElement(0, count: Int(paddingLength) - 1))
            bytes.append(paddingLength)
        }
        body = bytes[...]
        var flags = UInt64(csrcs.count)
        if headerExtension != nil { flags |= 0x10 }
        if paddingLength > 0 { flags |= 0x20 }
        first = first & ~(0x3F << 56) | flags << 56
        padding = paddingLength
        payloadOffset = offset
    }
}

extension RTPPacket: Equatable {
    /// Equal when every field is: the fixed header, CSRCs, extension, payload and padding
    /// length. The content of padding bytes is not compared (RFC 3550 says to ignore it).
    @inlinable public static func == (a: RTPPacket, b: RTPPacket) -> Bool {
        a.first == b.first && a.ssrc == b.ssrc && a.payloadOffset == b.payloadOffset && a.padding == b.padding
            && a.body.dropLast(Int(a.padding)) == b.body.dropLast(Int(b.padding))
    }
}

/// The CSRC list of an RTP header: a view of the wire bytes when parsed (no allocation), or
/// bytes built from identifiers.
public struct RTPCSRCList: Equatable, Sendable, RandomAccessCollection {
    /// Four big-endian bytes per CSRC.
    public let wire: ArraySlice<UInt8>

    @inlinable public init() { wire = [] }
    @inlinable init(wire: ArraySlice<UInt8>) { self.wire = wire }
    /// At most 15 CSRCs fit the 4-bit CC field; more is a caller bug.
    public init(_ csrcs: [UInt32]) {
        precondition(csrcs.count <= 15, "RTP carries at most 15 CSRCs") // caller's list, not network input
        var bytes: [UInt8] = []
        bytes.reserveCapacity(csrcs.count * 4)
        for c in csrcs { bytes += [UInt8(c >> 24), UInt8((c >> 16) & 0xFF), UInt8((c >> 8) & 0xFF), UInt8(c & 0xFF)] }
        wire = bytes[...]
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { wire.count / 4 }
    /// Concrete, so the per-packet path does not go through the generic index-distance default.
    @inlinable public var count: Int { wire.count / 4 }
    @inlinable public var isEmpty: Bool { wire.isEmpty }
    @inlinable public subscript(i: Int) -> UInt32 {
        let b = wire.startIndex + i * 4
        return UInt32(wire[b]) << 24 | UInt32(wire[b + 1]) << 16 | UInt32(wire[b + 2]) << 8 | UInt32(wire[b + 3])
    }
}

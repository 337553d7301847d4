import MediaCore

/// An RTP packet (RFC 3550 §5.1), parsed without copying: CSRCs, extension data and payload are
/// views (`ArraySlice`) sharing the caller's buffer, so a parse allocates nothing.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|X|  CC   |M|     PT      |       sequence number         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                           timestamp                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |           synchronization source (SSRC) identifier            |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |            contributing source (CSRC) identifiers             |
///     |                             ....                              |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  defined by profile (X=1)     |           length              |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                        header extension                       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                     payload ...   | padding ... | pad count   |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct RTPPacket: Equatable, Sendable {
    public var marker: Bool
    /// 7-bit payload type.
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: RTPCSRCList
    public var headerExtension: RTPHeaderExtension?
    public var payload: ArraySlice<UInt8>
    /// Bytes of padding after the payload, the count byte included (0: the P bit is clear).
    public var paddingLength: UInt8

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                csrcs: RTPCSRCList = RTPCSRCList(), headerExtension: RTPHeaderExtension? = nil,
                payload: ArraySlice<UInt8>, paddingLength: UInt8 = 0) {
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
        self.payload = payload
        self.paddingLength = paddingLength
    }

    /// Parses the rest of the reader as one RTP packet (a datagram holds exactly one).
    @inlinable public init(parsing r: inout ByteReader) throws(ParseError) {
        // One bounds check for the fixed header, then direct reads: this is the per-packet path.
        let all = r.readRemaining()
        guard all.count >= 12 else { throw .truncated(offset: r.offset, needed: 12 - all.count) }
        let s = all.startIndex
        let b0 = all[s]
        guard b0 >> 6 == 2 else { throw .invalidValue(field: "RTP version", reason: "\(b0 >> 6)") }
        let b1 = all[s + 1]
        marker = b1 & 0x80 != 0
        payloadType = b1 & 0x7F
        sequenceNumber = UInt16(all[s + 2]) << 8 | UInt16(all[s + 3])
        timestamp = UInt32(all[s + 4]) << 24 | UInt32(all[s + 5]) << 16 | UInt32(all[s + 6]) << 8 | UInt32(all[s + 7])
        ssrc = UInt32(all[s + 8]) << 24 | UInt32(all[s + 9]) << 16 | UInt32(all[s + 10]) << 8 | UInt32(all[s + 11])
        var cursor = s + 12
        let csrcEnd = cursor + Int(b0 & 0x0F) * 4
        guard csrcEnd <= all.endIndex else { throw .truncated(offset: cursor - s, needed: csrcEnd - all.endIndex) }
        csrcs = csrcEnd == cursor ? RTPCSRCList() : RTPCSRCList(wire: all[cursor ..< csrcEnd])
        cursor = csrcEnd
        if b0 & 0x10 != 0 {
            guard cursor + 4 <= all.endIndex else { throw .truncated(offset: cursor - s, needed: cursor + 4 - all.endIndex) }
            let profile = UInt16(all[cursor]) << 8 | UInt16(all[cursor + 1])
            let dataEnd = cursor + 4 + (Int(all[cursor + 2]) << 8 | Int(all[cursor + 3])) * 4
            guard dataEnd <= all.endIndex else { throw .truncated(offset: cursor + 4 - s, needed: dataEnd - all.endIndex) }
            headerExtension = RTPHeaderExtension(profile: profile, data: all[cursor + 4 ..< dataEnd])
            cursor = dataEnd
        } else {
            headerExtension = nil
        }
        if b0 & 0x20 != 0 {
            let count = all[all.endIndex - 1] // the header is at least 12 bytes, so this exists
            guard count > 0, Int(count) <= all.endIndex - cursor else {
                throw .invalidValue(field: "RTP padding", reason: "count \(count) with \(all.endIndex - cursor) byte(s) after the header")
            }
            paddingLength = count
            payload = all[cursor ..< all.endIndex - Int(count)]
        } else {
            paddingLength = 0
            payload = all[cursor...]
        }
    }

    @inlinable public init(parsing bytes: ArraySlice<UInt8>) throws(ParseError) {
        var r = ByteReader(bytes)
        try self.init(parsing: &r)
    }
    @inlinable public init(parsing bytes: [UInt8]) throws(ParseError) { try self.init(parsing: bytes[...]) }

    /// Writes the packet. Extension data is zero-padded to a 32-bit boundary if it is not one.
    /// The fixed header (and extension header) go out as one block copy: this is the per-packet path.
    @inlinable public func serialize(into w: inout ByteWriter) {
        let csrcCount = csrcs.count
        var b0: UInt64 = 0x80 | UInt64(csrcCount & 0x0F)
        if paddingLength > 0 { b0 |= 0x20 }
        let b1 = UInt64((marker ? 0x80 : 0) | (payloadType & 0x7F))
        var second = UInt64(ssrc) << 32
        var extensionData: ArraySlice<UInt8> = []
        var words = 0
        let hasExtension: Bool
        if let ext = headerExtension {
            hasExtension = true
            b0 |= 0x10
            extensionData = ext.data
            words = (ext.data.count + 3) / 4
            second |= UInt64(ext.profile) << 16 | UInt64(UInt16(truncatingIfNeeded: words))
        } else {
            hasExtension = false
        }
        let first = b0 << 56 | b1 << 48 | UInt64(sequenceNumber) << 32 | UInt64(timestamp)
        withUnsafeBytes(of: (first.bigEndian, second.bigEndian)) { raw in
            let header = raw.bindMemory(to: UInt8.self)
            if csrcCount == 0 {
                w.write(bytes: UnsafeBufferPointer(rebasing: header[0 ..< (hasExtension ? 16 : 12)]))
            } else {
                w.write(bytes: UnsafeBufferPointer(rebasing: header[0 ..< 12]))
                w.write(bytes: csrcs.wire)
                if hasExtension { w.write(bytes: UnsafeBufferPointer(rebasing: header[12 ..< 16])) }
            }
        }
        if hasExtension {
            w.write(bytes: extensionData)
            if words * 4 > extensionData.count { w.write(zeros: words * 4 - extensionData.count) }
        }
        w.write(bytes: payload)
        if paddingLength > 0 {
            w.write(zeros: Int(paddingLength) - 1)
            w.write(paddingLength)
        }
    }

    /// The header's length on the wire (fixed part, CSRCs and extension).
    public var headerLength: Int {
        12 + csrcs.count * 4 + (headerExtension.map { 4 + ($0.data.count + 3) / 4 * 4 } ?? 0)
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

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
        let b0 = try r.readUInt8()
        guard b0 >> 6 == 2 else { throw .invalidValue(field: "RTP version", reason: "\(b0 >> 6)") }
        let b1 = try r.readUInt8()
        marker = b1 & 0x80 != 0
        payloadType = b1 & 0x7F
        sequenceNumber = try r.readUInt16()
        timestamp = try r.readUInt32()
        ssrc = try r.readUInt32()
        csrcs = RTPCSRCList(wire: try r.readBytes(Int(b0 & 0x0F) * 4))
        if b0 & 0x10 != 0 {
            let profile = try r.readUInt16()
            let words = Int(try r.readUInt16())
            headerExtension = RTPHeaderExtension(profile: profile, data: try r.readBytes(words * 4))
        } else {
            headerExtension = nil
        }
        let rest = r.readRemaining()
        if b0 & 0x20 != 0 {
            guard let count = rest.last, count > 0, Int(count) <= rest.count else {
                throw .invalidValue(field: "RTP padding", reason: "count \(rest.last ?? 0) with \(rest.count) byte(s) after the header")
            }
            paddingLength = count
            payload = rest[rest.startIndex ..< rest.endIndex - Int(count)]
        } else {
            paddingLength = 0
            payload = rest
        }
    }

    @inlinable public init(parsing bytes: ArraySlice<UInt8>) throws(ParseError) {
        var r = ByteReader(bytes)
        try self.init(parsing: &r)
    }
    @inlinable public init(parsing bytes: [UInt8]) throws(ParseError) { try self.init(parsing: bytes[...]) }

    /// Writes the packet. Extension data is zero-padded to a 32-bit boundary if it is not one.
    @inlinable public func serialize(into w: inout ByteWriter) {
        var b0: UInt8 = 0x80 | UInt8(truncatingIfNeeded: csrcs.count & 0x0F)
        if paddingLength > 0 { b0 |= 0x20 }
        if headerExtension != nil { b0 |= 0x10 }
        w.write(b0)
        w.write((marker ? 0x80 : 0) | (payloadType & 0x7F))
        w.write(sequenceNumber)
        w.write(timestamp)
        w.write(ssrc)
        w.write(bytes: csrcs.wire)
        if let ext = headerExtension {
            w.write(ext.profile)
            let words = (ext.data.count + 3) / 4
            w.write(UInt16(truncatingIfNeeded: words))
            w.write(bytes: ext.data)
            w.write(zeros: words * 4 - ext.data.count)
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
    @inlinable public subscript(i: Int) -> UInt32 {
        let b = wire.startIndex + i * 4
        return UInt32(wire[b]) << 24 | UInt32(wire[b + 1]) << 16 | UInt32(wire[b + 2]) << 8 | UInt32(wire[b + 3])
    }
}

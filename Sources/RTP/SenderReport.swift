import MediaCore

/// RTCP sender report, PT=200 (RFC 3550 §6.4.1):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|    RC   |   PT=SR=200   |             length            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         SSRC of sender                        |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |              NTP timestamp, most significant word             |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |             NTP timestamp, least significant word             |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         RTP timestamp                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                     sender's packet count                     |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      sender's octet count                     |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                 report blocks (RC × 24 bytes)                 |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                  profile-specific extensions                  |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct SenderReport: Equatable, Sendable {
    public var ssrc: UInt32
    public var ntpTime: NTPTime
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    /// At most 31 (the RC field); a view of the wire bytes when parsed.
    public var reportBlocks: ReportBlockList
    public var profileExtension: ArraySlice<UInt8>

    /// Blocks past the 31st are dropped.
    public init(ssrc: UInt32, ntpTime: NTPTime, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
                reportBlocks: some Sequence<ReportBlock> = [ReportBlock](), profileExtension: ArraySlice<UInt8> = []) {
        self.ssrc = ssrc
        self.ntpTime = ntpTime
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = ReportBlockList(reportBlocks)
        self.profileExtension = profileExtension
    }

    /// One length check covers the 24 fixed bytes, then they are read in place.
    init(count: UInt8, body: ArraySlice<UInt8>) throws(ParseError) {
        guard body.count >= 24 else { throw .truncated(offset: body.count, needed: 24 - body.count) }
        let s = body.startIndex
        ssrc = body.bigEndianUInt32(at: s)
        ntpTime = NTPTime(raw: UInt64(body.bigEndianUInt32(at: s + 4)) << 32 | UInt64(body.bigEndianUInt32(at: s + 8)))
        rtpTimestamp = body.bigEndianUInt32(at: s + 12)
        packetCount = body.bigEndianUInt32(at: s + 16)
        octetCount = body.bigEndianUInt32(at: s + 20)
        (reportBlocks, profileExtension) = try ReportBlockList.split(count: count, from: body[(s + 24)...])
    }

    func serializeBody(into w: inout ByteWriter) {
        w.write(ssrc)
        w.write(ntpTime.raw)
        w.write(rtpTimestamp)
        w.write(packetCount)
        w.write(octetCount)
        w.write(bytes: reportBlocks.wire)
        w.write(bytes: profileExtension)
    }
}

/// RTCP receiver report, PT=201 (RFC 3550 §6.4.2):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|    RC   |   PT=RR=201   |             length            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                     SSRC of packet sender                     |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                 report blocks (RC × 24 bytes)                 |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                  profile-specific extensions                  |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct ReceiverReport: Equatable, Sendable {
    public var ssrc: UInt32
    /// At most 31 (the RC field); a view of the wire bytes when parsed.
    public var reportBlocks: ReportBlockList
    public var profileExtension: ArraySlice<UInt8>

    /// Blocks past the 31st are dropped.
    public init(ssrc: UInt32, reportBlocks: some Sequence<ReportBlock> = [ReportBlock](), profileExtension: ArraySlice<UInt8> = []) {
        self.ssrc = ssrc
        self.reportBlocks = ReportBlockList(reportBlocks)
        self.profileExtension = profileExtension
    }

    init(count: UInt8, body: ArraySlice<UInt8>) throws(ParseError) {
        guard body.count >= 4 else { throw .truncated(offset: body.count, needed: 4 - body.count) }
        ssrc = body.bigEndianUInt32(at: body.startIndex)
        (reportBlocks, profileExtension) = try ReportBlockList.split(count: count, from: body[(body.startIndex + 4)...])
    }

    func serializeBody(into w: inout ByteWriter) {
        w.write(ssrc)
        w.write(bytes: reportBlocks.wire)
        w.write(bytes: profileExtension)
    }
}

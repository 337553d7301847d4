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
    /// The packet as received: the header (its RC field counts the blocks), then the body
    /// without padding, at least 28 + 24 × RC bytes (checked by the parser, kept by the
    /// setters). Fields are read from it in place; setting one writes a copy (copy on write).
    @usableFromInline var wire: ArraySlice<UInt8>

    public var ssrc: UInt32 {
        @inlinable get { wire.word(at: 4) }
        set { wire.setWord(newValue, at: 4) }
    }
    public var ntpTime: NTPTime {
        @inlinable get { NTPTime(raw: UInt64(wire.word(at: 8)) << 32 | UInt64(wire.word(at: 12))) }
        set {
            wire.setWord(UInt32(truncatingIfNeeded: newValue.raw >> 32), at: 8)
            wire.setWord(UInt32(truncatingIfNeeded: newValue.raw), at: 12)
        }
    }
    public var rtpTimestamp: UInt32 {
        @inlinable get { wire.word(at: 16) }
        set { wire.setWord(newValue, at: 16) }
    }
    public var packetCount: UInt32 {
        @inlinable get { wire.word(at: 20) }
        set { wire.setWord(newValue, at: 20) }
    }
    public var octetCount: UInt32 {
        @inlinable get { wire.word(at: 24) }
        set { wire.setWord(newValue, at: 24) }
    }
    /// At most 31 (the RC field); a view of the wire bytes when parsed.
    public var reportBlocks: ReportBlockList {
        @inlinable get { ReportBlockList(wire: wire.dropFirst(28).prefix(Int(count) &* ReportBlockList.recordLength)) }
        set { self = SenderReport(fixed: wire.prefix(28).dropFirst(4), reportBlocks: newValue, profileExtension: profileExtension) }
    }
    public var profileExtension: ArraySlice<UInt8> {
        @inlinable get { wire.dropFirst(28 &+ Int(count) &* ReportBlockList.recordLength) }
        set { self = SenderReport(fixed: wire.prefix(28).dropFirst(4), reportBlocks: reportBlocks, profileExtension: newValue) }
    }

    /// Blocks past the 31st are dropped.
    public init(ssrc: UInt32, ntpTime: NTPTime, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
                reportBlocks: some Sequence<ReportBlock> = [ReportBlock](), profileExtension: ArraySlice<UInt8> = []) {
        var fixed = ByteWriter(capacity: 24)
        fixed.write(ssrc)
        fixed.write(ntpTime.raw)
        fixed.write(rtpTimestamp)
        fixed.write(packetCount)
        fixed.write(octetCount)
        self.init(fixed: fixed.bytes[...], reportBlocks: ReportBlockList(reportBlocks), profileExtension: profileExtension)
    }

    /// From the 24 fixed bytes, the blocks and the extension.
    init(fixed: ArraySlice<UInt8>, reportBlocks: ReportBlockList, profileExtension: ArraySlice<UInt8>) {
        wire = RTCPPacket.storage(count: UInt8(reportBlocks.count), type: RTCPPacket.senderReportType,
                                  body: fixed + reportBlocks.wire + profileExtension)
    }

    /// Checks that the header and body hold the 24 fixed bytes and RC blocks, and keeps them.
    @inlinable @inline(__always) init(packet: ArraySlice<UInt8>) throws(ParseError) {
        let body = packet.count &- 4
        guard body >= 24 else { throw .truncated(offset: body, needed: 24 &- body) }
        try ReportBlockList.check(count: packet[packet.startIndex] & 0x1F, in: body &- 24)
        wire = packet
    }

    /// The RC field.
    @inlinable var count: UInt8 { wire[wire.startIndex] & 0x1F }
    /// Everything after the header, as serialized.
    @inlinable var body: ArraySlice<UInt8> { wire.dropFirst(4) }

    /// Equal when every field is (not the stored length field or P bit).
    @inlinable public static func == (a: SenderReport, b: SenderReport) -> Bool {
        a.count == b.count && a.body == b.body
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
    /// The packet as received: the header (its RC field counts the blocks), then the body
    /// without padding, at least 4 + 24 × RC bytes (checked by the parser, kept by the
    /// setters). Fields are read from it in place.
    @usableFromInline var wire: ArraySlice<UInt8>

    public var ssrc: UInt32 {
        @inlinable get { wire.word(at: 4) }
        set { wire.setWord(newValue, at: 4) }
    }
    /// At most 31 (the RC field); a view of the wire bytes when parsed.
    public var reportBlocks: ReportBlockList {
        @inlinable get { ReportBlockList(wire: wire.dropFirst(8).prefix(Int(count) &* ReportBlockList.recordLength)) }
        set { self = ReceiverReport(ssrc: ssrc, reportBlocks: newValue, profileExtension: profileExtension) }
    }
    public var profileExtension: ArraySlice<UInt8> {
        @inlinable get { wire.dropFirst(8 &+ Int(count) &* ReportBlockList.recordLength) }
        set { self = ReceiverReport(ssrc: ssrc, reportBlocks: reportBlocks, profileExtension: newValue) }
    }

    /// Blocks past the 31st are dropped.
    public init(ssrc: UInt32, reportBlocks: some Sequence<ReportBlock> = [ReportBlock](), profileExtension: ArraySlice<UInt8> = []) {
        self.init(ssrc: ssrc, reportBlocks: ReportBlockList(reportBlocks), profileExtension: profileExtension)
    }
    init(ssrc: UInt32, reportBlocks: ReportBlockList, profileExtension: ArraySlice<UInt8>) {
        let fixed = [UInt8(ssrc >> 24), UInt8(truncatingIfNeeded: ssrc >> 16), UInt8(truncatingIfNeeded: ssrc >> 8), UInt8(truncatingIfNeeded: ssrc)]
        wire = RTCPPacket.storage(count: UInt8(reportBlocks.count), type: RTCPPacket.receiverReportType,
                                  body: fixed[...] + reportBlocks.wire + profileExtension)
    }

    /// Checks that the header and body hold the SSRC and RC blocks, and keeps them.
    @inlinable @inline(__always) init(packet: ArraySlice<UInt8>) throws(ParseError) {
        let body = packet.count &- 4
        guard body >= 4 else { throw .truncated(offset: body, needed: 4 &- body) }
        try ReportBlockList.check(count: packet[packet.startIndex] & 0x1F, in: body &- 4)
        wire = packet
    }

    /// The RC field.
    @inlinable var count: UInt8 { wire[wire.startIndex] & 0x1F }
    /// Everything after the header, as serialized.
    @inlinable var body: ArraySlice<UInt8> { wire.dropFirst(4) }

    /// Equal when every field is (not the stored length field or P bit).
    @inlinable public static func == (a: ReceiverReport, b: ReceiverReport) -> Bool {
        a.count == b.count && a.body == b.body
    }
}

import MediaCore

/// A reception report block of SR and RR (RFC 3550 §6.4.1), 24 bytes:
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                 SSRC_n (SSRC of source n)                     |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     | fraction lost |       cumulative number of packets lost       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |           extended highest sequence number received          |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      interarrival jitter                      |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         last SR (LSR)                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                   delay since last SR (DLSR)                  |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
public struct ReportBlock: Equatable, Sendable {
    public var ssrc: UInt32
    /// Loss since the previous report, as a fixed-point fraction of 256.
    public var fractionLost: UInt8
    /// Packets lost since the start: a 24-bit SIGNED field (duplicates can drive it negative).
    public var cumulativeLost: Int32
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// The middle 32 bits of the NTP time of the last SR received (`NTPTime.compact`).
    public var lastSenderReport: UInt32
    /// Delay since that SR, in 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public static let minCumulativeLost: Int32 = -0x80_0000
    public static let maxCumulativeLost: Int32 = 0x7F_FFFF

    public init(ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequence: UInt32,
                jitter: UInt32, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    init(parsing r: inout ByteReader) throws(ParseError) {
        let record = try r.readBytes(ReportBlockList.recordLength)
        self.init(wire: record, at: record.startIndex)
    }

    /// Decodes the 24-byte record at index `s` of `b`; the record must lie inside `b` (the
    /// caller's invariant: `ReportBlockList` holds whole records only).
    /// One bounds check covers the six words.
    @inlinable init(wire b: ArraySlice<UInt8>, at s: Int) {
        precondition(s >= b.startIndex && s <= b.endIndex &- ReportBlockList.recordLength, "report block outside its list") // the caller's invariant
        let words = b.withUnsafeBytes { raw in
            let o = s &- b.startIndex
            func word(_ at: Int) -> UInt32 { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: o &+ at, as: UInt32.self)) }
            return (word(0), word(4), word(8), word(12), word(16), word(20))
        }
        ssrc = words.0
        fractionLost = UInt8(truncatingIfNeeded: words.1 >> 24)
        // Sign-extend the 24-bit field: shift it to the top, then arithmetic-shift back.
        cumulativeLost = Int32(bitPattern: words.1 << 8) >> 8
        extendedHighestSequence = words.2
        jitter = words.3
        lastSenderReport = words.4
        delaySinceLastSenderReport = words.5
    }

    /// Writes the block; a cumulative loss outside 24 bits is clamped, as RFC 3550 §6.4.1 says.
    func serialize(into w: inout ByteWriter) {
        w.write(ssrc)
        w.write(fractionLost)
        let lost = min(max(cumulativeLost, Self.minCumulativeLost), Self.maxCumulativeLost)
        w.writeUInt24(UInt32(bitPattern: lost) & 0xFF_FFFF)
        w.write(extendedHighestSequence)
        w.write(jitter)
        w.write(lastSenderReport)
        w.write(delaySinceLastSenderReport)
    }
}

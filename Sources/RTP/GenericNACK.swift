import MediaCore

/// Generic NACK, RTPFB (PT=205) with FMT=1 (RFC 4585 §6.2.1): which RTP packets were lost.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P| FMT=1   |   PT=205      |          length               |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                  SSRC of packet sender                        |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                  SSRC of media source                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |            PID                |             BLP               |  × N (FCI)
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// PID is a lost sequence number; bit i of BLP (least significant first) marks PID+i+1 lost too.
public struct GenericNACK: Equatable, Sendable {
    public static let format: UInt8 = 1

    public struct Entry: Equatable, Sendable {
        public var packetID: UInt16
        public var lostBitmask: UInt16
        public init(packetID: UInt16, lostBitmask: UInt16) {
            self.packetID = packetID
            self.lostBitmask = lostBitmask
        }
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Compresses lost sequence numbers (any order, duplicates allowed, across the 65535→0
    /// wrap) into PID+BLP entries. Numbers are ordered relative to the first one given, so the
    /// list must span less than half the sequence space.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lost: [UInt16]) {
        var entries: [Entry] = []
        if let reference = lost.first {
            let ordered = Set(lost).sorted { Int16(bitPattern: $0 &- reference) < Int16(bitPattern: $1 &- reference) }
            var current = Entry(packetID: ordered[0], lostBitmask: 0)
            for seq in ordered.dropFirst() {
                let ahead = Int(seq &- current.packetID)
                if ahead <= 16 {
                    current.lostBitmask |= 1 << UInt16(ahead - 1)
                } else {
                    entries.append(current)
                    current = Entry(packetID: seq, lostBitmask: 0)
                }
            }
            entries.append(current)
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, entries: entries)
    }

    /// Every sequence number the entries mark lost, in wire order (wrapping past 65535).
    public var lostSequenceNumbers: [UInt16] {
        var out: [UInt16] = []
        for e in entries {
            out.append(e.packetID)
            for bit in 0..<16 where e.lostBitmask & (1 << UInt16(bit)) != 0 {
                out.append(e.packetID &+ UInt16(bit + 1))
            }
        }
        return out
    }

    @usableFromInline init(body r: inout ByteReader) throws(ParseError) {
        senderSSRC = try r.readUInt32()
        mediaSSRC = try r.readUInt32()
        guard r.remaining % 4 == 0 else {
            throw .invalidValue(field: "generic NACK", reason: "\(r.remaining) FCI bytes is not a whole number of entries")
        }
        entries = []
        entries.reserveCapacity(r.remaining / 4)
        while !r.isAtEnd { entries.append(Entry(packetID: try r.readUInt16(), lostBitmask: try r.readUInt16())) }
    }

    func serializeBody(into w: inout ByteWriter) {
        w.write(senderSSRC)
        w.write(mediaSSRC)
        for e in entries {
            w.write(e.packetID)
            w.write(e.lostBitmask)
        }
    }
}

import MediaCore

/// Received packets waiting for decoding, keyed by unwrapped sequence number (RFC 3550 §A.1
/// unwrapping through `SequenceUnwrapper`, timestamps through `TimestampUnwrapper`).
///
/// It absorbs reordering (entries stay sorted), drops and counts duplicates and packets that come
/// after their playout, flushes and counts on overflow, and treats an absurd sequence or timestamp
/// jump as a possible new stream: the jumping packet is held on probation and, if the next packet
/// continues from it, the buffer resynchronizes to the new numbering (RFC 3550 §A.1 does the same
/// with `bad_seq`). A lone garbage packet is discarded. Nothing here traps on network input.
public struct PacketBuffer: Sendable {
    /// One buffered packet. `timestamp` is unwrapped RTP ticks; `duration` is in RTP ticks.
    public struct Entry: Sendable, Equatable {
        public var index: Int64
        public var timestamp: Int64
        public var duration: Int64
        public var payload: [UInt8]
        public var arrival: Instant
    }

    /// What `insert` did with a packet.
    public enum Admission: Sendable, Equatable {
        case accepted
        /// Accepted after the buffer was full and had to be flushed.
        case acceptedAfterFlush
        /// Accepted as the start of a new numbering (after a confirmed jump); the buffer was flushed.
        case resynchronized
        case duplicate
        case late
        /// Held or dropped: an unconfirmed absurd jump.
        case discarded
    }

    public let capacity: Int
    public let clockRate: Int32
    /// Forward sequence jumps beyond this (RFC 3550's MAX_DROPOUT) need confirmation.
    public var maxDropout: Int = 3_000
    /// Backward sequence distance beyond this (RFC 3550's MAX_MISORDER) needs confirmation.
    public var maxMisorder: Int = 100
    /// Timestamp jumps (either way) beyond this many ticks need confirmation.
    public let maxTimestampJump: Int64

    public private(set) var entries: [Entry] = []
    private var sequence = SequenceUnwrapper()
    private var timestamps: TimestampUnwrapper
    /// The newest packet's raw numbers: the reference for jump checks.
    private var highestRaw: (seq: UInt16, ts: UInt32)?
    private var highestIndex: Int64 = .min
    private var probation: (seq: UInt16, ts: UInt32, payload: [UInt8], duration: Int64, arrival: Instant)?
    /// Packets below this index are no longer wanted (already played or given up).
    public private(set) var playoutIndex: Int64?
    /// The unwrapped timestamp of the last packet filed (accepted or found late).
    public private(set) var lastTimestamp: Int64?
    /// Which of the 64 indices below `playoutIndex` were decoded (bit i: playoutIndex - 1 - i).
    private var playedMask: UInt64 = 0

    // Counters (see `JitterBufferStatistics`).
    public private(set) var received = 0
    public private(set) var duplicates = 0
    public private(set) var late = 0
    public private(set) var reordered = 0
    public private(set) var discarded = 0
    public private(set) var flushes = 0
    public private(set) var resyncs = 0

    public init(capacity: Int, clockRate: Int32, maxTimestampJump: Duration = .seconds(10)) {
        // A buffer that holds nothing cannot play: the configuration is code, not input.
        precondition(capacity > 0, "PacketBuffer needs a positive capacity")
        self.capacity = capacity
        self.clockRate = clockRate
        self.timestamps = TimestampUnwrapper(clockRate: clockRate)
        self.maxTimestampJump = MediaTime.ticks(in: maxTimestampJump, clockRate: clockRate)
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var first: Entry? { entries.first }
    /// RTP ticks covered by the buffered packets.
    public var bufferedDuration: Int64 { entries.reduce(0) { $0 + $1.duration } }

    /// Files a packet of `duration` RTP ticks that arrived at `arrival`.
    public mutating func insert(sequenceNumber seq: UInt16, timestamp ts: UInt32, payload: [UInt8],
                                duration: Int64, arrival: Instant) -> Admission {
        received += 1
        if let ref = highestRaw, isAbsurd(seq: seq, ts: ts, from: ref) {
            if let p = probation, SequenceNumber(p.seq).distance(to: SequenceNumber(seq)) == 1,
               (0...maxTimestampJump).contains(RTPTimestamp(p.ts).distance(to: RTPTimestamp(ts))) {
                resynchronize(seq: p.seq, ts: p.ts, payload: p.payload, duration: p.duration, arrival: p.arrival)
                _ = file(seq: seq, ts: ts, payload: payload, duration: duration, arrival: arrival)
                return .resynchronized
            }
            if probation != nil { discarded += 1 }
            probation = (seq, ts, payload, duration, arrival)
            return .discarded
        }
        if probation != nil {
            probation = nil
            discarded += 1
        }
        return file(seq: seq, ts: ts, payload: payload, duration: duration, arrival: arrival)
    }

    /// Removes and returns the oldest packet.
    public mutating func removeFirst() -> Entry? {
        entries.isEmpty ? nil : entries.removeFirst()
    }

    /// Records that packet `index` was decoded and everything before it is no longer wanted.
    public mutating func markPlayed(_ index: Int64) {
        advance(to: index + 1)
        playedMask |= 1
    }

    /// Gives up on every index below `index` (dropping any still buffered, counted late).
    public mutating func advance(to index: Int64) {
        if let p = playoutIndex {
            let shift = index - p
            if shift > 0 { playedMask = shift >= 64 ? 0 : playedMask << UInt64(shift) }
        }
        if playoutIndex.map({ index > $0 }) ?? true { playoutIndex = index }
        while let f = entries.first, f.index < index {
            entries.removeFirst()
            late += 1
        }
    }

    /// Drops the oldest packet as late (it can no longer be played).
    public mutating func dropFirstAsLate() {
        guard !entries.isEmpty else { return }
        let e = entries.removeFirst()
        late += 1
        if playoutIndex.map({ e.index >= $0 }) ?? true { advance(to: e.index + 1) }
    }

    /// Empties the buffer, counting the packets as discarded.
    public mutating func flush() {
        discarded += entries.count
        entries.removeAll(keepingCapacity: true)
        flushes += 1
    }

    // MARK: - Internals

    private func isAbsurd(seq: UInt16, ts: UInt32, from ref: (seq: UInt16, ts: UInt32)) -> Bool {
        let dSeq = SequenceNumber(ref.seq).distance(to: SequenceNumber(seq))
        let dTs = RTPTimestamp(ref.ts).distance(to: RTPTimestamp(ts))
        return dSeq > maxDropout || dSeq < -maxMisorder || dTs > maxTimestampJump || dTs < -maxTimestampJump
    }

    private mutating func resynchronize(seq: UInt16, ts: UInt32, payload: [UInt8], duration: Int64, arrival: Instant) {
        resyncs += 1
        discarded += entries.count
        entries.removeAll(keepingCapacity: true)
        sequence.reset()
        timestamps.reset()
        highestRaw = nil
        highestIndex = .min
        playoutIndex = nil
        playedMask = 0
        probation = nil
        _ = file(seq: seq, ts: ts, payload: payload, duration: duration, arrival: arrival)
    }

    private mutating func file(seq: UInt16, ts: UInt32, payload: [UInt8], duration: Int64, arrival: Instant) -> Admission {
        let index = sequence.unwrap(seq)
        let timestamp = timestamps.unwrap(RTPTimestamp(ts)).ticks
        lastTimestamp = timestamp
        let outOfOrder = index < highestIndex
        if index > highestIndex {
            highestIndex = index
            highestRaw = (seq, ts)
        }
        if let p = playoutIndex, index < p {
            let back = p - 1 - index
            if back < 64, playedMask & (1 << UInt64(back)) != 0 { duplicates += 1; return .duplicate }
            if outOfOrder { reordered += 1 }
            late += 1
            return .late
        }
        // Sorted insert, searching from the back (packets mostly arrive in order).
        var pos = entries.count
        while pos > 0, entries[pos - 1].index >= index {
            if entries[pos - 1].index == index { duplicates += 1; return .duplicate }
            pos -= 1
        }
        if outOfOrder { reordered += 1 }
        var admission = Admission.accepted
        if entries.count >= capacity {
            flush()
            pos = 0
            admission = .acceptedAfterFlush
        }
        entries.insert(Entry(index: index, timestamp: timestamp, duration: duration, payload: payload, arrival: arrival), at: pos)
        return admission
    }
}

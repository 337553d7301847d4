import MediaCore
import RTP

/// Reception statistics for one remote source, as RFC 3550 Appendix A.3 (expected and lost
/// packets, fraction lost per interval) and A.8 (interarrival jitter) define them.
public struct RTPReceiveStatistics: Sendable {
    public let ssrc: UInt32
    public let clockRate: Int32
    public private(set) var packetsReceived: UInt64 = 0
    public private(set) var bytesReceived: UInt64 = 0
    /// Packets that arrived twice (counted, not played).
    public private(set) var duplicates: UInt64 = 0
    private var unwrapper = SequenceUnwrapper()
    private var baseSequence: Int64 = 0
    private var highestSequence: Int64 = 0
    /// Indices of the last 1,024 sequence slots, to spot duplicates without allocating.
    private var recent = [Int64](repeating: -1, count: 1_024)
    /// Interarrival jitter estimate J, in timestamp units, scaled by 16 as in A.8.
    private var jitterQ4: Int64 = 0
    private var lastTransit: Int64?
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0

    public init(ssrc: UInt32, clockRate: Int32) {
        self.ssrc = ssrc
        self.clockRate = clockRate
    }

    /// Records one packet: its sequence number, RTP timestamp, payload size and arrival time.
    public mutating func record(sequence: UInt16, timestamp: UInt32, payloadBytes: Int, arrival: Instant) {
        let index = unwrapper.unwrap(sequence)
        if packetsReceived == 0 {
            baseSequence = index
            highestSequence = index
        }
        let slot = Int(index & 1_023)
        if recent[slot] == index {
            duplicates += 1
            return
        }
        recent[slot] = index
        packetsReceived += 1
        bytesReceived += UInt64(payloadBytes)
        highestSequence = max(highestSequence, index)

        // A.8: transit = arrival (in RTP units) - timestamp; J += (|D| - J) / 16.
        let arrivalTicks = MediaTime.ticks(in: Duration(nanoseconds: arrival.nanoseconds), clockRate: clockRate)
        let transit = arrivalTicks - Int64(timestamp)
        if let last = lastTransit {
            var d = transit - last
            // Timestamps wrap at 2^32: fold the difference back into 32-bit range.
            d = Int64(Int32(truncatingIfNeeded: d))
            jitterQ4 += abs(d) - ((jitterQ4 + 8) >> 4)
        }
        lastTransit = transit
    }

    /// Interarrival jitter in timestamp units.
    public var jitter: UInt32 { UInt32(clamping: jitterQ4 >> 4) }
    public var jitterSeconds: Double { Double(jitterQ4 >> 4) / Double(clockRate) }

    public var extendedHighestSequence: UInt32 { UInt32(truncatingIfNeeded: highestSequence) }
    public var expected: Int64 { packetsReceived == 0 ? 0 : highestSequence - baseSequence + 1 }
    /// Cumulative loss (may be negative with duplicates counted by the sender, never here).
    public var cumulativeLost: Int64 { expected - Int64(packetsReceived) }

    /// A report block for an SR/RR, closing the current interval (A.3 fraction lost).
    public mutating func makeReportBlock(lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32) -> ReportBlock {
        let expectedInterval = expected - expectedPrior
        let receivedInterval = Int64(packetsReceived) - receivedPrior
        expectedPrior = expected
        receivedPrior = Int64(packetsReceived)
        let lostInterval = expectedInterval - receivedInterval
        let fraction: UInt8 = (expectedInterval == 0 || lostInterval <= 0) ? 0 : UInt8(clamping: (lostInterval << 8) / expectedInterval)
        let lost = Int32(clamping: min(max(cumulativeLost, Int64(ReportBlock.minCumulativeLost)), Int64(ReportBlock.maxCumulativeLost)))
        return ReportBlock(ssrc: ssrc, fractionLost: fraction, cumulativeLost: lost,
                           extendedHighestSequence: extendedHighestSequence, jitter: jitter,
                           lastSenderReport: lastSenderReport, delaySinceLastSenderReport: delaySinceLastSenderReport)
    }
}

import MediaCore

/// Receive-side audio statistics with W3C `RTCInboundRtpStreamStats` semantics (sums, so a reader
/// divides by `jitterBufferEmittedCount` for means), plus packet-buffer and decision counters.
public struct JitterBufferStatistics: Sendable, Equatable {
    // W3C webrtc-stats names.
    /// Sum over emitted samples of the seconds each spent buffered (arrival → emission).
    public var jitterBufferDelay: Double = 0
    /// Sum over emitted samples of the target delay, in seconds, when each was emitted.
    public var jitterBufferTargetDelay: Double = 0
    /// Sum over emitted samples of the smallest target the jitter alone would ask for, in seconds.
    public var jitterBufferMinimumDelay: Double = 0
    /// Samples (per channel) that came from received packets and were emitted.
    public var jitterBufferEmittedCount: Int = 0
    /// Every sample (per channel) produced for playout: decoded, recovered and concealed.
    public var totalSamplesReceived: Int = 0
    /// Samples synthesized by packet-loss concealment (not FEC).
    public var concealedSamples: Int = 0
    /// The part of `concealedSamples` that was silence: gaps after silence (a DTX sender, or an
    /// endpoint that sends nothing between replies), which nobody hears as a loss (getStats'
    /// `silentConcealedSamples`).
    public var silentConcealedSamples: Int = 0
    /// Runs of concealment (each starts after non-concealed output).
    public var concealmentEvents: Int = 0
    public var insertedSamplesForDeceleration: Int = 0
    public var removedSamplesForAcceleration: Int = 0
    public var packetsReceived: Int = 0
    /// Packets dropped because they were no longer needed (arrived after their playout).
    public var packetsLate: Int = 0
    public var packetsDuplicated: Int = 0
    /// Packets that arrived after a later-numbered one (absorbed unless also late).
    public var packetsReordered: Int = 0
    /// Packets thrown away for other reasons: undecodable, flushed, unconfirmed jumps.
    public var packetsDiscarded: Int = 0
    /// Whole-buffer flushes on overflow.
    public var bufferFlushes: Int = 0
    /// Restarts on an absurd sequence or timestamp jump (confirmed by the following packet).
    public var resyncs: Int = 0
    /// Samples rebuilt from the next packet's in-band FEC.
    public var fecSamples: Int = 0
    // Decision counters.
    public var normalDecodes: Int = 0
    public var accelerates: Int = 0
    public var preemptiveExpands: Int = 0
    /// Concealment operations (PLC), each covering up to one tick or one gap.
    public var expands: Int = 0
    public var fecDecodes: Int = 0
    /// Late packets played after concealment had started in their place (the delay grows).
    public var merges: Int = 0
    public var decodeErrors: Int = 0

    public init() {}

    /// Mean seconds an emitted sample spent buffered.
    public var meanJitterBufferDelay: Double {
        jitterBufferEmittedCount == 0 ? 0 : jitterBufferDelay / Double(jitterBufferEmittedCount)
    }
    /// Mean target delay over emitted samples, in seconds.
    public var meanTargetDelay: Double {
        jitterBufferEmittedCount == 0 ? 0 : jitterBufferTargetDelay / Double(jitterBufferEmittedCount)
    }
    /// Concealed share of everything produced.
    public var concealedRatio: Double {
        totalSamplesReceived == 0 ? 0 : Double(concealedSamples) / Double(totalSamplesReceived)
    }
}

import MediaCore

/// Settings of the adaptive `JitterBuffer`. Defaults suit Opus at 48 kHz with 10 ms output ticks.
public struct JitterBufferConfiguration: Sendable {
    /// RTP clock rate of the stream (48 000 for Opus, RFC 7587).
    public var clockRate: Int32 = 48_000
    /// Output tick: how much audio each `pull` produces.
    public var tick: Duration = .milliseconds(10)
    /// Packets the buffer holds before it flushes.
    public var capacity: Int = 200
    /// Late packets played (not dropped) after concealment started in their place, when the
    /// concealment covered at most this much: the delay grows instead of losing audio.
    public var maximumMergeBacklog: Duration = .milliseconds(250)
    /// Gaps longer than this are skipped, not concealed.
    public var maximumConcealedGap: Duration = .seconds(1)
    /// Leftover samples from the previous packet above this are trimmed by accelerating. Each
    /// leftover sample is delay: in silence the whole leftover goes (any cut is inaudible there),
    /// in speech a pitch period of at least 2.5 ms when the audio repeats at one.
    public var leftoverTrim: Duration = .microseconds(500)
    /// How far the margin may fall below the target before a preemptive expand (a whole tick of
    /// delay) adds headroom: half the estimator's 2 ms safety margin still stands then.
    public var preemptiveExpandTolerance: Duration = .milliseconds(1)
    /// How long the first packet waits before playout starts (silence until then), so the start
    /// already has the headroom `DelayEstimator.startHeadroom` asks for during its warm-up.
    public var startDelay: Duration = .milliseconds(50)
    /// Delay above the target from which the buffer fast-accelerates (after a spike, say) instead
    /// of removing one pitch period per packet.
    public var fastAccelerateExcess: Duration = .milliseconds(40)
    /// Audio decoded ahead for one fast accelerate: longer windows remove more per operation.
    public var fastAccelerateWindow: Duration = .milliseconds(60)
    /// While single lost packets make up at least `fecLossRate` of the last `fecLossMemory`, the
    /// target keeps one packet more headroom when the decoder can use FEC: the next packet is then
    /// there when the lost one is due, and its in-band FEC rebuilds the loss whole instead of
    /// concealing it (at 5 % random loss, 0.7 % concealed instead of 4.7 % for one packet of
    /// delay). Rarer losses are not worth a packet of delay on every packet. Nil: never.
    public var fecLossMemory: Duration? = .seconds(10)
    public var fecLossRate = 0.01
    /// Delay estimation (see `DelayEstimator`).
    public var estimator = DelayEstimator()
    /// Concealment after audio whose peak stayed within this (−60 dBFS) is silence, made without
    /// the decoder: a DTX sender's gaps follow silence (RFC 7587 §3.1.3 leaves it to the receiver),
    /// and PLC of silence is silence at a decode's cost. Nil: always the decoder's PLC.
    public var silentConcealmentPeak: Int16? = 32
    /// Correlation the time stretcher needs.
    public var stretchCorrelationThreshold: Double = 0.6

    public init() {}
}

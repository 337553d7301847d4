import MediaCore

/// Everything that shapes a simulated one-way link: base latency, jitter, burst loss, reordering,
/// duplication and scripted spikes. Presets are in `LinkProfile+Presets.swift`.
public struct LinkProfile: Sendable, Equatable {
    /// One-way propagation delay every packet takes.
    public var baseLatency: Duration
    /// Random extra delay per packet.
    public var jitter: JitterModel
    /// True: a queue, packets leave in the order sent (jitter cannot reorder). False: each packet
    /// takes its own path, so jitter larger than the send interval reorders.
    public var fifo: Bool
    /// Burst loss.
    public var loss: GilbertElliottLoss
    /// Probability that a packet is held back by `reorderDelay` and overtaken (even on FIFO links).
    public var reorderProbability: Double
    public var reorderDelay: Duration
    /// Probability that a packet is delivered twice (the copy up to `duplicateSpread` later).
    public var duplicateProbability: Double
    public var duplicateSpread: Duration
    /// Scripted delay spikes, by send time.
    public var spikes: [DelaySpike]

    public init(baseLatency: Duration, jitter: JitterModel = .none, fifo: Bool = true,
                loss: GilbertElliottLoss = .none, reorderProbability: Double = 0,
                reorderDelay: Duration = .milliseconds(40), duplicateProbability: Double = 0,
                duplicateSpread: Duration = .milliseconds(5), spikes: [DelaySpike] = []) {
        self.baseLatency = baseLatency
        self.jitter = jitter
        self.fifo = fifo
        self.loss = loss
        self.reorderProbability = reorderProbability
        self.reorderDelay = reorderDelay
        self.duplicateProbability = duplicateProbability
        self.duplicateSpread = duplicateSpread
        self.spikes = spikes
    }

    /// The same profile with one more spike.
    public func with(spike: DelaySpike) -> LinkProfile {
        var p = self
        p.spikes.append(spike)
        return p
    }
}

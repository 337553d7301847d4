import MediaCore

/// Drives a sender, a `SimulatedLink` and a receiver's output clock in one virtual timeline, so
/// tests, the benchmark and the demo run a call the same way without reading a clock.
///
/// The receiver's clock is the reference: it ticks every `tickInterval` from `tickPhase`. The
/// sender's clock runs `senderDriftPPM` parts per million fast (positive) or slow (negative), so
/// its nominal `sendInterval` is `sendInterval / (1 + ppm·10⁻⁶)` of receiver time. Before each tick
/// every packet sent so far is handed to the link and every arrival up to the tick is delivered
/// (with its own arrival instant, in arrival order); then `tick` runs.
public struct VirtualTimeLoop: Sendable {
    public var duration: Duration
    public var sendInterval: Duration
    public var senderStart: Instant
    public var senderDriftPPM: Double
    public var tickInterval: Duration
    public var tickPhase: Instant

    public init(duration: Duration, sendInterval: Duration, senderStart: Instant = .zero,
                senderDriftPPM: Double = 0, tickInterval: Duration = .milliseconds(10),
                tickPhase: Instant = .zero) {
        self.duration = duration
        self.sendInterval = sendInterval
        self.senderStart = senderStart
        self.senderDriftPPM = senderDriftPPM
        self.tickInterval = tickInterval
        self.tickPhase = tickPhase
    }

    /// The receiver-clock instant at which the sender emits packet `index`.
    public func sendInstant(_ index: Int) -> Instant {
        let nominal = Double(sendInterval.nanoseconds) * Double(index)
        return senderStart + Duration(nanoseconds: Int64((nominal / (1 + senderDriftPPM * 1e-6)).rounded()))
    }

    /// Runs until `duration` of receiver time has passed. `makePacket(index, sendInstant)` returns
    /// the packet to send (nil: nothing sent, e.g. DTX); `deliver(arrival, packet)` receives it;
    /// `tick(now)` is the receiver's output clock.
    public func run<P: Sendable>(link: inout SimulatedLink<P>,
                                 makePacket: (Int, Instant) -> P?,
                                 deliver: (Instant, P) -> Void,
                                 tick: (Instant) -> Void) {
        let end = Instant.zero + duration
        var nextIndex = 0
        var now = tickPhase
        while now < end {
            while sendInstant(nextIndex) <= now {
                let at = sendInstant(nextIndex)
                if let p = makePacket(nextIndex, at) { link.send(p, at: at) }
                nextIndex += 1
            }
            for (arrival, p) in link.receive(upTo: now) { deliver(arrival, p) }
            tick(now)
            now += tickInterval
        }
    }
}

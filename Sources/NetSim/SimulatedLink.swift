import MediaCore

/// A one-way datagram link in virtual time: `send` at a send instant, `receive(upTo:)` whatever
/// has arrived by then, in arrival order. Pure and seeded: the same seed and the same calls give
/// the same deliveries.
public struct SimulatedLink<Packet>: Sendable where Packet: Sendable {
    public let profile: LinkProfile
    public private(set) var statistics = LinkStatistics()
    private var rng: Xoshiro256StarStar
    private var loss: GilbertElliottLoss
    /// In flight, sorted by (arrival, order) so equal instants keep send order.
    private var inFlight: [InFlight] = []
    private var order: Int64 = 0
    /// The latest arrival scheduled for a FIFO packet: later packets cannot arrive before it.
    private var fifoTail = Instant(nanoseconds: .min)
    /// The highest send index delivered so far (for counting reordering).
    private var highestDelivered: Int64 = -1

    private struct InFlight: Sendable {
        var arrival: Instant
        var order: Int64
        var sendIndex: Int64
        var isCopy: Bool
        var packet: Packet
    }

    public init(profile: LinkProfile, seed: UInt64) {
        self.profile = profile
        self.loss = profile.loss
        self.rng = Xoshiro256StarStar(seed: seed)
    }

    /// Hands `packet` to the link at `now` (send instants must not go backwards).
    public mutating func send(_ packet: Packet, at now: Instant) {
        let index = Int64(statistics.sent)
        statistics.sent += 1
        // Draw every random choice for every packet, lost or not, so one knob does not shift the
        // random sequence of the others.
        let lost = loss.nextIsLost(using: &rng)
        let jitter = profile.jitter.sample(using: &rng)
        let heldBack = rng.chance(profile.reorderProbability)
        let duplicate = rng.chance(profile.duplicateProbability)
        let copySpread = Duration(nanoseconds: Int64(rng.nextUnit() * Double(profile.duplicateSpread.nanoseconds)))
        guard !lost else { return }

        var arrival = now + profile.baseLatency + jitter
        for spike in profile.spikes where spike.covers(now) { arrival += spike.extraDelay }
        if heldBack {
            // Overtaken: it neither waits for nor holds up the FIFO queue.
            arrival += profile.reorderDelay
        } else if profile.fifo {
            if arrival < fifoTail { arrival = fifoTail }
            fifoTail = arrival
        }
        schedule(InFlight(arrival: arrival, order: 0, sendIndex: index, isCopy: false, packet: packet))
        if duplicate {
            statistics.duplicated += 1
            schedule(InFlight(arrival: arrival + copySpread, order: 0, sendIndex: index, isCopy: true, packet: packet))
        }
    }

    /// Every packet that has arrived by `now`, oldest arrival first, with its arrival instant.
    public mutating func receive(upTo now: Instant) -> [(Instant, Packet)] {
        var count = 0
        while count < inFlight.count, inFlight[count].arrival <= now { count += 1 }
        guard count > 0 else { return [] }
        var out: [(Instant, Packet)] = []
        out.reserveCapacity(count)
        for item in inFlight[0..<count] {
            if !item.isCopy {
                statistics.delivered += 1
                if item.sendIndex < highestDelivered { statistics.reordered += 1 }
                highestDelivered = max(highestDelivered, item.sendIndex)
            }
            out.append((item.arrival, item.packet))
        }
        inFlight.removeFirst(count)
        statistics.lost = statistics.sent - statistics.delivered - inFlight.lazy.filter { !$0.isCopy }.count
        return out
    }

    /// When the next packet arrives, if any is in flight (for event-driven loops).
    public var nextArrival: Instant? { inFlight.first?.arrival }

    /// Packets still in flight (copies included).
    public var inFlightCount: Int { inFlight.count }

    private mutating func schedule(_ item: InFlight) {
        var item = item
        item.order = order
        order += 1
        // Binary search for the first element arriving strictly later: ties keep insertion order.
        var lo = 0, hi = inFlight.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if inFlight[mid].arrival <= item.arrival { lo = mid + 1 } else { hi = mid }
        }
        inFlight.insert(item, at: lo)
    }
}

import MediaCore

/// The adaptive jitter buffer: packets in, one output tick of PCM out, with the delay kept near
/// what the measured jitter needs. Pure and tick-driven (time is passed in), in three parts:
/// a `PacketBuffer` (ordering, duplicates, late packets, overflow, resync), a `DelayEstimator`
/// (target headroom from a high quantile of relative arrival delay) and `JitterDecision` (normal,
/// accelerate, preemptive expand, expand = PLC, FEC), with `TimeStretcher` doing the stretching.
///
/// Driving contract: `insert` every packet when it arrives; `pull` once per tick. Each `pull`
/// refills the decoded-sample queue until it holds a tick, deciding per refill, then emits a tick.
/// Concealment while nothing is buffered keeps the playout clock running; a late packet that
/// arrives while its slot is being concealed is still played (the delay grows, then shrinks by
/// accelerating) unless more than `maximumMergeBacklog` was concealed in its place. Likewise, when
/// one packet is lost and the next arrives while the loss is being concealed, the lost frame is
/// rebuilt whole from the next packet's FEC after what was already concealed. Playout starts
/// once the first packet has waited `startDelay` (silence before that is not concealment).
public struct JitterBuffer<Decoder: AudioFrameDecoder>: JitterBuffering {
    public let configuration: JitterBufferConfiguration
    public private(set) var decoder: Decoder
    public let samplesPerTick: Int
    public var channels: Int { decoder.channels }
    public private(set) var statistics = JitterBufferStatistics()
    /// Headroom the fastest packet gets plus one packet, as of the last `pull` (nil before playout).
    public private(set) var currentDelay: Duration?

    private var packets: PacketBuffer
    private var estimator: DelayEstimator
    private let stretcher: TimeStretcher
    private var queue: JitterBufferSampleQueue
    private var scratch: [Int16]
    private let sampleRate: Int
    private let clockRate: Int32
    /// Unwrapped RTP ticks of the next sample to produce (nil: playout not started).
    private var playoutTimestamp: Int64?
    /// End of the last real (decoded or FEC) audio: packets before it can never play.
    private var decodedEnd: Int64?
    /// Timestamp origin of the current stream, for the estimator's media clock.
    private var streamOrigin: Int64?
    private var concealing = false
    /// The last real audio (decoded or FEC) stayed within `silentConcealmentPeak`.
    private var afterSilence = false
    private var packetDuration: Int64
    /// When playout reached a single lost packet (the one before the next buffered one), over
    /// the last `fecLossMemory`, oldest first; and the index after the last one (counted once).
    private var singleLosses: [Instant] = []
    private var lastLossFollower: Int64?
    /// Headroom added to the estimator's target while a recent loss makes FEC worth waiting for.
    private var fecHeadroom: Duration = .zero

    public init(decoder: Decoder, configuration: JitterBufferConfiguration = .init()) {
        self.configuration = configuration
        self.decoder = decoder
        self.sampleRate = decoder.sampleRate
        self.clockRate = configuration.clockRate
        self.samplesPerTick = Int(MediaTime.ticks(in: configuration.tick, clockRate: Int32(decoder.sampleRate)))
        self.packets = PacketBuffer(capacity: configuration.capacity, clockRate: configuration.clockRate)
        self.estimator = configuration.estimator
        self.stretcher = TimeStretcher(sampleRate: decoder.sampleRate, channels: decoder.channels,
                                       correlationThreshold: configuration.stretchCorrelationThreshold)
        self.queue = JitterBufferSampleQueue(channels: decoder.channels)
        // The longest Opus packet (120 ms) at the decoder's rate and channel count.
        self.scratch = [Int16](repeating: 0, count: decoder.sampleRate * 120 / 1000 * decoder.channels)
        self.packetDuration = MediaTime.ticks(in: .milliseconds(20), clockRate: configuration.clockRate)
    }

    /// The delay the buffer aims for: the estimator's target headroom plus one packet.
    public var targetDelay: Duration { targetHeadroom + mediaDuration(packetDuration) }
    /// The estimator's target, plus one packet after a recent loss that FEC can rebuild.
    private var targetHeadroom: Duration { min(estimator.targetHeadroom + fecHeadroom, estimator.maximumHeadroom) }
    /// Packets waiting to be decoded.
    public var bufferedPackets: Int { packets.count }

    // MARK: - Input

    public mutating func insert(sequenceNumber: SequenceNumber, timestamp: RTPTimestamp, payload: [UInt8], at now: Instant) {
        statistics.packetsReceived += 1
        let samples: Int
        do { samples = try decoder.sampleCount(of: payload[...]) } catch {
            statistics.packetsDiscarded += 1
            statistics.decodeErrors += 1
            return
        }
        let duration = Int64(samples) * Int64(clockRate) / Int64(sampleRate)
        let admission = packets.insert(sequenceNumber: sequenceNumber.raw, timestamp: timestamp.raw,
                                       payload: payload, duration: duration, arrival: now)
        switch admission {
        case .resynchronized:
            decoder.reset()
            restartPlayout()
        case .acceptedAfterFlush:
            restartPlayout()
        case .accepted, .late, .duplicate, .discarded:
            break
        }
        syncCounters()
        switch admission {
        case .accepted, .acceptedAfterFlush, .resynchronized, .late:
            guard let ts = packets.lastTimestamp else { return }
            if streamOrigin == nil { streamOrigin = ts }
            packetDuration = duration
            estimator.update(arrival: now, mediaTime: mediaDuration(ts - (streamOrigin ?? ts)))
        case .duplicate, .discarded:
            break
        }
    }

    // MARK: - Output

    public mutating func pull(at now: Instant, into output: UnsafeMutableBufferPointer<Int16>) {
        if playoutTimestamp == nil, let first = packets.first, now - first.arrival >= configuration.startDelay {
            playoutTimestamp = first.timestamp
            decodedEnd = first.timestamp
        }
        if playoutTimestamp != nil {
            // Each refill adds at least 2.5 ms or consumes a packet; the bound only guards the invariant.
            var refills = 0
            while queue.count < samplesPerTick, refills < 64 {
                refill(at: now)
                refills += 1
            }
            currentDelay = headroom(at: now).map { $0 + mediaDuration(packetDuration) }
        }
        let emitted = queue.emit(into: output, frames: samplesPerTick, at: now)
        statistics.jitterBufferDelay += emitted.delaySeconds
        statistics.jitterBufferEmittedCount += emitted.fromPackets
        statistics.jitterBufferTargetDelay += targetDelay.seconds * Double(emitted.fromPackets)
        let minimum = estimator.jitterHeadroom + mediaDuration(packetDuration)
        statistics.jitterBufferMinimumDelay += minimum.seconds * Double(emitted.fromPackets)
    }

    /// One decision and its operation.
    private mutating func refill(at now: Instant) {
        guard var ts = playoutTimestamp else { return }
        while let f = packets.first, let end = decodedEnd, f.timestamp < end { packets.dropFirstAsLate() }
        let unit = sampleRate / 400
        if let first = packets.first, first.timestamp < ts {
            // Concealment had started in this packet's slot: play it late if that backlog is small.
            if mediaDuration(ts - first.timestamp) <= configuration.maximumMergeBacklog {
                ts = first.timestamp
                playoutTimestamp = ts
                statistics.merges += 1
            } else {
                packets.dropFirstAsLate()
                syncCounters()
                return
            }
        }
        // The packet before `first` is lost (not late: late ones were dropped or merged above),
        // whether concealment already covers its slot or playout has yet to reach the gap.
        if let first = packets.first, let played = packets.playoutIndex, first.index == played + 1, concealing || first.timestamp > ts {
            noteSingleLoss(before: first.index, at: now)
        }
        if let first = packets.first, first.timestamp > ts, concealing, let end = decodedEnd,
           first.timestamp - first.duration >= end, first.timestamp - first.duration < ts,
           packets.playoutIndex.map({ first.index == $0 + 1 }) ?? false,
           mediaDuration(ts - (first.timestamp - first.duration)) <= configuration.maximumMergeBacklog,
           samples(first.duration) % unit == 0 {
            // Only the packet before `first` is lost and concealment has covered part of its slot:
            // rebuild the whole lost frame from `first`'s FEC after what was concealed, as a merge
            // does for a late packet (the delay grows by the concealed part, accelerating removes it).
            playoutTimestamp = first.timestamp - first.duration
            statistics.merges += 1
            recoverWithFEC(samples: samples(first.duration))
            syncCounters()
            return
        }
        let next: JitterDecision.Next
        if let first = packets.first {
            if first.timestamp == ts {
                next = .expected
            } else {
                let single = packets.playoutIndex.map { first.index == $0 + 1 } ?? false
                next = .gap(samples: samples(first.timestamp - ts), nextPacketSamples: samples(first.duration),
                            lastLossIsBeforeIt: single)
            }
        } else {
            next = .none
        }
        updateFECHeadroom(at: now)
        let target = samples(ticksIn: targetHeadroom)
        // The margin the fastest packet gets: the headroom less what still plays before it is needed.
        let room = headroom(at: now).map { samples(ticksIn: $0) - queue.count } ?? target
        let decision = JitterDecision.decide(
            next: next, margin: room, target: target, leftover: queue.count, tick: samplesPerTick, unit: unit,
            maximumGap: Int(MediaTime.ticks(in: configuration.maximumConcealedGap, clockRate: Int32(sampleRate))),
            leftoverTrim: Int(MediaTime.ticks(in: configuration.leftoverTrim, clockRate: Int32(sampleRate))),
            fastExcess: Int(MediaTime.ticks(in: configuration.fastAccelerateExcess, clockRate: Int32(sampleRate))),
            expandTolerance: Int(MediaTime.ticks(in: configuration.preemptiveExpandTolerance, clockRate: Int32(sampleRate))))
        switch decision {
        case .normal, .accelerate, .preemptiveExpand, .fastAccelerate:
            decodeNext(then: decision)
        case let .expand(n):
            conceal(samples: n)
        case let .fec(n):
            recoverWithFEC(samples: n)
        case .skip:
            if let first = packets.first {
                playoutTimestamp = first.timestamp
                packets.advance(to: first.index)
            }
        }
        syncCounters()
    }

    private mutating func noteSingleLoss(before index: Int64, at now: Instant) {
        // Kept only where they can raise the target, so a G.711 call's list never grows.
        guard decoder.recoversWithFEC, configuration.fecLossMemory != nil, lastLossFollower != index else { return }
        lastLossFollower = index
        singleLosses.append(now)
    }

    /// One packet more headroom while single losses are frequent and the decoder can use FEC.
    private mutating func updateFECHeadroom(at now: Instant) {
        guard decoder.recoversWithFEC, let memory = configuration.fecLossMemory else { return }
        var expired = 0
        while expired < singleLosses.count, now - singleLosses[expired] > memory { expired += 1 }
        if expired > 0 { singleLosses.removeFirst(expired) }
        let packetsInMemory = Double(memory.nanoseconds) / Double(max(1, mediaDuration(packetDuration).nanoseconds))
        let frequent = singleLosses.count >= max(2, Int((configuration.fecLossRate * packetsInMemory).rounded(.up)))
        fecHeadroom = frequent ? mediaDuration(packetDuration) : .zero
    }

    /// Lag searches after the first that may fail in a row while one packet is stretched by a
    /// little: each costs about as much as decoding the packet, and audio that did not repeat
    /// twice a lag apart seldom repeats at the next place (a chirp, noise).
    static var failedSearchesPerPacket: Int { 2 }
    /// The same for catching up after a spike (`.fastAccelerate`, a 60 ms window): four, where the
    /// seeded spike trace recovers as fast as with no limit (two: 490 → 630 ms), while a stream
    /// that arrives bunched on a loaded machine no longer searches its whole window every packet.
    static var failedSearchesCatchingUp: Int { 4 }

    private mutating func decodeNext(then decision: JitterDecision) {
        guard decodeOne() else { return }
        let stretcher = self.stretcher
        switch decision {
        case let .accelerate(lo, hi):
            let removed = -queue.withPending { pcm, start in
                // One lag in range if the audio repeats at it, else several shorter periods. The
                // buffer is a little long, not far: audio that repeated at none of three places a
                // lag apart is left for the next packet rather than searched to its end.
                let one = stretcher.accelerate(&pcm, from: start, minimumRemoval: lo, maximumRemoval: hi)
                return -(one > 0 ? one : stretcher.fastAccelerate(&pcm, from: start, maximumRemoval: hi,
                                                                  failedSearches: Self.failedSearchesPerPacket))
            }
            if removed > 0 {
                statistics.accelerates += 1
                statistics.removedSamplesForAcceleration += removed
            }
        case let .preemptiveExpand(lo, hi):
            let inserted = queue.withPending { pcm, start in
                // One lag in range if the audio repeats at it, else several periods (three failed
                // searches at most, as for accelerate).
                let one = stretcher.preemptiveExpand(&pcm, from: start, minimumInsertion: lo, maximumInsertion: hi)
                return one > 0 ? one : stretcher.repeatedPreemptiveExpand(&pcm, from: start, minimumInsertion: lo, maximumInsertion: hi,
                                                                          failedSearches: Self.failedSearchesPerPacket)
            }
            if inserted > 0 {
                statistics.preemptiveExpands += 1
                statistics.insertedSamplesForDeceleration += inserted
            }
        case let .fastAccelerate(maximum):
            // Decode ahead while the continuation is buffered, so several pitch periods fit.
            let window = samples(ticksIn: configuration.fastAccelerateWindow)
            while queue.count < window, let next = packets.first, next.timestamp == playoutTimestamp, decodeOne() {}
            let removed = -queue.withPending { pcm, start in
                -stretcher.fastAccelerate(&pcm, from: start, maximumRemoval: maximum, failedSearches: Self.failedSearchesCatchingUp)
            }
            if removed > 0 {
                statistics.accelerates += 1
                statistics.removedSamplesForAcceleration += removed
            }
        default:
            break
        }
    }

    /// Decodes the first buffered packet into the queue (`decoder.decode`); false if there was
    /// none or it would not decode (then its slot is left to the next refill to conceal).
    private mutating func decodeOne() -> Bool {
        guard let packet = packets.removeFirst(), let ts = playoutTimestamp else { return false }
        let n: Int
        do {
            n = try scratch.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in
                try decoder.decode(packet.payload[...], into: out)
            }
        } catch {
            // Undecodable: give up on it; the next refill conceals its slot as a gap.
            statistics.decodeErrors += 1
            statistics.packetsDiscarded += 1
            packets.advance(to: packet.index + 1)
            return false
        }
        scratch.withUnsafeBufferPointer { queue.append(UnsafeBufferPointer(rebasing: $0[0..<(n * channels)]), arrival: packet.arrival) }
        afterSilence = isSilent(n * channels)
        packets.markPlayed(packet.index)
        playoutTimestamp = ts + packet.duration
        decodedEnd = playoutTimestamp
        concealing = false
        statistics.normalDecodes += 1
        statistics.totalSamplesReceived += n
        return true
    }

    private mutating func conceal(samples n: Int) {
        let (produced, silent) = synthesize(samples: n)
        scratch.withUnsafeBufferPointer { queue.append(UnsafeBufferPointer(rebasing: $0[0..<(produced * channels)]), arrival: nil) }
        playoutTimestamp = (playoutTimestamp ?? 0) + ticks(samples: produced)
        statistics.expands += 1
        statistics.concealedSamples += produced
        if silent { statistics.silentConcealedSamples += produced }
        statistics.totalSamplesReceived += produced
        if !concealing { statistics.concealmentEvents += 1 }
        concealing = true
    }

    private mutating func recoverWithFEC(samples n: Int) {
        guard let next = packets.first else { return }
        let produced: Int
        do {
            produced = try scratch.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in
                try decoder.decodeFEC(from: next.payload[...], samples: n, into: out)
            }
        } catch {
            conceal(samples: n)
            return
        }
        scratch.withUnsafeBufferPointer { queue.append(UnsafeBufferPointer(rebasing: $0[0..<(produced * channels)]), arrival: next.arrival) }
        afterSilence = isSilent(produced * channels)
        playoutTimestamp = (playoutTimestamp ?? 0) + ticks(samples: produced)
        decodedEnd = playoutTimestamp
        packets.advance(to: next.index)
        concealing = false
        statistics.fecDecodes += 1
        statistics.fecSamples += produced
        statistics.totalSamplesReceived += produced
    }

    /// `n` samples per channel of concealment into `scratch`: the decoder's PLC, or silence after
    /// silence (see `silentConcealmentPeak`) and when the decoder cannot conceal that size.
    /// Returns the samples made and whether they are that silence.
    private mutating func synthesize(samples n: Int) -> (samples: Int, silent: Bool) {
        if !afterSilence {
            do {
                let made = try scratch.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in
                    try decoder.conceal(samples: n, into: out)
                }
                return (made, false)
            } catch {
                statistics.decodeErrors += 1
            }
        }
        for i in 0..<(n * channels) { scratch[i] = 0 }
        return (n, true)
    }

    // MARK: - Helpers

    /// Whether the first `count` samples of `scratch` stay within `silentConcealmentPeak`.
    private func isSilent(_ count: Int) -> Bool {
        guard let peak = configuration.silentConcealmentPeak else { return false }
        return scratch.withUnsafeBufferPointer { pcm in
            // Speech leaves at its first loud sample.
            for i in 0..<count where pcm[i] > peak || pcm[i] < -peak { return false }
            return true
        }
    }

    /// Headroom the fastest recent packet gets under the current playout: when the next sample
    /// to decode is due (now + the queued samples) minus when the fastest packet would bring it.
    private func headroom(at now: Instant) -> Duration? {
        guard let ts = playoutTimestamp, let origin = streamOrigin, let fastest = estimator.fastestRelativeArrival else { return nil }
        let due = now.nanoseconds + Int64(queue.count) * 1_000_000_000 / Int64(sampleRate)
        return Duration(nanoseconds: due - mediaDuration(ts - origin).nanoseconds - fastest)
    }

    private mutating func restartPlayout() {
        playoutTimestamp = nil
        decodedEnd = nil
        streamOrigin = nil
        singleLosses.removeAll()
        lastLossFollower = nil
        fecHeadroom = .zero
        estimator.reset()
    }

    private mutating func syncCounters() {
        statistics.packetsLate = packets.late
        statistics.packetsDuplicated = packets.duplicates
        statistics.packetsReordered = packets.reordered
        statistics.bufferFlushes = packets.flushes
        statistics.resyncs = packets.resyncs
        statistics.packetsDiscarded = packets.discarded + statistics.decodeErrors
    }

    private func mediaDuration(_ ticks: Int64) -> Duration {
        Duration(nanoseconds: ticks * 1_000_000_000 / Int64(clockRate))
    }
    private func samples(_ ticks: Int64) -> Int { Int(ticks * Int64(sampleRate) / Int64(clockRate)) }
    private func samples(ticksIn d: Duration) -> Int { Int(d.nanoseconds * Int64(sampleRate) / 1_000_000_000) }
    private func ticks(samples n: Int) -> Int64 { Int64(n) * Int64(clockRate) / Int64(sampleRate) }
}

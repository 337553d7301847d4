import MediaCore

/// The baseline policy aiortc uses for audio: wait for a fixed prefetch of packets (4) before
/// playout starts, and again whenever the buffer runs dry; no time stretching; packets that come
/// after their playout are dropped; a missing packet is concealed (PLC). Same tick interface as
/// the adaptive `JitterBuffer`, so the benchmark can run both on one trace.
public struct FixedJitterBuffer<Decoder: AudioFrameDecoder>: JitterBuffering {
    public let prefetch: Int
    public private(set) var decoder: Decoder
    public let samplesPerTick: Int
    public var channels: Int { decoder.channels }
    public private(set) var statistics = JitterBufferStatistics()
    public private(set) var currentDelay: Duration?

    private var packets: PacketBuffer
    private var queue: JitterBufferSampleQueue
    private var scratch: [Int16]
    private let sampleRate: Int
    private let clockRate: Int32
    private var playoutTimestamp: Int64?
    private var playing = false
    private var started = false
    private var concealing = false

    /// `capacity` 16 and `prefetch` 4 are aiortc's audio settings.
    public init(decoder: Decoder, prefetch: Int = 4, capacity: Int = 16, clockRate: Int32 = 48_000,
                tick: Duration = .milliseconds(10)) {
        self.prefetch = prefetch
        self.decoder = decoder
        self.sampleRate = decoder.sampleRate
        self.clockRate = clockRate
        self.samplesPerTick = Int(MediaTime.ticks(in: tick, clockRate: Int32(decoder.sampleRate)))
        self.packets = PacketBuffer(capacity: capacity, clockRate: clockRate)
        self.queue = JitterBufferSampleQueue(channels: decoder.channels)
        self.scratch = [Int16](repeating: 0, count: decoder.sampleRate * 120 / 1000 * decoder.channels)
    }

    public mutating func insert(sequenceNumber: SequenceNumber, timestamp: RTPTimestamp, payload: [UInt8], at now: Instant) {
        statistics.packetsReceived += 1
        guard let samples = try? decoder.sampleCount(of: payload[...]) else {
            statistics.decodeErrors += 1
            syncCounters()
            return
        }
        let duration = Int64(samples) * Int64(clockRate) / Int64(sampleRate)
        switch packets.insert(sequenceNumber: sequenceNumber.raw, timestamp: timestamp.raw, payload: payload,
                              duration: duration, arrival: now) {
        case .resynchronized, .acceptedAfterFlush:
            playing = false
            playoutTimestamp = nil
        default:
            break
        }
        syncCounters()
    }

    public mutating func pull(at now: Instant, into output: UnsafeMutableBufferPointer<Int16>) {
        if !playing, packets.count >= prefetch, let first = packets.first {
            playing = true
            started = true
            playoutTimestamp = first.timestamp
        }
        var refills = 0
        while queue.count < samplesPerTick, refills < 64 {
            refills += 1
            guard playing, let ts = playoutTimestamp else {
                // Prefetching: silence before the first start, concealment after running dry.
                if started { conceal(samples: samplesPerTick - queue.count) } else { break }
                continue
            }
            while let f = packets.first, f.timestamp < ts { packets.dropFirstAsLate() }
            guard let first = packets.first else {
                playing = false
                continue
            }
            if first.timestamp > ts {
                let gap = Int((first.timestamp - ts) * Int64(sampleRate) / Int64(clockRate))
                let unit = sampleRate / 400
                let n = min(gap, 48 * unit) / unit * unit
                if n >= unit { conceal(samples: n) } else { playoutTimestamp = first.timestamp }
                continue
            }
            decodeFirst()
        }
        if let ts = playoutTimestamp, playing {
            let ahead = (packets.bufferedDuration + (packets.first.map { $0.timestamp - ts } ?? 0)) * 1_000_000_000 / Int64(clockRate)
            currentDelay = Duration(nanoseconds: ahead) + Duration(nanoseconds: Int64(queue.count) * 1_000_000_000 / Int64(sampleRate))
        }
        let emitted = queue.emit(into: output, frames: samplesPerTick, at: now)
        statistics.jitterBufferDelay += emitted.delaySeconds
        statistics.jitterBufferEmittedCount += emitted.fromPackets
        let target = Double(prefetch) * 0.02
        statistics.jitterBufferTargetDelay += target * Double(emitted.fromPackets)
        statistics.jitterBufferMinimumDelay += target * Double(emitted.fromPackets)
        syncCounters()
    }

    private mutating func decodeFirst() {
        guard let packet = packets.removeFirst() else { return }
        let n: Int
        do {
            n = try scratch.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in
                try decoder.decode(packet.payload[...], into: out)
            }
        } catch {
            statistics.decodeErrors += 1
            packets.advance(to: packet.index + 1)
            return
        }
        scratch.withUnsafeBufferPointer { queue.append(UnsafeBufferPointer(rebasing: $0[0..<(n * channels)]), arrival: packet.arrival) }
        packets.markPlayed(packet.index)
        playoutTimestamp = packet.timestamp + packet.duration
        concealing = false
        statistics.normalDecodes += 1
        statistics.totalSamplesReceived += n
    }

    private mutating func conceal(samples wanted: Int) {
        let unit = sampleRate / 400
        let n = max(unit, (wanted + unit - 1) / unit * unit)
        let produced = (try? scratch.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in
            try decoder.conceal(samples: n, into: out)
        }) ?? 0
        guard produced > 0 else {
            statistics.decodeErrors += 1
            let silence = [Int16](repeating: 0, count: n * channels)
            silence.withUnsafeBufferPointer { queue.append($0, arrival: nil) }
            return
        }
        scratch.withUnsafeBufferPointer { queue.append(UnsafeBufferPointer(rebasing: $0[0..<(produced * channels)]), arrival: nil) }
        if playing, let ts = playoutTimestamp {
            playoutTimestamp = ts + Int64(produced) * Int64(clockRate) / Int64(sampleRate)
        }
        statistics.expands += 1
        statistics.concealedSamples += produced
        statistics.totalSamplesReceived += produced
        if !concealing { statistics.concealmentEvents += 1 }
        concealing = true
    }

    private mutating func syncCounters() {
        statistics.packetsLate = packets.late
        statistics.packetsDuplicated = packets.duplicates
        statistics.packetsReordered = packets.reordered
        statistics.bufferFlushes = packets.flushes
        statistics.resyncs = packets.resyncs
        statistics.packetsDiscarded = packets.discarded + statistics.decodeErrors
    }
}

import Foundation
import Testing
import MediaCore
import NetSim
@testable import Audio

/// A voiced, vowel-like test signal: 140 Hz with decaying harmonics and a slow vibrato, so the
/// time stretcher finds pitch periods the way it would in speech.
func vowelSample(_ n: Int, sampleRate: Int = 48_000) -> Int16 {
    let t = Double(n) / Double(sampleRate)
    let f0 = 140 + 6 * sin(2 * .pi * 3 * t)
    var x = 0.0
    for h in 1...8 { x += sin(2 * .pi * f0 * Double(h) * t) / Double(h * h) }
    return Int16(max(-32_000, min(32_000, 9_000 * x)))
}

/// One RTP packet of the simulated call.
struct SimPacket: Sendable {
    var seq: SequenceNumber
    var ts: RTPTimestamp
    var payload: [UInt8]
}

/// Runs a real-Opus call over a `SimulatedLink` into `buffer`, in virtual time.
struct SimulatedCall {
    var profile: LinkProfile
    var seed: UInt64 = 1
    var duration: Duration = .seconds(10)
    var ptimeMs = 20
    var driftPPM = 0.0
    var fec = false
    var firstSequence: UInt16 = 1_000
    var firstTimestamp: UInt32 = 123_456
    /// Rewrites a packet's numbers before sending (for wrap and jump scenarios).
    var renumber: (@Sendable (Int, SequenceNumber, RTPTimestamp) -> (SequenceNumber, RTPTimestamp))? = nil
    /// Packets (by index) encoded but never sent: losses at chosen places.
    var dropped: Set<Int> = []

    /// Returns the output PCM; `observe` sees the buffer after every tick.
    func run<B: JitterBuffering>(_ buffer: inout B, observe: (Instant, B) -> Void = { _, _ in }) throws -> [Int16] {
        let frame = 48 * ptimeMs
        let encoder = try OpusEncoder(configuration: OpusEncoderConfiguration(
            bitrate: 32_000, complexity: 0, inbandFEC: fec, expectedPacketLossPercent: fec ? 10 : 0))
        var link = SimulatedLink<SimPacket>(profile: profile, seed: seed)
        let loop = VirtualTimeLoop(duration: duration, sendInterval: .milliseconds(ptimeMs), senderStart: .zero + .microseconds(3_300),
                                   senderDriftPPM: driftPPM, tickInterval: .milliseconds(10), tickPhase: .zero)
        var pcm = [Int16](repeating: 0, count: frame)
        var packet = [UInt8](repeating: 0, count: 1_500)
        var out: [Int16] = []
        var tick = [Int16](repeating: 0, count: buffer.samplesPerTick * buffer.channels)
        loop.run(link: &link, makePacket: { i, _ in
            for k in 0..<frame { pcm[k] = vowelSample(i * frame + k) }
            guard let n = try? encoder.encode(pcm, into: &packet) else { return nil }
            var seq = SequenceNumber(firstSequence &+ UInt16(truncatingIfNeeded: i))
            var ts = RTPTimestamp(firstTimestamp &+ UInt32(truncatingIfNeeded: i * frame))
            if let renumber { (seq, ts) = renumber(i, seq, ts) }
            if dropped.contains(i) { return nil }
            return SimPacket(seq: seq, ts: ts, payload: Array(packet[0..<n]))
        }, deliver: { arrival, p in
            buffer.insert(sequenceNumber: p.seq, timestamp: p.ts, payload: p.payload, at: arrival)
        }, tick: { now in
            buffer.pull(at: now, into: &tick)
            out += tick
            observe(now, buffer)
        })
        return out
    }
}

func makeBuffer(_ configuration: JitterBufferConfiguration = .init()) throws -> JitterBuffer<OpusDecoder> {
    JitterBuffer(decoder: try OpusDecoder(), configuration: configuration)
}

@Suite struct JitterBufferCleanTraceTests {
    @Test func meanDelayStaysNearOneFrameOnACleanTrace() throws {
        var jb = try makeBuffer()
        _ = try SimulatedCall(profile: .cleanLAN, duration: .seconds(20)).run(&jb)
        let s = jb.statistics
        #expect(s.concealedSamples == 0)
        #expect(s.packetsLate == 0)
        // 20 ms packets pulled in 10 ms ticks: at best 5 ms plus the tick phase (< 10 ms).
        #expect(s.meanJitterBufferDelay < 0.020)
        #expect(s.meanJitterBufferDelay > 0.004)
        #expect(s.jitterBufferEmittedCount > 48_000 * 19)
    }

    @Test func tenMillisecondPacketsStayUnderOneTick() throws {
        var jb = try makeBuffer()
        var call = SimulatedCall(profile: .cleanLAN, duration: .seconds(20))
        call.ptimeMs = 10
        _ = try call.run(&jb)
        #expect(jb.statistics.concealedSamples == 0)
        #expect(jb.statistics.meanJitterBufferDelay < 0.012)
    }
}

@Suite struct JitterBufferReorderTests {
    @Test func reorderedPacketArrivingBeforeItsPlayoutIsNotConcealed() throws {
        // Every 10th packet is overtaken by the next one (held back 25 ms on a 20 ms cadence),
        // with a standing jitter that has made the buffer deep enough to absorb it.
        var profile = LinkProfile(baseLatency: .milliseconds(5), jitter: .uniform(max: .milliseconds(30)), fifo: false)
        profile.reorderProbability = 0
        var jb = try makeBuffer()
        _ = try SimulatedCall(profile: profile, seed: 4, duration: .seconds(20)).run(&jb)
        let s = jb.statistics
        #expect(s.packetsReordered > 50)
        // Reordering is absorbed: only a few packets (beyond the 97th percentile) come too late.
        #expect(Double(s.packetsLate) < 0.04 * Double(s.packetsReceived))
        #expect(s.concealedSamples <= s.packetsLate * 960 + 9_600)
    }
}

@Suite struct JitterBufferBurstLossTests {
    @Test func burstLossIsConcealedAndCounted() throws {
        let profile = LinkProfile(baseLatency: .milliseconds(10),
                                  loss: GilbertElliottLoss(p: 0.02, r: 0.3, lossInGood: 0, lossInBad: 1))
        var jb = try makeBuffer()
        let out = try SimulatedCall(profile: profile, seed: 8, duration: .seconds(20)).run(&jb)
        let s = jb.statistics
        #expect(out.count == 2_000 * 480)
        #expect(s.concealedSamples > 0)
        #expect(s.concealmentEvents > 5)
        // Roughly 6 % of 20 s is lost: the concealed share tracks it.
        #expect(s.concealedRatio > 0.02 && s.concealedRatio < 0.12)
        #expect(s.concealedSamples % 120 == 0)
    }

    @Test func fecRebuildsALossWhenTheNextPacketIsAlreadyThere() throws {
        // Standing jitter keeps a packet or more buffered, so the packet after a loss is usually
        // there when the loss is due.
        let profile = LinkProfile(baseLatency: .milliseconds(5), jitter: .uniform(max: .milliseconds(40)),
                                  loss: .random(0.05))
        var jb = try makeBuffer()
        var call = SimulatedCall(profile: profile, seed: 12, duration: .seconds(20))
        call.fec = true
        _ = try call.run(&jb)
        let s = jb.statistics
        #expect(s.fecDecodes > 10)
        #expect(s.fecSamples == s.fecDecodes * 960)
    }
}

@Suite struct JitterBufferDuplicateTests {
    @Test func duplicatesAreDroppedAndCounted() throws {
        let profile = LinkProfile(baseLatency: .milliseconds(5), duplicateProbability: 0.1, duplicateSpread: .milliseconds(30))
        var jb = try makeBuffer()
        var link = SimulatedLink<Int>(profile: profile, seed: 1)
        for i in 0..<2_000 { link.send(i, at: .zero + .milliseconds(20) * Int64(i)) }
        _ = link.receive(upTo: Instant(nanoseconds: .max))
        let copies = link.statistics.duplicated
        _ = try SimulatedCall(profile: profile, seed: 1, duration: .seconds(40)).run(&jb)
        let s = jb.statistics
        #expect(s.packetsDuplicated > 150)
        #expect(s.packetsDuplicated <= copies)
        #expect(s.concealedSamples == 0)
        // Every distinct packet is decoded once (the last may still wait in the buffer).
        #expect(s.normalDecodes + jb.bufferedPackets == s.packetsReceived - s.packetsDuplicated)
    }
}

@Suite struct JitterBufferWrapTests {
    @Test func sequenceAndTimestampWrapAreSeamless() throws {
        var call = SimulatedCall(profile: .cleanLAN, duration: .seconds(10))
        call.firstSequence = 65_500
        call.firstTimestamp = UInt32.max - 48_000 * 3
        var jb = try makeBuffer()
        _ = try call.run(&jb)
        let s = jb.statistics
        #expect(s.resyncs == 0)
        #expect(s.concealedSamples == 0)
        #expect(s.packetsLate == 0)
        #expect(s.normalDecodes == s.packetsReceived)
    }
}

@Suite struct JitterBufferResyncTests {
    @Test func absurdTimestampJumpResyncsAndPlayoutContinues() throws {
        var call = SimulatedCall(profile: .cleanLAN, duration: .seconds(10))
        call.renumber = { i, seq, ts in i >= 200 ? (seq, ts &+ 1_500_000_000) : (seq, ts) }
        var jb = try makeBuffer()
        var decodesAfterJump = 0
        var before = 0
        _ = try call.run(&jb) { now, b in
            if now == .zero + .seconds(4) { before = b.statistics.normalDecodes }
            decodesAfterJump = b.statistics.normalDecodes - before
        }
        #expect(jb.statistics.resyncs == 1)
        #expect(decodesAfterJump > 250)
    }

    @Test func absurdSequenceJumpResyncsAndPlayoutContinues() throws {
        var call = SimulatedCall(profile: .cleanLAN, duration: .seconds(10))
        call.renumber = { i, seq, ts in i >= 200 ? (seq &+ 20_000, ts) : (seq, ts) }
        var jb = try makeBuffer()
        _ = try call.run(&jb)
        #expect(jb.statistics.resyncs == 1)
        #expect(jb.statistics.normalDecodes > 480)
    }

    @Test func aLoneGarbagePacketIsDiscardedWithoutResync() throws {
        var call = SimulatedCall(profile: .cleanLAN, duration: .seconds(6))
        call.renumber = { i, seq, ts in i == 100 ? (seq &+ 30_000, ts &+ 2_000_000_000) : (seq, ts) }
        var jb = try makeBuffer()
        _ = try call.run(&jb)
        #expect(jb.statistics.resyncs == 0)
        #expect(jb.statistics.packetsDiscarded == 1)
    }
}

@Suite struct JitterBufferClockDriftTests {
    @Test(arguments: [100.0, -100.0])
    func delayStaysBoundedUnderClockDrift(ppm: Double) throws {
        var call = SimulatedCall(profile: .cleanLAN, seed: 21, duration: .seconds(600))
        call.driftPPM = ppm
        var jb = try makeBuffer()
        var firstMinute: [Double] = [], lastMinute: [Double] = []
        _ = try call.run(&jb) { now, b in
            guard let d = b.currentDelay?.milliseconds else { return }
            if now > .zero + .seconds(5), now < .zero + .seconds(65) { firstMinute.append(d) }
            if now > .zero + .seconds(540) { lastMinute.append(d) }
        }
        let s = jb.statistics
        let first = firstMinute.reduce(0, +) / Double(firstMinute.count)
        let last = lastMinute.reduce(0, +) / Double(lastMinute.count)
        // 100 ppm over 600 s is 60 ms of drift: uncompensated, the delay would grow (or the buffer
        // starve) by that much. Time stretching must keep it where it started.
        #expect(abs(last - first) < 10)
        #expect(lastMinute.max() ?? .infinity < 40)
        if ppm > 0 {
            #expect(s.removedSamplesForAcceleration > 48 * 50)
        } else {
            #expect(s.insertedSamplesForDeceleration + s.concealedSamples > 48 * 50)
            #expect(s.concealedRatio < 0.01)
        }
    }
}

@Suite struct JitterBufferDelaySpikeTests {
    @Test func targetRisesForASpikeAndTheDelayIsBackWithinASecondAndStays() throws {
        let spikeStart = Instant.zero + .seconds(5)
        let spike = DelaySpike(start: spikeStart, duration: .milliseconds(200), extraDelay: .milliseconds(200))
        let profile = LinkProfile.cleanLAN.with(spike: spike)
        var jb = try makeBuffer()
        var beforeTarget = Duration.zero, peak = Duration.zero
        var reference: Duration?
        var lastOutside: Instant?
        // When the last delayed packet lands.
        let settle = spike.end + spike.extraDelay
        _ = try SimulatedCall(profile: profile, duration: .seconds(10)).run(&jb) { now, b in
            if now < spikeStart {
                beforeTarget = b.targetDelay
                if now >= spikeStart - .seconds(2), let d = b.currentDelay { reference = max(reference ?? d, d) }
            }
            if now >= spikeStart { peak = max(peak, b.targetDelay) }
            // Back: from some tick on, the delay stays within 5 ms of its pre-spike level.
            if now >= settle, let r = reference, (b.currentDelay ?? .seconds(1)) > r + .milliseconds(5) { lastOutside = now }
        }
        #expect(peak > beforeTarget + .milliseconds(50))
        let back = (lastOutside ?? settle) + .milliseconds(10)
        #expect(back - settle <= .milliseconds(1_000))
    }
}

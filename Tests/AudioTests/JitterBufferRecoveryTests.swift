import Testing
import MediaCore
import NetSim
@testable import Audio

/// Start-up, FEC rebuild and late-packet behaviour on lossy and jittery traces with real Opus.
@Suite struct JitterBufferRecoveryTests {
    @Test(arguments: [UInt64(3), 77, 901])
    func fiftyMillisecondJitterIsAbsorbedFromTheFirstPacket(seed: UInt64) throws {
        // Uniform 0-50 ms jitter: without the start delay the second packet is usually late.
        let profile = LinkProfile(baseLatency: .milliseconds(10), jitter: .uniform(max: .milliseconds(50)))
        var jb = try makeBuffer()
        _ = try SimulatedCall(profile: profile, seed: seed, duration: .seconds(10)).run(&jb)
        #expect(jb.statistics.concealedSamples == 0)
        #expect(jb.statistics.packetsLate == 0)
    }

    @Test func aLossWhoseSuccessorArrivesDuringConcealmentIsRebuiltFromFEC() throws {
        // Jitter up to 12 ms and no FEC headroom: the headroom (about 14 ms) is less than a 20 ms
        // packet, so the packet after a loss arrives only once concealment of the lost slot has
        // begun, but before it ended: FEC can only help through the late rebuild.
        let profile = LinkProfile(baseLatency: .milliseconds(10), jitter: .exponential(mean: .milliseconds(2), cap: .milliseconds(12)),
                                  loss: .random(0.05))
        var call = SimulatedCall(profile: profile, seed: 77, duration: .seconds(20))
        call.fec = true
        var configuration = JitterBufferConfiguration()
        configuration.fecLossMemory = nil
        var jb = try makeBuffer(configuration)
        _ = try call.run(&jb)
        let s = jb.statistics
        let lost = 1_000 - s.packetsReceived
        #expect(lost > 20)
        #expect(s.fecDecodes > 5)
        #expect(s.merges > 0)
        // Every FEC rebuild spared most of a 20 ms concealment.
        #expect(s.concealedSamples < lost * 960 - s.fecDecodes * 480)
    }

    /// 5 % random loss over little jitter: mostly single losses, which the next packet's FEC rebuilds.
    static let randomLoss = LinkProfile(baseLatency: .milliseconds(10), jitter: .exponential(mean: .microseconds(500), cap: .milliseconds(5)),
                                        loss: .random(0.05))

    @Test func frequentSingleLossesBuyOnePacketOfHeadroomSoFECRebuildsThemWhole() throws {
        func run(_ configuration: JitterBufferConfiguration) throws -> (stats: JitterBufferStatistics, lastTarget: Duration) {
            var call = SimulatedCall(profile: Self.randomLoss, seed: 77, duration: .seconds(20))
            call.fec = true
            var jb = try makeBuffer(configuration)
            _ = try call.run(&jb)
            return (jb.statistics, jb.targetDelay)
        }
        var off = JitterBufferConfiguration()
        off.fecLossMemory = nil
        let without = try run(off), with = try run(JitterBufferConfiguration())
        let lost = 1_000 - with.stats.packetsReceived
        #expect(lost > 20)
        // One 20 ms packet more of target, and most losses rebuilt whole (no concealment before them).
        #expect(with.lastTarget - without.lastTarget >= .milliseconds(19))
        #expect(with.stats.fecDecodes * 10 >= lost * 7)
        #expect(with.stats.concealedSamples * 4 < without.stats.concealedSamples)
    }

    @Test func rareLossesDoNotRaiseTheTarget() throws {
        // 20 s of 20 ms packets with two single losses: under 1 % of the memory, not worth a packet.
        var jb = try makeBuffer()
        var call = SimulatedCall(profile: .cleanLAN, duration: .seconds(20))
        call.fec = true
        call.dropped = [300, 700]
        _ = try call.run(&jb)
        #expect(jb.statistics.concealedSamples > 0)
        #expect(jb.targetDelay < .milliseconds(20 + 10))
    }

    @Test func lateAndLostPacketsOnWiFiCostLessThanConcealingEveryLoss() throws {
        var call = SimulatedCall(profile: .wifi, seed: 77, duration: .seconds(60))
        call.fec = true
        var jb = try makeBuffer()
        _ = try call.run(&jb)
        let s = jb.statistics
        let lost = 3_000 - s.packetsReceived
        #expect(lost > 5)
        // A buffer that never played a packet late would conceal `lost × 960`; lateness must not
        // add more than FEC and merges save.
        #expect(s.concealedSamples < lost * 960)
    }

    @Test func theDelayFollowsATargetThatRises() throws {
        // Wi-Fi's jitter tail (up to 40 ms) raises the target well after the start: the buffer
        // must grow its delay to it (preemptive expand), not just record the higher target.
        var call = SimulatedCall(profile: .wifi, seed: 77, duration: .seconds(30))
        call.fec = true
        var jb = try makeBuffer()
        var ticks = 0, short = 0
        _ = try call.run(&jb) { now, b in
            guard now > .zero + .seconds(5), let d = b.currentDelay else { return }
            ticks += 1
            if d < b.targetDelay - .milliseconds(10) { short += 1 }
        }
        #expect(ticks > 2_000)
        #expect(short * 20 < ticks)
    }

    @Test func playoutWaitsTheStartDelayAndThenSettlesNearTheTarget() throws {
        var jb = try makeBuffer()
        var firstSound: Instant?
        var late: [Duration] = []
        let out = try SimulatedCall(profile: .cleanLAN, duration: .seconds(5)).run(&jb) { now, b in
            if firstSound == nil, b.currentDelay != nil { firstSound = now }
            if now > .zero + .seconds(2), let d = b.currentDelay { late.append(d - b.targetDelay) }
        }
        // The first packet arrives about 4.5 ms in; 50 ms later is the tick at 60 ms.
        #expect(firstSound == .zero + .milliseconds(60))
        #expect(out.prefix(5 * 480).allSatisfy { $0 == 0 })
        #expect(jb.statistics.concealedSamples == 0)
        // After the warm-up the start delay is gone: within a tick (plus a leftover) of the target.
        #expect(late.allSatisfy { $0 >= .zero && $0 < .milliseconds(20) })
    }
}

import Testing
import MediaCore
@testable import NetSim

/// Sends `count` packets (their send index) every 20 ms and drains the link.
private func runLink(_ profile: LinkProfile, seed: UInt64, count: Int) -> (deliveries: [(Instant, Int)], stats: LinkStatistics) {
    var link = SimulatedLink<Int>(profile: profile, seed: seed)
    var out: [(Instant, Int)] = []
    for i in 0..<count {
        let t = Instant.zero + .milliseconds(20) * Int64(i)
        link.send(i, at: t)
        out += link.receive(upTo: t)
    }
    out += link.receive(upTo: Instant(nanoseconds: .max))
    return (out, link.statistics)
}

@Suite struct SimulatedLinkTests {
    @Test func sameSeedReproducesTheSameDeliveries() {
        let a = runLink(.lossyWiFi, seed: 42, count: 5_000)
        let b = runLink(.lossyWiFi, seed: 42, count: 5_000)
        #expect(a.deliveries.map(\.0) == b.deliveries.map(\.0))
        #expect(a.deliveries.map(\.1) == b.deliveries.map(\.1))
        #expect(a.stats == b.stats)
        let c = runLink(.lossyWiFi, seed: 43, count: 5_000)
        #expect(c.deliveries.map(\.0) != a.deliveries.map(\.0))
    }

    @Test func gilbertElliottLossMatchesItsStationaryRate() {
        let model = GilbertElliottLoss(p: 0.02, r: 0.25, lossInGood: 0.01, lossInBad: 0.6)
        // π_bad = 0.02 / 0.27; expected = π_bad·0.6 + (1 - π_bad)·0.01 ≈ 0.0537.
        let expected = (0.02 / 0.27) * 0.6 + (0.25 / 0.27) * 0.01
        #expect(abs(model.expectedLossRate - expected) < 1e-12)
        let run = runLink(LinkProfile(baseLatency: .milliseconds(10), loss: model), seed: 7, count: 100_000)
        #expect(run.stats.sent == 100_000)
        #expect(abs(run.stats.lossRate - expected) < 0.006)
        #expect(run.stats.lost == run.stats.sent - run.stats.delivered)
    }

    @Test func burstLossComesInRunsLongerThanIndependentLoss() {
        // Same mean loss, bursty vs. independent: the bursty chain's mean run of losses is longer.
        let bursty = GilbertElliottLoss(p: 0.01, r: 0.2, lossInGood: 0, lossInBad: 1)
        let flat = GilbertElliottLoss.random(bursty.expectedLossRate)
        func meanRun(_ m: GilbertElliottLoss) -> Double {
            var m = m
            var rng = Xoshiro256StarStar(seed: 1)
            var runs = 0, lost = 0, inRun = false
            for _ in 0..<100_000 {
                let l = m.nextIsLost(using: &rng)
                if l { lost += 1; if !inRun { runs += 1 } }
                inRun = l
            }
            return Double(lost) / Double(max(1, runs))
        }
        #expect(meanRun(bursty) > 3 * meanRun(flat))
    }

    @Test func fifoLinkKeepsSendOrderDespiteJitter() {
        let profile = LinkProfile(baseLatency: .milliseconds(5), jitter: .uniform(max: .milliseconds(80)), fifo: true)
        let run = runLink(profile, seed: 3, count: 5_000)
        let order = run.deliveries.map(\.1)
        #expect(order == order.sorted())
        #expect(run.stats.reordered == 0)
        #expect(run.deliveries.map(\.0) == run.deliveries.map(\.0).sorted())
    }

    @Test func nonFIFOLinkLetsJitterReorder() {
        let profile = LinkProfile(baseLatency: .milliseconds(5), jitter: .uniform(max: .milliseconds(80)), fifo: false)
        let run = runLink(profile, seed: 3, count: 5_000)
        #expect(run.stats.reordered > 100)
        #expect(run.deliveries.map(\.1) != run.deliveries.map(\.1).sorted())
        #expect(run.stats.delivered == 5_000)
    }

    @Test func reorderProbabilityReordersAFIFOLink() {
        let profile = LinkProfile(baseLatency: .milliseconds(5), fifo: true, reorderProbability: 0.05, reorderDelay: .milliseconds(50))
        let run = runLink(profile, seed: 9, count: 10_000)
        // Each held-back packet is overtaken by the two or three sent in the next 50 ms.
        #expect(run.stats.reordered > 300 && run.stats.reordered < 700)
    }

    @Test func duplicatesAreDeliveredAndCounted() {
        let profile = LinkProfile(baseLatency: .milliseconds(5), duplicateProbability: 0.1)
        let run = runLink(profile, seed: 11, count: 10_000)
        #expect(run.stats.duplicated > 850 && run.stats.duplicated < 1_150)
        #expect(run.deliveries.count == 10_000 + run.stats.duplicated)
        #expect(run.stats.delivered == 10_000)
        #expect(run.stats.lost == 0)
        #expect(Set(run.deliveries.map(\.1)).count == 10_000)
    }

    @Test func delaySpikeStallsAndThenReleasesABurstOnAFIFOLink() {
        let spike = DelaySpike(start: .zero + .seconds(1), duration: .milliseconds(200), extraDelay: .milliseconds(200))
        let profile = LinkProfile(baseLatency: .milliseconds(10)).with(spike: spike)
        let run = runLink(profile, seed: 5, count: 100)
        let delay = { (i: Int) -> Duration in run.deliveries[i].0 - (Instant.zero + .milliseconds(20) * Int64(i)) }
        #expect(delay(49) == .milliseconds(10))
        #expect(delay(50) == .milliseconds(210))  // first packet inside the window
        // Packets sent just after the window queue behind the last delayed one.
        #expect(run.deliveries[60].0 == run.deliveries[59].0)
        #expect(delay(80) == .milliseconds(10))
    }

    @Test func presetsHaveTheirDocumentedLossRates() {
        #expect(LinkProfile.cleanLAN.loss.expectedLossRate == 0)
        #expect(abs(LinkProfile.lossyWiFi.loss.expectedLossRate - 0.0359) < 0.001)
        #expect(abs(LinkProfile.cellular.loss.expectedLossRate - 0.0162) < 0.001)
        #expect(LinkProfile.named("lossy-wifi") == .lossyWiFi)
        #expect(LinkProfile.named("nope") == nil)
    }

    @Test func virtualTimeLoopDriftsTheSenderClock() {
        let loop = VirtualTimeLoop(duration: .seconds(600), sendInterval: .milliseconds(20), senderDriftPPM: 100)
        // 30 000 nominal intervals of a 100 ppm fast sender take 600 s / 1.0001 of receiver time.
        let t = loop.sendInstant(30_000) - Instant.zero
        #expect(abs(t.seconds - 600 / 1.0001) < 1e-6)
    }
}

import Testing
import MediaCore
import RTP
@testable import Engine

/// Two sessions joined by a link with a fixed one-way delay, in virtual time.
struct SessionPair {
    let a: RTPAudioSession
    let b: RTPAudioSession
    static func make(seqA: UInt16 = 100, seqB: UInt16 = 65_500) -> SessionPair {
        // Different wall-clock anchors: the peers' clocks need not agree for RTT to work.
        let a = RTPAudioSession(send: RTPSendStream(ssrc: 0xA, payloadType: 111, clockRate: 48_000, initialSequence: seqA, initialTimestamp: 1_000),
                                cname: "a", wallClock: WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 3_900_000_000, fraction: 0)),
                                start: .zero, seed: 1)
        let b = RTPAudioSession(send: RTPSendStream(ssrc: 0xB, payloadType: 111, clockRate: 48_000, initialSequence: seqB, initialTimestamp: UInt32.max - 5_000),
                                cname: "b", wallClock: WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 3_800_000_123, fraction: 77)),
                                start: .zero, seed: 2)
        return SessionPair(a: a, b: b)
    }
}

@Suite struct RTPAudioSessionTests {
    @Test func packetizeAdvancesSequenceTimestampAndMarksTalkspurts() throws {
        var s = RTPSendStream(ssrc: 7, payloadType: 111, clockRate: 48_000, initialSequence: 65_535, initialTimestamp: UInt32.max - 100)
        let p1 = try RTPPacket(parsing: s.packetize(payload: [1, 2, 3], samples: 960, capturedAt: .zero, talkspurtStart: true))
        let p2 = try RTPPacket(parsing: s.packetize(payload: [4], samples: 960, capturedAt: .zero + .milliseconds(20), talkspurtStart: false))
        #expect(p1.marker && !p2.marker)
        #expect(p1.sequenceNumber == 65_535 && p2.sequenceNumber == 0)
        #expect(p2.timestamp == (UInt32.max - 100) &+ 960)
        #expect(Array(p1.payload) == [1, 2, 3])
        s.skip(samples: 960)
        #expect(s.nextTimestamp == (UInt32.max - 100) &+ 2_880)
        #expect(s.packetCount == 2 && s.octetCount == 4)
        // the SR timestamp extrapolates from the last packet's capture time
        #expect(s.rtpTimestamp(at: .zero + .milliseconds(30)) == (UInt32.max - 100) &+ 960 &+ 480)
    }

    @Test func reportsCarryLossJitterAndGiveTheRoundTripTime() throws {
        let pair = SessionPair.make()
        let oneWay = Duration.milliseconds(40)
        var now = Instant.zero
        // 5 s of 20 ms packets both ways; every 10th packet from A is lost.
        for i in 0..<250 {
            let pa = pair.a.packetize(payload: [0, 1, 2, 3][...], samples: 960, capturedAt: now, talkspurtStart: i == 0)
            let pb = pair.b.packetize(payload: [9][...], samples: 960, capturedAt: now, talkspurtStart: i == 0)
            if i % 10 != 5 { pair.b.received(try RTPPacket(parsing: pa), at: now + oneWay) }
            pair.a.received(try RTPPacket(parsing: pb), at: now + oneWay)
            for (from, to) in [(pair.a, pair.b), (pair.b, pair.a)] {
                if let report = from.handleTimeout(at: now) {
                    to.received(try RTCPCompoundPacket(parsing: report), at: now + oneWay)
                }
            }
            now += .milliseconds(20)
        }
        let a = pair.a.stats, b = pair.b.stats
        #expect(b.packetsReceived == 225 && b.packetsLost == 25)
        #expect(a.packetsLost == 0 && a.packetsReceived == 250)
        #expect(abs(a.remoteFractionLost - 0.1) < 0.02)   // B told A about A's loss
        #expect(b.jitterSeconds < 0.000_1)                 // fixed delay: no jitter
        let rtt = try #require(a.roundTripTime)
        #expect(abs(rtt.milliseconds - 80) < 1)
        #expect(abs(try #require(b.roundTripTime).milliseconds - 80) < 1)
        #expect(a.reportsSent >= 3 && a.reportsSent <= 10)   // ~1 per second over 5 s
    }

    @Test func receiverOnlySideSendsReceiverReportsWithCNAME() throws {
        let pair = SessionPair.make()
        pair.a.received(try RTPPacket(parsing: pair.b.packetize(payload: [1][...], samples: 960, capturedAt: .zero, talkspurtStart: true)), at: .zero)
        let report = try RTCPCompoundPacket(parsing: pair.a.makeReport(at: .zero + .seconds(1)))
        guard case .receiverReport(let rr) = report.packets.first else { Issue.record("expected RR first"); return }
        #expect(rr.ssrc == 0xA && rr.reportBlocks.first?.ssrc == 0xB)
        guard case .sourceDescription(let sdes) = report.packets.last else { Issue.record("expected SDES"); return }
        #expect(sdes.chunks.first?.cname.map { Array($0) } == Array("a".utf8))
    }

    @Test func jitterFollowsVariableDelayAndDuplicatesAreCounted() throws {
        var stats = RTPReceiveStatistics(ssrc: 1, clockRate: 48_000)
        for i in 0..<200 {
            // Arrivals alternate 0 and 10 ms late: |D| = 480 ticks each packet, so J → 480.
            let late: Int64 = i % 2 == 0 ? 0 : 10_000_000
            let arrival = Instant(nanoseconds: Int64(i) * 20_000_000 + late)
            stats.record(sequence: UInt16(truncatingIfNeeded: 65_400 + i), timestamp: UInt32(i * 960), payloadBytes: 10, arrival: arrival)
        }
        stats.record(sequence: UInt16(truncatingIfNeeded: 65_400 + 199), timestamp: 199 * 960, payloadBytes: 10, arrival: Instant(nanoseconds: 5_000_000_000))
        #expect(abs(Int(stats.jitter) - 480) < 10)
        #expect(stats.duplicates == 1)
        #expect(stats.packetsReceived == 200 && stats.cumulativeLost == 0)
        #expect(stats.extendedHighestSequence == UInt32(65_400 + 199))   // across the wrap
    }
}

import Foundation
import Testing
import Audio
import MediaCore
import TestSupport
@testable import Runtime

/// Waits (bounded) for a condition that another thread makes true.
func eventually(seconds: Double, _ condition: () -> Bool) -> Bool {
    for _ in 0..<Int(seconds * 200) {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// Samples of channel 0, from interleaved PCM.
func firstChannel(_ wav: WAVAudio) -> [Int16] {
    let all = wav.pcm16
    return wav.channels == 1 ? all : stride(from: 0, to: all.count, by: wav.channels).map { all[$0] }
}

/// Loopback only. Tests check what is heard, not how soon: a deeper playout ring keeps a loaded
/// 2-core machine from starving the simulated device (latency is the benchmark's business).
func loopbackConfiguration(ptime: UInt32 = 20) -> PeerConnection.Configuration {
    var c = PeerConnection.Configuration()
    c.localAddresses = ["127.0.0.1"]
    c.ptime = ptime
    c.playoutTarget = 4
    return c
}

@Suite(.serialized) struct PeerConnectionTests {
    let glib = GLibLoop()

    /// Two seconds of `signal` each way through simulated devices on both connected peers; each
    /// side must hear the other's. Segment by segment: on a loaded machine the jitter buffer
    /// stretches time, which a single global lag would count against a faithful copy.
    func exchangeChirps(_ a: PeerConnection, _ b: PeerConnection, signal: [Int16] = chirp(count: 48_000 * 2),
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let pa = a.takeAudioPorts()!, pb = b.takeAudioPorts()!
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: signal, recordSeconds: 2.6)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: signal, recordSeconds: 2.6)
        da.start(); db.start()
        usleep(2_700_000)
        let heardByA = da.stop(), heardByB = db.stop()
        for (who, heard, listener) in [("A", heardByA, a), ("B", heardByB, b)] {
            let match = segmentedMatch(sent: signal, received: heard, maxLag: 19_200, window: 9_600..<86_400, segment: 4_800)
            let peaks = (0..<heard.count / 4_800).map { i in heard[(i * 4_800)..<((i + 1) * 4_800)].map { abs(Int($0)) }.max() ?? 0 }
            let jb = listener.stats().map { s in
                "concealed \(s.inboundRTP.concealedSamples) in \(s.inboundRTP.concealmentEvents) events, accelerated away \(s.inboundRTP.removedSamplesForAcceleration), expanded \(s.inboundRTP.insertedSamplesForDeceleration)"
            } ?? "no stats"
            #expect(match.medianCorrelation > 0.7, "\(who) heard: median segment correlation \(match.medianCorrelation) at lag \(match.lag); peaks per 100 ms \(peaks); jitter buffer: \(jb)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Offer/answer, ICE, DTLS and audio both ways between two Swift peers on 127.0.0.1; what
    /// each hears matches what the other said.
    @Test(arguments: [UInt32(20), 10])
    func twoSwiftPeersCallEachOtherOnLoopback(ptime: UInt32) throws {
        let started = RuntimeClock.now()
        let a = PeerConnection(configuration: loopbackConfiguration(ptime: ptime), glib: glib)
        let b = PeerConnection(configuration: loopbackConfiguration(ptime: ptime), glib: glib)
        defer { a.close(); b.close() }
        let offer = try a.createOffer()
        #expect(offer.contains("127.0.0.1") && offer.contains("a=setup:actpass"))
        let answer = try b.createAnswer(offer: offer)
        try a.setRemoteAnswer(answer)
        #expect(eventually(seconds: 2) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        let connectedAfter = RuntimeClock.now() - started
        #expect(connectedAfter < .seconds(2), "set-up took \(connectedAfter)")

        exchangeChirps(a, b)
        let stats = try #require(b.stats())
        #expect(stats.inboundRTP.packetsReceived > 50)
        #expect(stats.outboundRTP.packetsSent > 50)
        #expect(stats.transport.srtpCipher == "SRTP_AEAD_AES_128_GCM")
    }

    /// A software peer on the call thread's own clock (`.callThread`, as the local endpoint runs its
    /// calls) against a device-driven one: ring operations and RTP packets wake nobody on that
    /// side, its thread ticks once per ptime on the 10 ms grid, and both still hear each other.
    @Test func callThreadClockPeerHearsAndIsHeard() throws {
        var ticked = loopbackConfiguration(ptime: 20)
        ticked.audioClock = .callThread
        ticked.playoutTarget = 4
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let b = PeerConnection(configuration: ticked, glib: glib)
        defer { a.close(); b.close() }
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        #expect(eventually(seconds: 2) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        exchangeChirps(a, b)
        let stats = try #require(b.stats())
        #expect(stats.inboundRTP.packetsReceived > 50)
        #expect(stats.outboundRTP.packetsSent > 50)
        // The jitter buffer ticks with the thread (a whole ptime per pull): a stretch never costs
        // more margin than it planned, so packets that arrive on time are not concealed (it had
        // concealed 1 in 3 of them when it counted 10 ms ticks under 20 ms pulls).
        #expect(stats.inboundRTP.concealmentEvents <= 3, "B's jitter buffer: \(stats.inboundRTP)")
    }

    /// Calls sharing one `CallLoop`, as the endpoint runs them: both calls connect, closing one
    /// from the test thread leaves the other running and heard both ways, and a connection
    /// closed from another's event handler (on the loop's own thread) neither deadlocks nor
    /// stalls the loop.
    @Test func callsSharingOneLoopConnectAndAreHeard() throws {
        let loop = CallLoop(name: "test-call")
        defer { loop.stop() }
        let bystander = PeerConnection(configuration: loopbackConfiguration(), glib: glib, callLoop: loop)
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib, callLoop: loop) { event in
            if event == .stateChanged(.connected) { bystander.close() }
        }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib, callLoop: loop)
        let c = PeerConnection(configuration: loopbackConfiguration(), glib: glib, callLoop: loop)
        let d = PeerConnection(configuration: loopbackConfiguration(), glib: glib, callLoop: loop)
        defer { a.close(); b.close(); c.close(); d.close() }
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        try c.setRemoteAnswer(try d.createAnswer(offer: try c.createOffer()))
        #expect(eventually(seconds: 2) { [a, b, c, d].allSatisfy { $0.stats()?.timeline.dtlsConnected != nil } })
        #expect(eventually(seconds: 1) { !bystander.running.load(ordering: .acquiring) })
        #expect(bystander.stats() == nil)
        c.close()
        d.close()
        exchangeChirps(a, b)
        #expect(try #require(b.stats()).inboundRTP.packetsReceived > 50)
    }

    /// Capture and playout clocks 100 ppm apart on each side (A fast, B slow): nothing piles up in
    /// the rings (capture is encoded as it arrives, playout is pulled on the device's demand and
    /// the jitter buffer stretches), and each side still hears the other.
    @Test func devicesDriftingHundredPPMApartStayInStep() throws {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close(); b.close() }
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        #expect(eventually(seconds: 2) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        let signal = chirp(count: 48_000 * 3)
        let pa = a.takeAudioPorts()!, pb = b.takeAudioPorts()!
        let captureA = pa.capture.ring, playoutB = pb.playout.ring
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: signal, recordSeconds: 3.6, driftPPM: 100)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: signal, recordSeconds: 3.6, driftPPM: -100)
        da.start(); db.start()
        var deepest = 0
        for _ in 0..<370 {
            usleep(10_000)
            deepest = max(deepest, captureA.availableFrames, playoutB.availableFrames)
        }
        let heardByA = da.stop(), heardByB = db.stop()
        #expect(deepest <= 6, "a ring held \(deepest) frames: something is not keeping up")
        #expect(da.captureOverflows == 0 && db.captureOverflows == 0)
        for heard in [heardByA, heardByB] {
            let match = segmentedMatch(sent: signal, received: heard, maxLag: 19_200, window: 9_600..<134_400, segment: 4_800)
            #expect(match.medianCorrelation > 0.7, "median segment correlation \(match.medianCorrelation) at lag \(match.lag)")
        }
    }

    /// An offer listing only PCMU (a telephony peer): both Swift peers send G.711 µ-law at 8 kHz and
    /// hear a telephone-band chirp.
    @Test func pcmuOnlyOfferCallsWithG711() throws {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close(); b.close() }
        let offer = pcmuOnly(try a.createOffer())
        #expect(offer.contains("/SAVPF 0\r\n") && !offer.contains("opus"))
        let answer = try b.createAnswer(offer: offer)
        #expect(answer.contains("/SAVPF 0\r\n") && !answer.contains("opus"))
        try a.setRemoteAnswer(answer)
        #expect(eventually(seconds: 2) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        exchangeChirps(a, b, signal: chirp(count: 48_000 * 2, f0: 300, f1: 3_300))
        let stats = try #require(b.stats())
        #expect(stats.inboundRTP.packetsReceived > 50)
        #expect(stats.outboundRTP.packetsSent > 50)
    }

    @Test func answerToGarbageIsATypedError() throws {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close() }
        #expect(throws: PeerConnectionError.self) { _ = try a.createAnswer(offer: "v=0\r\ngarbage\r\n") }
        #expect(throws: PeerConnectionError.self) { try a.setRemoteAnswer("v=0\r\n") }
    }
}

/// The offer with its audio m-line cut down to PCMU (payload type 0) alone.
func pcmuOnly(_ sdp: String) -> String {
    var kept: [Substring] = []
    var inAudio = false
    for line in sdp.split(separator: "\r\n", omittingEmptySubsequences: true) {
        if line.hasPrefix("m=") { inAudio = line.hasPrefix("m=audio") }
        if inAudio, line.hasPrefix("m=audio") {
            let fields = line.split(separator: " ")
            kept.append(fields.prefix(3).joined(separator: " ")[...] + " 0")
            continue
        }
        if inAudio, line.hasPrefix("a=rtpmap:") || line.hasPrefix("a=fmtp:") || line.hasPrefix("a=rtcp-fb:"),
           !line.hasPrefix("a=rtpmap:0 ") { continue }
        kept.append(line)
    }
    return kept.joined(separator: "\r\n") + "\r\n"
}

/// The playout schedule alone: when the call thread refills, given when it sees the device pop.
@Suite struct PlayoutScheduleTests {
    let t0 = Instant(nanoseconds: 1_000_000_000)

    @Test func tenMillisecondLeadRefillsRightAfterEachPop() {
        var s = PlayoutSchedule(lead: .milliseconds(10))
        #expect(s.frames == 1)
        let primed = s.refillIsDue(popAttempts: 0, at: t0)
        #expect(primed, "primes the ring before the device starts")
        s.refilled(at: t0)
        let early = s.refillIsDue(popAttempts: 0, at: t0 + .milliseconds(5))
        let afterPop = s.refillIsDue(popAttempts: 1, at: t0 + .milliseconds(10))
        #expect(!early && afterPop)
    }

    @Test func shortLeadWaitsUntilJustBeforeTheNextPop() {
        var s = PlayoutSchedule(lead: .milliseconds(3))
        _ = s.refillIsDue(popAttempts: 0, at: t0); s.refilled(at: t0)
        let atPop = s.refillIsDue(popAttempts: 1, at: t0)
        #expect(!atPop)
        #expect(s.refillDue == t0 + .milliseconds(7))
        let before = s.refillIsDue(popAttempts: 1, at: t0 + .milliseconds(6))
        let due = s.refillIsDue(popAttempts: 1, at: t0 + .milliseconds(7))
        #expect(!before && due)
        s.refilled(at: t0)
        #expect(s.refillDue == nil)
    }

    @Test func leadFollowsHowLateTheCallThreadRunsAndJumpsBackOnAnUnderflow() {
        var s = PlayoutSchedule(lead: .milliseconds(10))
        #expect(s.adaptive)
        _ = s.refillIsDue(popAttempts: 0, at: t0); s.refilled(at: t0)
        // Punctual refills: the lead shrinks to the floor.
        var pop = t0
        for k in 1...5 {
            pop = t0 + .milliseconds(10 * k)
            _ = s.refillIsDue(popAttempts: k, at: pop)
            s.refilled(at: s.refillDue ?? pop)
        }
        #expect(s.lead == PlayoutSchedule.minimumLead)
        // One refill 2 ms late: lead = 2 ms + margin, held for the window.
        _ = s.refillIsDue(popAttempts: 6, at: pop + .milliseconds(10))
        s.refilled(at: s.refillDue! + .milliseconds(2))
        #expect(s.lead == .milliseconds(2) + PlayoutSchedule.margin)
        // An underflow: back to the configured lead.
        _ = s.refillIsDue(popAttempts: 8, underflows: 1, at: pop + .milliseconds(30))
        #expect(s.lead == .milliseconds(10))
        #expect(!PlayoutSchedule(lead: .milliseconds(40)).adaptive)
    }

    @Test func aLateWakeUpMovesThePopEstimateOnlySlightly() {
        var s = PlayoutSchedule(lead: .milliseconds(3))
        _ = s.refillIsDue(popAttempts: 0, at: t0); s.refilled(at: t0)
        _ = s.refillIsDue(popAttempts: 1, at: t0); s.refilled(at: t0)
        // Woken 1.6 ms after the predicted pop: the estimate moves 0.1 ms.
        _ = s.refillIsDue(popAttempts: 2, at: t0 + .milliseconds(10) + .microseconds(1_600))
        #expect(s.lastPop == t0 + .milliseconds(10) + .microseconds(100))
        // Woken before the prediction: the pop was certainly no later, so the estimate follows.
        _ = s.refillIsDue(popAttempts: 3, at: t0 + .milliseconds(19) + .microseconds(900))
        #expect(s.lastPop == t0 + .milliseconds(19) + .microseconds(900))
    }

    /// `media-playout`: each refilled frame's wait until its pop, summed over its samples.
    @Test func playoutDelayCountsEachRefilledFramesWaitUntilItsPop() {
        var s = PlayoutSchedule(lead: .milliseconds(3))
        _ = s.refillIsDue(popAttempts: 0, at: t0); s.refilled(at: t0, added: 1, samplesPerFrame: 480)
        #expect(s.statistics.totalSamplesCount == 0, "the priming refill has no pop to wait for yet")
        _ = s.refillIsDue(popAttempts: 1, at: t0)
        s.refilled(at: t0 + .milliseconds(7) + .microseconds(500), added: 1, samplesPerFrame: 480)   // 0.5 ms late
        #expect(s.statistics.totalSamplesCount == 480)
        #expect(abs(s.statistics.totalPlayoutDelay - 0.0025 * 480) < 1e-9)
        // Two frames at once (lead 15 ms, ring refilled from empty): the last waits the lead, the
        // first a period less.
        var two = PlayoutSchedule(lead: .milliseconds(15))
        _ = two.refillIsDue(popAttempts: 0, at: t0); two.refilled(at: t0)
        _ = two.refillIsDue(popAttempts: 2, underflows: 0, at: t0)
        two.refilled(at: two.refillDue!, added: 2, samplesPerFrame: 240)
        #expect(abs(two.statistics.totalPlayoutDelay - (0.015 + 0.005) * 240) < 1e-9)
        #expect(two.statistics.totalSamplesCount == 480)
    }

    @Test func leadsOverOneFrameKeepWholeFramesQueued() {
        #expect(PlayoutSchedule(lead: .milliseconds(20)).frames == 2)
        #expect(PlayoutSchedule(lead: .milliseconds(15)).frames == 2)
        var s = PlayoutSchedule(lead: .milliseconds(15))
        _ = s.refillIsDue(popAttempts: 0, at: t0); s.refilled(at: t0)
        _ = s.refillIsDue(popAttempts: 1, at: t0)
        #expect(s.refillDue == t0 + .milliseconds(5))
    }
}

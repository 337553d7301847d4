import Testing
import TestSupport
import Audio
import DTLS
import MediaCore
import NetSim
import SDP
@testable import Engine

/// Two PeerSessions joined by simulated links, driven in virtual time. ICE is outside the engine,
/// so the two sessions' datagrams go straight into the links.
final class VirtualCall {
    let offerer: PeerSession
    let answerer: PeerSession
    var toAnswerer: SimulatedLink<[UInt8]>
    var toOfferer: SimulatedLink<[UInt8]>
    var now = Instant.zero
    var offererEvents: [PeerSession.Event] = []
    var answererEvents: [PeerSession.Event] = []

    /// `answererDTX`: the answerer's DTX policy (with `.on` it also asks for DTX in its answer).
    /// `answererSampleRate`: the PCM rate of the answerer's engine (the offerer's is 48 kHz).
    init(profile: LinkProfile, ptime: UInt32 = 20, answererDTX: PeerSession.DTXPolicy = .whenPeerPrefers,
         answererSampleRate: Int = 48_000) throws {
        func local(_ name: String, ssrc: UInt32, askingForDTX: Bool = false) -> LocalParameters {
            LocalParameters(iceUfrag: "u\(name)", icePwd: "p\(name)p\(name)p\(name)p\(name)p\(name)pp",
                            fingerprints: [DTLSCertificate.shared.fingerprint], ssrc: ssrc, cname: name,
                            msid: MSID(streamID: name), ptime: ptime, codecs: LocalParameters.defaultCodecs(askingForDTX: askingForDTX),
                            sessionID: UInt64(ssrc))
        }
        let clock = WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 3_900_000_000, fraction: 0))
        var answererConfiguration = PeerSession.Configuration()
        answererConfiguration.dtx = answererDTX
        answererConfiguration.sampleRate = answererSampleRate
        offerer = try PeerSession(local: local("a", ssrc: 0x1111), wallClock: clock, seed: 1)
        answerer = try PeerSession(local: local("b", ssrc: 0x2222, askingForDTX: answererDTX == .on),
                                   configuration: answererConfiguration, wallClock: clock, seed: 2)
        toAnswerer = SimulatedLink(profile: profile, seed: 11)
        toOfferer = SimulatedLink(profile: profile, seed: 12)
        let offer = offerer.createOffer()
        let answer = try answerer.answer(offer: offer, at: now)
        try offerer.acceptAnswer(answer, at: now)
        offerer.startTransport(at: now)
        answerer.startTransport(at: now)
    }

    /// Moves time forward by `step`, delivering what arrived and firing due timers.
    func advance(by step: Duration) {
        now += step
        for (session, inbound) in [(answerer, 0), (offerer, 1)] {
            let arrivals = inbound == 0 ? toAnswerer.receive(upTo: now) : toOfferer.receive(upTo: now)
            for (_, d) in arrivals { session.handle(datagram: d, at: now) }
            if let t = session.pollTimeout(), t <= now { session.handleTimeout(at: now) }
        }
        flush()
    }

    func flush() {
        while let d = offerer.pollTransmit() { toAnswerer.send(d, at: now) }
        while let d = answerer.pollTransmit() { toOfferer.send(d, at: now) }
        while let e = offerer.pollEvent() { offererEvents.append(e) }
        while let e = answerer.pollEvent() { answererEvents.append(e) }
    }

    var connected: Bool {
        offererEvents.contains { if case .dtlsConnected = $0 { return true }; return false }
            && answererEvents.contains { if case .dtlsConnected = $0 { return true }; return false }
    }
}

@Suite struct PeerSessionScenarioTests {
    /// Offer/answer, DTLS-SRTP and 3 s of a chirp each way over a Wi-Fi-like link: what comes out
    /// of each jitter buffer matches what went in on the other side.
    @Test(arguments: [UInt32(20), 10])
    func audioFlowsBothWaysAndMatchesBySignalShape(ptime: UInt32) throws {
        let call = try VirtualCall(profile: .wifi, ptime: ptime)
        for _ in 0..<200 where !call.connected { call.advance(by: .milliseconds(1)) }
        #expect(call.connected)
        #expect(call.offerer.negotiated?.dtlsRole == .server)   // the answerer is active
        let frame = Int(ptime) * 48
        let signal = chirp(count: 48_000 * 3)
        var heardByAnswerer: [Int16] = [], heardByOfferer: [Int16] = []
        var tick = [Int16](repeating: 0, count: 480)
        for step in 0..<(300 + 50) {   // 10 ms steps: 3 s of audio, then 0.5 s to drain
            let start = (step * 480 / frame) * frame
            if step * 480 % frame == 0, start + frame <= signal.count {
                signal[start..<start + frame].withUnsafeBufferPointer { call.offerer.sendAudio($0, capturedAt: call.now) }
                signal[start..<start + frame].withUnsafeBufferPointer { call.answerer.sendAudio($0, capturedAt: call.now) }
                call.flush()
            }
            call.advance(by: .milliseconds(10))
            tick.withUnsafeMutableBufferPointer { call.answerer.pullAudio(into: $0, at: call.now) }
            heardByAnswerer += tick
            tick.withUnsafeMutableBufferPointer { call.offerer.pullAudio(into: $0, at: call.now) }
            heardByOfferer += tick
        }
        for heard in [heardByAnswerer, heardByOfferer] {
            let match = bestAlignment(sent: signal, received: heard, maxLag: 9_600, window: 24_000..<96_000)
            print("ptime \(ptime): correlation \(match.correlation) at lag \(match.lag)")
            #expect(match.correlation > 0.7, "correlation \(match.correlation) at lag \(match.lag)")
            #expect(match.lag > 0 && match.lag < 9_600)
        }
        let stats = call.answerer.stats
        #expect(stats.srtpProfile == .aeadAES128GCM)
        #expect(stats.rtp.packetsReceived > 100)
        #expect(stats.rtp.roundTripTime != nil)
        #expect(call.answererEvents.contains(.remoteTrackStarted(0x1111)))
    }

    /// A 24 kHz engine (the endpoint's) talks to a 48 kHz one: Opus codes each side's own rate,
    /// the wire keeps the 48 kHz RTP clock, and each side hears the other's chirp at its rate.
    @Test func aTwentyFourKilohertzEngineTalksToAFortyEightKilohertzOne() throws {
        let call = try VirtualCall(profile: .wifi, answererSampleRate: 24_000)
        for _ in 0..<200 where !call.connected { call.advance(by: .milliseconds(1)) }
        #expect(call.connected)
        let wide = chirp(count: 48_000 * 3), narrow = chirp(count: 24_000 * 3, sampleRate: 24_000)
        var heardByAnswerer: [Int16] = [], heardByOfferer: [Int16] = []
        var tick48 = [Int16](repeating: 0, count: 480), tick24 = [Int16](repeating: 0, count: 240)
        for step in 0..<(300 + 50) {
            if step % 2 == 0, (step + 2) * 480 <= wide.count {
                wide[step * 480..<(step + 2) * 480].withUnsafeBufferPointer { call.offerer.sendAudio($0, capturedAt: call.now) }
                narrow[step * 240..<(step + 2) * 240].withUnsafeBufferPointer { call.answerer.sendAudio($0, capturedAt: call.now) }
                call.flush()
            }
            call.advance(by: .milliseconds(10))
            tick24.withUnsafeMutableBufferPointer { call.answerer.pullAudio(into: $0, at: call.now) }
            heardByAnswerer += tick24
            tick48.withUnsafeMutableBufferPointer { call.offerer.pullAudio(into: $0, at: call.now) }
            heardByOfferer += tick48
        }
        let atAnswerer = bestAlignment(sent: narrow, received: heardByAnswerer, maxLag: 4_800, window: 12_000..<48_000)
        let atOfferer = bestAlignment(sent: wide, received: heardByOfferer, maxLag: 9_600, window: 24_000..<96_000)
        #expect(atAnswerer.correlation > 0.7, "24 kHz side: correlation \(atAnswerer.correlation) at lag \(atAnswerer.lag)")
        #expect(atOfferer.correlation > 0.7, "48 kHz side: correlation \(atOfferer.correlation) at lag \(atOfferer.lag)")
        // Both read the same 48 kHz media clock off the wire: no more concealment than the link causes.
        for stats in [call.answerer.stats.jitterBuffer, call.offerer.stats.jitterBuffer] {
            #expect(stats.concealmentEvents <= 3)
        }
        #expect(throws: PeerSessionError.self) {
            var c = PeerSession.Configuration(); c.sampleRate = 44_100
            _ = try PeerSession(local: call.offerer.local, configuration: c,
                                wallClock: WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 0, fraction: 0)), seed: 3)
        }
    }

    @Test func fingerprintMismatchFailsTheCall() throws {
        let clock = WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 1, fraction: 0))
        let other = try DTLSCertificate(commonName: "impostor")
        let a = try PeerSession(local: LocalParameters(iceUfrag: "ua", icePwd: String(repeating: "a", count: 24),
                                                       fingerprints: [DTLSCertificate.shared.fingerprint], ssrc: 1, cname: "a",
                                                       msid: MSID(streamID: "a"), sessionID: 1), wallClock: clock, seed: 1)
        // b announces the shared certificate's fingerprint but actually uses another one
        let b = try PeerSession(local: LocalParameters(iceUfrag: "ub", icePwd: String(repeating: "b", count: 24),
                                                       fingerprints: [DTLSCertificate.shared.fingerprint], ssrc: 2, cname: "b",
                                                       msid: MSID(streamID: "b"), sessionID: 2),
                                certificate: other, wallClock: clock, seed: 2)
        let answer = try b.answer(offer: a.createOffer(), at: .zero)
        try a.acceptAnswer(answer, at: .zero)
        a.startTransport(at: .zero); b.startTransport(at: .zero)
        var eventsA: [PeerSession.Event] = []
        for _ in 0..<20 {
            while let d = a.pollTransmit() { b.handle(datagram: d, at: .zero) }
            while let d = b.pollTransmit() { a.handle(datagram: d, at: .zero) }
            while let e = a.pollEvent() { eventsA.append(e) }
            while b.pollEvent() != nil {}
        }
        let failure = eventsA.compactMap { if case .failed(let e) = $0 { return e }; return nil }.first
        guard case .dtls(.fingerprintMismatch) = failure else { Issue.record("expected a fingerprint mismatch, got \(eventsA)"); return }
    }

    @Test func garbageAndForgedMediaAreDroppedAndCounted() throws {
        let call = try VirtualCall(profile: .cleanLAN)
        for _ in 0..<200 where !call.connected { call.advance(by: .milliseconds(1)) }
        let before = call.answerer.stats
        call.answerer.handle(datagram: [0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0x11, 0x11] + Array(repeating: 1, count: 40), at: call.now)
        call.answerer.handle(datagram: [], at: call.now)
        call.answerer.handle(datagram: [0xFF, 1, 2], at: call.now)
        call.answerer.handle(datagram: [23, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4], at: call.now)
        let after = call.answerer.stats
        #expect(after.srtp!.authenticationFailures == before.srtp!.authenticationFailures + 1)
        #expect(after.droppedDatagrams == before.droppedDatagrams + 2)
        #expect(call.answerer.pollEvent() == nil)   // nothing failed
    }

    @Test func answerBeforeOfferAndMalformedSDPAreRefused() throws {
        let clock = WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 1, fraction: 0))
        let s = try PeerSession(local: LocalParameters(iceUfrag: "ua", icePwd: String(repeating: "a", count: 24),
                                                       fingerprints: [DTLSCertificate.shared.fingerprint], ssrc: 1, cname: "a",
                                                       msid: MSID(streamID: "a"), sessionID: 1), wallClock: clock, seed: 1)
        #expect(throws: PeerSessionError.self) { try s.acceptAnswer("v=0\r\n", at: .zero) }
        #expect(throws: PeerSessionError.self) { _ = try s.answer(offer: "not sdp at all", at: .zero) }
    }
}

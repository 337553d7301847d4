import Testing
import TestSupport
import Audio
import DTLS
import MediaCore
import NetSim
import RTP
import SDP
@testable import Engine

/// G.711 calls between two PeerSessions in virtual time: the offerer offers only PCMU (or PCMA),
/// so both sides send it, at the 8 kHz RTP clock, resampled around the 48 kHz engine.
@Suite struct PeerSessionG711Tests {
    struct Call {
        let offerer: PeerSession
        let answerer: PeerSession
        var toAnswerer: SimulatedLink<[UInt8]>
        var toOfferer: SimulatedLink<[UInt8]>
        var now = Instant.zero
        /// RTP packets the offerer sent (decrypted view not needed: headers are in the clear).
        var sentByOfferer: [[UInt8]] = []
        let profile: LinkProfile

        /// Drains what the clean links still carry, then puts the profile's links in their place.
        mutating func useProfileLinks() {
            advance(by: .milliseconds(5))
            toAnswerer = SimulatedLink(profile: profile, seed: 21)
            toOfferer = SimulatedLink(profile: profile, seed: 22)
        }

        init(codec: AudioCodec, ptime: UInt32, profile: LinkProfile) throws {
            func local(_ name: String, ssrc: UInt32, codecs: [AudioCodec]) -> LocalParameters {
                LocalParameters(iceUfrag: "u\(name)", icePwd: "p\(name)p\(name)p\(name)p\(name)p\(name)pp",
                                fingerprints: [DTLSCertificate.shared.fingerprint], ssrc: ssrc, cname: name,
                                msid: MSID(streamID: name), ptime: ptime, codecs: codecs, sessionID: UInt64(ssrc))
            }
            let clock = WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 3_900_000_000, fraction: 0))
            offerer = try PeerSession(local: local("a", ssrc: 0x1111, codecs: [codec]), wallClock: clock, seed: 1)
            answerer = try PeerSession(local: local("b", ssrc: 0x2222, codecs: [.opus(), .pcmu, .pcma]), wallClock: clock, seed: 2)
            // The handshake runs over a clean link: OpenSSL times DTLS retransmissions on its own
            // clock, so a lost flight would wait real time (see README, Design). `useLinks` then
            // switches to the profile under test.
            toAnswerer = SimulatedLink(profile: .cleanLAN, seed: 21)
            toOfferer = SimulatedLink(profile: .cleanLAN, seed: 22)
            self.profile = profile
            let answer = try answerer.answer(offer: offerer.createOffer(), at: now)
            try offerer.acceptAnswer(answer, at: now)
            offerer.startTransport(at: now)
            answerer.startTransport(at: now)
        }

        mutating func advance(by step: Duration) {
            now += step
            for (_, d) in toAnswerer.receive(upTo: now) { answerer.handle(datagram: d, at: now) }
            for (_, d) in toOfferer.receive(upTo: now) { offerer.handle(datagram: d, at: now) }
            for s in [offerer, answerer] { if let t = s.pollTimeout(), t <= now { s.handleTimeout(at: now) } }
            flush()
        }

        mutating func flush() {
            while let d = offerer.pollTransmit() {
                if PacketClass(datagram: d) == .rtpOrRTCP, !PacketClass.isRTCP(d) { sentByOfferer.append(d) }
                toAnswerer.send(d, at: now)
            }
            while let d = answerer.pollTransmit() { toOfferer.send(d, at: now) }
            while offerer.pollEvent() != nil {}
            while answerer.pollEvent() != nil {}
        }
    }

    /// A 300–3300 Hz chirp (the telephone band) each way: both sides negotiate the offered law and
    /// hear the other's chirp; packets carry payload type 0/8, one byte per 8 kHz sample, and
    /// timestamps that step by ptime × 8.
    @Test(arguments: [(AudioCodec.pcmu, UInt32(20)), (.pcmu, 10), (.pcma, 20)])
    func g711OnlyOfferCarriesTheChirpBothWays(codec: AudioCodec, ptime: UInt32) throws {
        var call = try Call(codec: codec, ptime: ptime, profile: .wifi)
        for _ in 0..<200 where call.offerer.stats.srtpProfile == nil || call.answerer.stats.srtpProfile == nil {
            call.advance(by: .milliseconds(1))
        }
        call.useProfileLinks()
        #expect(call.offerer.negotiated?.audio?.codec == codec.name)
        #expect(call.answerer.negotiated?.audio?.codec == codec.name)
        let frame = Int(ptime) * 48
        let signal = chirp(count: 48_000 * 3, f0: 300, f1: 3_300)
        var heardByAnswerer: [Int16] = [], heardByOfferer: [Int16] = []
        var tick = [Int16](repeating: 0, count: 480)
        for step in 0..<350 {
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
            let match = segmentedMatch(sent: signal, received: heard, maxLag: 9_600, window: 24_000..<120_000, segment: 9_600)
            #expect(match.medianCorrelation > 0.8, "median correlation \(match.medianCorrelation) at lag \(match.lag)")
        }
        // SRTP leaves the RTP header in the clear: payload type and timestamp steps are visible.
        let headers = call.sentByOfferer.compactMap { try? RTPPacket(parsing: $0) }
        #expect(headers.count > 100)
        #expect(headers.allSatisfy { $0.payloadType == codec.payloadType })
        let steps = zip(headers, headers.dropFirst()).map { $1.timestamp &- $0.timestamp }
        #expect(steps.allSatisfy { $0 == ptime * 8 })
        #expect(call.answerer.stats.jitterBuffer.normalDecodes > 100)
    }
}

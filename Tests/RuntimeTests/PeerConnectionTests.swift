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

        let signal = chirp(count: 48_000 * 2)
        let pa = a.takeAudioPorts()!, pb = b.takeAudioPorts()!
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: signal, recordSeconds: 2.6)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: signal, recordSeconds: 2.6)
        da.start(); db.start()
        usleep(2_700_000)
        let heardByA = da.stop(), heardByB = db.stop()
        // Segment by segment: on a loaded machine the jitter buffer stretches time, which a single
        // global lag would count against a faithful copy.
        for heard in [heardByA, heardByB] {
            let match = segmentedMatch(sent: signal, received: heard, maxLag: 19_200, window: 9_600..<86_400, segment: 4_800)
            #expect(match.medianCorrelation > 0.7, "median segment correlation \(match.medianCorrelation) at lag \(match.lag)")
        }
        let stats = try #require(b.stats())
        #expect(stats.inboundRTP.packetsReceived > 50)
        #expect(stats.outboundRTP.packetsSent > 50)
        #expect(stats.transport.srtpCipher == "SRTP_AEAD_AES_128_GCM")
    }

    @Test func answerToGarbageIsATypedError() throws {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close() }
        #expect(throws: PeerConnectionError.self) { _ = try a.createAnswer(offer: "v=0\r\ngarbage\r\n") }
        #expect(throws: PeerConnectionError.self) { try a.setRemoteAnswer("v=0\r\n") }
    }
}

import Foundation
import Glibc
import Testing
import Audio
import MediaCore
import TestSupport
@testable import Runtime

/// Events a PeerConnection reported, collected across threads.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [PeerConnection.Event] = []
    func record(_ e: PeerConnection.Event) { lock.lock(); events.append(e); lock.unlock() }
    var all: [PeerConnection.Event] { lock.lock(); defer { lock.unlock() }; return events }
    var failures: [String] { all.compactMap { if case .failed(let r) = $0 { return r }; return nil } }
}

@Suite(.serialized) struct PeerConnectionFailureTests {
    let glib = GLibLoop()

    @Test func callWithNoAnswerFailsAtTheSetupTimeoutWithAReason() throws {
        var c = loopbackConfiguration()
        c.setupTimeout = .milliseconds(300)
        let events = EventRecorder()
        let a = PeerConnection(configuration: c, glib: glib) { events.record($0) }
        defer { a.close() }
        _ = try a.createOffer()
        #expect(eventually(seconds: 3) { !events.failures.isEmpty })
        #expect(events.failures.first?.contains("set-up timed out") == true)
        #expect(events.all.contains(.stateChanged(.failed)))
    }

    /// A peer that hangs up sends close_notify: the call ends as `closed`, not as a failure.
    @Test func peerThatHangsUpIsSeenClosed() throws {
        let events = EventRecorder()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { events.record($0) }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close() }
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        #expect(eventually(seconds: 3) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        b.close()
        #expect(eventually(seconds: 3) { events.all.contains(.stateChanged(.closed)) })
        #expect(events.failures.isEmpty)
    }

    /// A peer killed mid-call says nothing: once its media stops for `inactivityTimeout` the call
    /// is reported `disconnected`. The peer is an aiortc process, killed with SIGKILL.
    @Test func peerKilledMidCallIsReportedDisconnected() throws {
        guard let python = interopPython() else { Issue.record("no interop Python: run scripts/setup.sh interop"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let play = dir.appendingPathComponent("tone.wav").path
        try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(chirp(count: 48_000 * 20))).write(to: play)
        let script = packageRoot().appendingPathComponent("Tests/Interop/aiortc_peer.py").path
        let peer = try LineProcess(executable: python, arguments: [script, "--role", "answer", "--play", play, "--seconds", "30"])
        defer { peer.terminate() }
        var c = loopbackConfiguration()
        c.inactivityTimeout = .milliseconds(500)
        let events = EventRecorder()
        let a = PeerConnection(configuration: c, glib: glib) { events.record($0) }
        defer { a.close() }
        try peer.send(["type": "offer", "sdp": try a.createOffer()])
        let answer = try #require(peer.receive(seconds: 10)?["sdp"] as? String)
        try a.setRemoteAnswer(answer)
        #expect(eventually(seconds: 5) { (a.stats()?.inboundRTP.packetsReceived ?? 0) > 20 })
        #expect(!events.all.contains(.iceStateChanged(.disconnected)))
        kill(peer.process.processIdentifier, SIGKILL)
        #expect(eventually(seconds: 3) { events.all.contains(.iceStateChanged(.disconnected)) })
    }

    /// Random bytes, truncated DTLS records and RTP-shaped junk sent at the call's UDP port from a
    /// stranger: dropped, and the call carries on.
    @Test func garbageAtTheCallsPortIsDroppedAndTheCallGoesOn() throws {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close(); b.close() }
        let offer = try a.createOffer()
        try a.setRemoteAnswer(try b.createAnswer(offer: offer))
        #expect(eventually(seconds: 3) { a.stats()?.timeline.dtlsConnected != nil })
        let signal = chirp(count: 48_000 * 2)
        guard let pa = a.takeAudioPorts(), let pb = b.takeAudioPorts() else { return }
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: signal, recordSeconds: 2.5)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: signal, recordSeconds: 2.5)
        da.start(); db.start()

        // The offerer's UDP port, from its host candidate.
        let port = offer.split(separator: "\r\n").first { $0.hasPrefix("a=candidate:") && $0.contains("127.0.0.1") }
            .flatMap { $0.split(separator: " ").dropFirst(5).first }.flatMap { UInt16($0) }
        let target = try #require(port)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = target.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var rng = SystemRandomNumberGenerator()
        for i in 0..<300 {
            var junk: [UInt8] = (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            switch i % 3 {
            case 0: junk[0] = 22                     // looks like a DTLS handshake record
            case 1: junk[0] = 0x80; if junk.count > 1 { junk[1] = 111 }   // looks like RTP
            default: break
            }
            _ = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, junk, junk.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            usleep(2_000)
        }
        usleep(1_000_000)
        let heardByB = db.stop(); da.stop()
        let match = segmentedMatch(sent: signal, received: heardByB, maxLag: 19_200, window: 9_600..<86_400, segment: 4_800)
        #expect(match.medianCorrelation > 0.7, "audio after the garbage: \(match)")
        let stats = try #require(a.stats())
        #expect(stats.transport.dtlsState == "connected")
        #expect(stats.transport.srtpAuthenticationFailures >= 0)
    }
}

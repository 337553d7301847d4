import Foundation
import Glibc
import Testing
import Audio
import MediaCore
import TestSupport
@testable import Runtime

extension EventRecorder {
    var iceCandidates: [String] { all.compactMap { if case .iceCandidate(let c) = $0 { return c }; return nil } }
    var iceStates: [ICEConnectionState] { all.compactMap { if case .iceStateChanged(let s) = $0 { return s }; return nil } }
}

/// The description without its `a=candidate` and `a=end-of-candidates` lines: what a trickling
/// peer sends before it has gathered anything.
func withoutCandidates(_ sdp: String) -> String {
    sdp.components(separatedBy: "\r\n").filter { !$0.hasPrefix("a=candidate:") && $0 != "a=end-of-candidates" }.joined(separator: "\r\n")
}

/// The value of the first `a=<name>:` line.
func attribute(_ name: String, in sdp: String) -> String? {
    sdp.components(separatedBy: "\r\n").first { $0.hasPrefix("a=\(name):") }.map { String($0.dropFirst(name.count + 3)) }
}

/// Trickle ICE and ICE restart on the PeerConnection API, between two Swift peers on loopback.
@Suite(.serialized) struct PeerConnectionICETests {
    let glib = GLibLoop()

    /// Descriptions carry no candidates at all; the call still comes up because each side's
    /// candidates reach the other as trickled `.iceCandidate` events.
    @Test func trickledCandidatesAloneConnectTheCall() throws {
        let ea = EventRecorder(), eb = EventRecorder()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { ea.record($0) }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { eb.record($0) }
        defer { a.close(); b.close() }
        let offer = withoutCandidates(try a.createTrickleOffer())
        #expect(throws: PeerConnectionError.self) { try a.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.1 9 typ host") }
        let answer = withoutCandidates(try b.createTrickleAnswer(offer: offer))
        try a.setRemoteAnswer(answer)
        #expect(eventually(seconds: 5) { ea.all.contains(.iceGatheringComplete) && eb.all.contains(.iceGatheringComplete) })
        #expect(!ea.iceCandidates.isEmpty && !eb.iceCandidates.isEmpty)
        // Without the trickled candidates nobody knows an address to check.
        #expect(a.stats()?.timeline.iceConnected == nil)
        for c in ea.iceCandidates { try b.addRemoteCandidate(c) }
        for c in eb.iceCandidates { try a.addRemoteCandidate("a=" + c) }
        try a.addRemoteCandidate("")     // end-of-candidates, W3C style
        b.endOfRemoteCandidates()
        #expect(eventually(seconds: 5) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
    }

    /// The waiting `createOffer` reports each candidate it puts in the offer as an event too.
    @Test func gatheredCandidatesAreReportedAsEventsAndInTheOffer() throws {
        let ea = EventRecorder()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { ea.record($0) }
        defer { a.close() }
        let offer = try a.createOffer()
        #expect(offer.contains("a=end-of-candidates"))
        #expect(eventually(seconds: 2) { ea.all.contains(.iceGatheringComplete) })
        #expect(!ea.iceCandidates.isEmpty)
        for c in ea.iceCandidates { #expect(offer.contains("a=" + c), "\(c) missing from the offer") }
    }

    @Test func restartBeforeAnyAnswerIsAWrongStateError() throws {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close() }
        #expect(throws: PeerConnectionError.self) { _ = try a.restartICE() }
        _ = try a.createOffer()
        #expect(throws: PeerConnectionError.self) { _ = try a.restartICE() }
    }

    /// An ICE restart mid-call: both sides take new credentials, checks run again and select a
    /// pair, while DTLS (no new handshake) and the audio carry on; what each side hears over the
    /// whole call, restart included, matches what the other said.
    @Test(arguments: [true, false])
    func iceRestartKeepsAudioFlowingWithoutANewHandshake(offererRestarts: Bool) throws {
        let ea = EventRecorder(), eb = EventRecorder()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { ea.record($0) }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { eb.record($0) }
        defer { a.close(); b.close() }
        let offer = try a.createOffer()
        let answer = try b.createAnswer(offer: offer)
        try a.setRemoteAnswer(answer)
        #expect(eventually(seconds: 3) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        let handshakeA = a.stats()?.timeline.dtlsConnected, handshakeB = b.stats()?.timeline.dtlsConnected

        let signal = chirp(count: 48_000 * 4)
        guard let pa = a.takeAudioPorts(), let pb = b.takeAudioPorts() else { Issue.record("audio ports taken"); return }
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: signal, recordSeconds: 4.6)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: signal, recordSeconds: 4.6)
        da.start(); db.start()
        usleep(1_200_000)

        let (restarter, responder) = offererRestarts ? (a, b) : (b, a)
        let (restarterEvents, responderEvents) = offererRestarts ? (ea, eb) : (eb, ea)
        let (restarterSDP, responderSDP) = offererRestarts ? (offer, answer) : (answer, offer)
        let before = (restarterEvents.iceStates.count, responderEvents.iceStates.count)
        let reoffer = try restarter.restartICE()
        #expect(attribute("ice-ufrag", in: reoffer) != attribute("ice-ufrag", in: restarterSDP))
        #expect(attribute("ice-pwd", in: reoffer) != attribute("ice-pwd", in: restarterSDP))
        #expect(attribute("fingerprint", in: reoffer) == attribute("fingerprint", in: restarterSDP))
        let reanswer = try responder.createAnswer(offer: reoffer)
        #expect(attribute("ice-ufrag", in: reanswer) != attribute("ice-ufrag", in: responderSDP))
        #expect(attribute("fingerprint", in: reanswer) == attribute("fingerprint", in: responderSDP))
        try restarter.setRemoteAnswer(reanswer)

        // Both agents went back through gathering (libnice's restart) and selected a pair again.
        func reconnected(_ states: ArraySlice<ICEConnectionState>) -> Bool {
            guard let reset = states.firstIndex(of: .new) else { return false }
            return states[reset...].contains(.connected) || states[reset...].contains(.completed)
        }
        #expect(eventually(seconds: 3) {
            reconnected(restarterEvents.iceStates.dropFirst(before.0)) && reconnected(responderEvents.iceStates.dropFirst(before.1))
        }, "restarter \(restarterEvents.iceStates), responder \(responderEvents.iceStates)")

        usleep(3_500_000)
        let heardByA = da.stop(), heardByB = db.stop()
        // What was said before the restart (it came 1.2 s in) and well after it, each on its own.
        for heard in [heardByA, heardByB] {
            for window in [9_600..<52_800, 110_400..<172_800] {
                let match = segmentedMatch(sent: signal, received: heard, maxLag: 19_200, window: window, segment: 4_800)
                #expect(match.medianCorrelation > 0.7, "\(window): median segment correlation \(match.medianCorrelation) at lag \(match.lag)")
            }
        }
        // The same DTLS association throughout: no second handshake, no failure.
        #expect(a.stats()?.timeline.dtlsConnected == handshakeA && b.stats()?.timeline.dtlsConnected == handshakeB)
        #expect(ea.failures.isEmpty && eb.failures.isEmpty, "\(ea.failures) \(eb.failures)")
        #expect(ea.all.filter { $0 == PeerConnection.Event.stateChanged(.connected) }.count == 1)
    }
}

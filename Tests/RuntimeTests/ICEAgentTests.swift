import Glibc
import Testing
@testable import Runtime

/// Collects an agent's events as they come, for tests that wait on real libnice timing.
final class EventLog {
    let agent: ICEAgent
    var events: [ICEEvent] = []
    init(_ agent: ICEAgent) { self.agent = agent }

    func drain() { events += agent.pollEvents() }
    var candidates: [String] { events.compactMap { if case let .localCandidate(c) = $0 { return c }; return nil } }
    var received: [[UInt8]] { events.compactMap { if case let .received(d, _) = $0 { return d }; return nil } }
    var states: [ICEConnectionState] { events.compactMap { if case let .stateChanged(s) = $0 { return s }; return nil } }
    var selectedRemote: String? { events.compactMap { if case let .selectedPair(_, r) = $0 { return r }; return nil }.last }
    var isConnected: Bool { states.last == .connected || states.last == .completed }
}

/// Polls both logs every 2 ms until `done` or `seconds` pass (bounded: no test can hang).
@discardableResult
func waitUntil(_ logs: [EventLog], seconds: Double, _ done: () -> Bool) -> Bool {
    for _ in 0..<Int(seconds * 500) {
        logs.forEach { $0.drain() }
        if done() { return true }
        usleep(2_000)
    }
    logs.forEach { $0.drain() }
    return done()
}

@Suite(.serialized) struct ICEAgentTests {
    let loop = GLibLoop()

    func pair() -> (EventLog, EventLog) {
        let a = ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"]), loop: loop) {}
        let b = ICEAgent(configuration: .init(controlling: false, localAddresses: ["127.0.0.1"]), loop: loop) {}
        return (EventLog(a), EventLog(b))
    }

    @Test func twoAgentsOnLoopbackConnectAndCarryDatagramsBothWays() throws {
        let (a, b) = pair()
        try a.agent.gather()
        try b.agent.gather()
        #expect(waitUntil([a, b], seconds: 5) { a.events.contains(.gatheringDone) && b.events.contains(.gatheringDone) })
        #expect(!a.agent.localUfrag.isEmpty && a.agent.localPassword.count >= 22)
        #expect(a.candidates.allSatisfy { $0.contains("127.0.0.1") && $0.contains("typ host") })
        try a.agent.setRemoteCredentials(ufrag: b.agent.localUfrag, password: b.agent.localPassword)
        try b.agent.setRemoteCredentials(ufrag: a.agent.localUfrag, password: a.agent.localPassword)
        for c in b.candidates { try a.agent.addRemoteCandidate(c) }
        for c in a.candidates { try b.agent.addRemoteCandidate("a=" + c) }
        a.agent.endOfRemoteCandidates(); b.agent.endOfRemoteCandidates()
        #expect(waitUntil([a, b], seconds: 5) { a.isConnected && b.isConnected })
        #expect(a.states.contains(.checking))
        #expect(a.agent.send([1, 2, 3]))
        #expect(b.agent.send([4, 5]))
        #expect(waitUntil([a, b], seconds: 5) { b.received.contains([1, 2, 3]) && a.received.contains([4, 5]) })
        a.agent.close(); b.agent.close()
    }

    /// A browser-style offer carries no candidates: the answerer learns the offerer's address from
    /// its incoming checks (a peer-reflexive candidate).
    @Test func answererLearnsPeerReflexiveCandidateFromChecks() throws {
        let (offerer, answerer) = pair()
        try offerer.agent.gather(); try answerer.agent.gather()
        #expect(waitUntil([offerer, answerer], seconds: 5) { offerer.events.contains(.gatheringDone) && answerer.events.contains(.gatheringDone) })
        try offerer.agent.setRemoteCredentials(ufrag: answerer.agent.localUfrag, password: answerer.agent.localPassword)
        try answerer.agent.setRemoteCredentials(ufrag: offerer.agent.localUfrag, password: offerer.agent.localPassword)
        for c in answerer.candidates { try offerer.agent.addRemoteCandidate(c) }   // the answer's candidates
        // The answerer is told nothing about the offerer's addresses.
        #expect(waitUntil([offerer, answerer], seconds: 5) { offerer.isConnected && answerer.isConnected })
        #expect(answerer.selectedRemote?.contains("typ prflx") == true)
        #expect(offerer.agent.send([42]))
        #expect(waitUntil([answerer], seconds: 5) { answerer.received.contains([42]) })
        offerer.agent.close(); answerer.agent.close()
    }

    /// RFC 8445 §9: both agents restart (new credentials, same candidates), exchange the new
    /// credentials, run checks again and select a pair again; datagrams flow afterwards.
    @Test func restartGivesNewCredentialsAndReconnects() throws {
        let (a, b) = pair()
        defer { a.agent.close(); b.agent.close() }
        try a.agent.gather(); try b.agent.gather()
        #expect(waitUntil([a, b], seconds: 5) { a.events.contains(.gatheringDone) && b.events.contains(.gatheringDone) })
        func exchange() throws {
            try a.agent.setRemoteCredentials(ufrag: b.agent.localUfrag, password: b.agent.localPassword)
            try b.agent.setRemoteCredentials(ufrag: a.agent.localUfrag, password: a.agent.localPassword)
            for c in b.candidates { try a.agent.addRemoteCandidate(c) }
            for c in a.candidates { try b.agent.addRemoteCandidate(c) }
            a.agent.endOfRemoteCandidates(); b.agent.endOfRemoteCandidates()
        }
        try exchange()
        #expect(waitUntil([a, b], seconds: 5) { a.isConnected && b.isConnected })
        let old = (a.agent.localUfrag, a.agent.localPassword, b.agent.localUfrag)
        let mark = (a.states.count, b.states.count)
        try a.agent.restart(); try b.agent.restart()
        #expect(a.agent.localUfrag != old.0 && a.agent.localPassword != old.1 && b.agent.localUfrag != old.2)
        try exchange()
        func reconnected(_ log: EventLog, after mark: Int) -> Bool {
            let states = log.states.dropFirst(mark)
            guard let reset = states.firstIndex(of: .new) else { return false }
            return states[reset...].contains(.connected) || states[reset...].contains(.completed)
        }
        #expect(waitUntil([a, b], seconds: 5) { reconnected(a, after: mark.0) && reconnected(b, after: mark.1) }, "A \(a.states) B \(b.states)")
        #expect(a.agent.send([8, 8]))
        #expect(waitUntil([b], seconds: 5) { b.received.contains([8, 8]) })
    }

    @Test func wrongPasswordNeverConnects() throws {
        let (a, b) = pair()
        try a.agent.gather(); try b.agent.gather()
        #expect(waitUntil([a, b], seconds: 5) { a.events.contains(.gatheringDone) && b.events.contains(.gatheringDone) })
        try a.agent.setRemoteCredentials(ufrag: b.agent.localUfrag, password: String(repeating: "x", count: 24))
        try b.agent.setRemoteCredentials(ufrag: a.agent.localUfrag, password: a.agent.localPassword)
        for c in b.candidates { try a.agent.addRemoteCandidate(c) }
        for c in a.candidates { try b.agent.addRemoteCandidate(c) }
        a.agent.endOfRemoteCandidates(); b.agent.endOfRemoteCandidates()
        // Checks carry a MESSAGE-INTEGRITY the peer cannot verify: no pair may ever succeed.
        waitUntil([a, b], seconds: 2) { a.states.contains(.failed) }
        #expect(!a.isConnected && !b.isConnected)
        #expect(!a.agent.send([1]))
        a.agent.close(); b.agent.close()
    }

    @Test func badRemoteInputIsRefusedWithTypedErrors() throws {
        let (a, _) = pair()
        #expect(throws: ICEError.notGathered) { try a.agent.addRemoteCandidate("candidate:1 1 udp 1 127.0.0.1 9 typ host") }
        try a.agent.gather()
        #expect(throws: ICEError.self) { try a.agent.addRemoteCandidate("candidate:garbage") }
        #expect(throws: ICEError.self) { try a.agent.addRemoteCandidate("") }
        let bad = ICEAgent(configuration: .init(controlling: true, localAddresses: ["not-an-ip"]), loop: loop) {}
        #expect(throws: ICEError.invalidAddress("not-an-ip")) { try bad.gather() }
    }

    /// Closing while libnice still has work queued must leave late callbacks harmless.
    @Test func closingMidGatherIsHarmless() throws {
        for _ in 0..<20 {
            let a = ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"]), loop: loop) {}
            try a.gather()
            a.close()
            #expect(a.pollEvents().count >= 0)
        }
        usleep(50_000)
    }
}

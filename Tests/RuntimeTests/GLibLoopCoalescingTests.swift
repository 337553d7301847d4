import Glibc
import MediaCore
import Testing
@testable import Runtime

/// A coalescing GLib loop hands datagrams over after gathering for its coalescing time, and still
/// hands over every one of them, in order.
@Suite(.serialized) struct GLibLoopCoalescingTests {
    @Test func coalescingLoopDeliversEveryDatagramInOrderAfterItsWait() throws {
        let loop = GLibLoop(coalescingPerSocket: .milliseconds(5), maximumCoalescing: .milliseconds(5))
        defer { loop.stop() }
        let a = EventLog(ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"]), loop: loop) {})
        let b = EventLog(ICEAgent(configuration: .init(controlling: false, localAddresses: ["127.0.0.1"]), loop: loop) {})
        defer { a.agent.close(); b.agent.close() }
        try a.agent.gather(); try b.agent.gather()
        #expect(waitUntil([a, b], seconds: 5) { a.events.contains(.gatheringDone) && b.events.contains(.gatheringDone) })
        try a.agent.setRemoteCredentials(ufrag: b.agent.localUfrag, password: b.agent.localPassword)
        try b.agent.setRemoteCredentials(ufrag: a.agent.localUfrag, password: a.agent.localPassword)
        for c in b.candidates { try a.agent.addRemoteCandidate(c) }
        for c in a.candidates { try b.agent.addRemoteCandidate(c) }
        #expect(waitUntil([a, b], seconds: 5) { a.isConnected && b.isConnected })
        usleep(100_000)   // let the last checks and their answers pass
        b.drain(); b.events.removeAll()

        // One datagram into an idle loop: it waits out the coalescing before it is handed over.
        let sent = RuntimeClock.now()
        #expect(a.agent.send([7]))
        #expect(waitUntil([b], seconds: 5) { b.received.contains([7]) })
        let handedOver = b.events.compactMap { if case let .received(d, at) = $0, d == [7] { return at }; return nil }.first
        #expect(handedOver.map { $0 - sent >= .milliseconds(5) } == true)

        // A burst: all of it, in the order sent.
        b.events.removeAll()
        for i in 0..<100 { #expect(a.agent.send([UInt8(i), 1])) }
        #expect(waitUntil([b], seconds: 5) { b.received.count >= 100 })
        #expect(b.received == (0..<100).map { [UInt8($0), 1] })
    }
}

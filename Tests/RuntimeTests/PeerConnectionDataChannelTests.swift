import Foundation
import Testing
import DCEP
import Audio
import MediaCore
import SCTP
import TestSupport
@testable import Runtime

/// Messages per channel, gathered from a PeerConnection's events.
final class ChannelLog: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: [(UInt16, String)] = []
    private var messages: [(UInt16, DataChannelMessage)] = []
    private var closedIDs: [UInt16] = []
    func record(_ e: PeerConnection.Event) {
        lock.lock(); defer { lock.unlock() }
        switch e {
        case .dataChannelOpened(let id, let label, _): opened.append((id, label))
        case .dataChannelMessage(let id, let m): messages.append((id, m))
        case .dataChannelClosed(let id): closedIDs.append(id)
        default: break
        }
    }
    func channel(labelled label: String) -> UInt16? { lock.lock(); defer { lock.unlock() }; return opened.first { $0.1 == label }?.0 }
    var texts: [String] { lock.lock(); defer { lock.unlock() }; return messages.compactMap { if case .text(let t) = $0.1 { return t }; return nil } }
    var closed: [UInt16] { lock.lock(); defer { lock.unlock() }; return closedIDs }
    func messages(on id: UInt16) -> [DataChannelMessage] { lock.lock(); defer { lock.unlock() }; return messages.filter { $0.0 == id }.map(\.1) }

    /// A count bumped from a call thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    /// A value set from a call thread.
    final class Box<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var v: T?
        func set(_ x: T) { lock.lock(); v = x; lock.unlock() }
        var value: T? { lock.lock(); defer { lock.unlock() }; return v }
        var isSet: Bool { value != nil }
    }
}

@Suite(.serialized) struct PeerConnectionDataChannelTests {
    let glib = GLibLoop()

    /// Two connected peers on loopback with `oai-events` opened by the offerer before the call is
    /// up, and the channel's id on each side; nil (both closed, the miss recorded) if it never opens.
    func oaiEventsPair() throws -> (PeerConnection, PeerConnection, ChannelLog, ChannelLog, UInt16, UInt16)? {
        let logA = ChannelLog(), logB = ChannelLog()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { logA.record($0) }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { logB.record($0) }
        a.createDataChannel(label: "oai-events")
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        let opened = eventually(seconds: 5) { logA.channel(labelled: "oai-events") != nil && logB.channel(labelled: "oai-events") != nil }
        #expect(opened)
        guard opened, let ida = logA.channel(labelled: "oai-events"), let idb = logB.channel(labelled: "oai-events") else {
            a.close(); b.close()
            return nil
        }
        return (a, b, logA, logB, ida, idb)
    }

    /// `oai-events` opened by the offerer before the call is up; JSON both ways, in order, then
    /// closed from one side and seen closed on the other.
    @Test func oaiEventsChannelCarriesJSONBothWaysOnLoopback() throws {
        guard let (a, b, logA, logB, ida, idb) = try oaiEventsPair() else { return }
        defer { a.close(); b.close() }
        #expect(ida == idb && ida % 2 == 1)   // the offerer is the DTLS server here: odd ids
        for n in 0..<500 { try a.send(.text(#"{"type":"session.update","n":\#(n)}"#), on: ida) }
        try b.send(.text(#"{"type":"session.created"}"#), on: idb)
        try b.send(.binary([]), on: idb)
        #expect(eventually(seconds: 5) { logB.texts.count == 500 && logA.texts.count == 1 })
        #expect(logB.texts == (0..<500).map { #"{"type":"session.update","n":\#($0)}"# })
        #expect(logA.texts == [#"{"type":"session.created"}"#])
        #expect(throws: PeerConnectionError.self) { try a.send(.binary(Array(repeating: 1, count: 300_000)), on: ida) }
        a.closeDataChannel(ida)
        #expect(eventually(seconds: 3) { logB.closed.contains(idb) })
    }

    /// Sends and a close queued without waiting (an endpoint's thread): the sends arrive in order,
    /// the close comes after them with the final statistics, and a send it overtook, or one after
    /// it, is reported failed rather than lost.
    @Test func sendsAndCloseWithoutWaitingKeepOrderAndReportWhatWasNotSent() throws {
        guard let (a, b, _, logB, id, _) = try oaiEventsPair() else { return }
        defer { a.close(); b.close() }
        let failures = ChannelLog.Counter(), finalStats = ChannelLog.Box<PeerConnectionStats?>()
        for n in 0..<300 { a.sendWithoutWaiting(.text("event \(n)"), on: id) { _ in failures.add() } }
        a.sendWithoutWaiting(.binary(Array(repeating: 1, count: 300_000)), on: id) { _ in failures.add() }   // over max-message-size
        a.closeWithoutWaiting { finalStats.set($0) }
        a.sendWithoutWaiting(.text("after the close"), on: id) { _ in failures.add() }
        #expect(eventually(seconds: 5) { finalStats.isSet && failures.value == 2 })
        #expect(eventually(seconds: 5) { logB.texts.count == 300 })
        #expect(logB.texts == (0..<300).map { "event \($0)" })
        #expect(finalStats.value??.timeline.dtlsConnected != nil, "the call's statistics, taken before DTLS closed")
        // Closed already: both report at once.
        a.sendWithoutWaiting(.text("late"), on: id) { _ in failures.add() }
        a.closeWithoutWaiting { finalStats.set($0) }
        #expect(failures.value == 3 && finalStats.value! == nil)
    }

    /// Over real sockets and DTLS: a channel opened by each side once the call is up, 10,000
    /// small messages each way on one with nothing lost or reordered, and on the other every size
    /// from empty to the peer's `max-message-size` (256 KiB), text and binary, intact and in order.
    @Test func channelsFromEitherSideCarryTenThousandMessagesAndEverySizeOnLoopback() throws {
        let logA = ChannelLog(), logB = ChannelLog()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { logA.record($0) }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { logB.record($0) }
        defer { a.close(); b.close() }
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        #expect(eventually(seconds: 3) { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil })
        a.createDataChannel(label: "from-a")
        b.createDataChannel(label: "from-b", type: .reliable)
        #expect(eventually(seconds: 5) {
            [logA, logB].allSatisfy { $0.channel(labelled: "from-a") != nil && $0.channel(labelled: "from-b") != nil }
        })
        guard let many = logA.channel(labelled: "from-a"), let sizes = logB.channel(labelled: "from-b"),
              logB.channel(labelled: "from-a") == many, logA.channel(labelled: "from-b") == sizes else {
            Issue.record("channels did not open with the same id on both sides")
            return
        }
        #expect(many % 2 != sizes % 2)   // opened by opposite DTLS roles: one odd id, one even

        let count = 10_000
        for i in 0..<count {
            try a.send(.text("a\(i)"), on: many)
            try b.send(.text("b\(i)"), on: many)
        }
        #expect(eventually(seconds: 20) { logB.messages(on: many).count == count && logA.messages(on: many).count == count })
        #expect(logB.messages(on: many) == (0..<count).map { .text("a\($0)") })
        #expect(logA.messages(on: many) == (0..<count).map { .text("b\($0)") })

        let limit = 262_144
        let lengths = [0, 1, 1_199, 1_200, 16_384, 65_535, 65_536, 100_000, limit - 1, limit]
        let sent: [DataChannelMessage] = lengths.flatMap { n -> [DataChannelMessage] in
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }
            return [.binary(bytes), .text(String(repeating: "x", count: n))]
        }
        for m in sent { try b.send(m, on: sizes) }
        #expect(eventually(seconds: 20) { logA.messages(on: sizes).count == sent.count })
        #expect(logA.messages(on: sizes) == sent)
        #expect(throws: PeerConnectionError.self) { try b.send(.binary([UInt8](repeating: 0, count: limit + 1)), on: sizes) }
    }

    /// The peer's SCTP ABORT ends the channels with a close event on our side; the call and its
    /// audio go on, and `data-channel` stats counted what crossed before.
    @Test func peerAbortClosesChannelsAndAudioGoesOn() throws {
        guard let (a, b, _, logB, ida, idb) = try oaiEventsPair() else { return }
        defer { a.close(); b.close() }
        for n in 0..<10 { try a.send(.text("m\(n)"), on: ida) }
        #expect(eventually(seconds: 3) { logB.texts.count == 10 })
        let channelStats = try #require(b.stats()?.dataChannels.first { $0.id == idb })
        #expect(channelStats.label == "oai-events" && channelStats.stats.messagesReceived == 10 && channelStats.stats.bytesReceived == 20)
        #expect(a.stats()?.dataChannels.first?.stats.messagesSent == 10)

        let signal = chirp(count: 48_000 * 2)
        let pa = a.takeAudioPorts()!, pb = b.takeAudioPorts()!
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: signal, recordSeconds: 2.6)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: signal, recordSeconds: 2.6)
        da.start(); db.start()
        // A aborts its association at once: B's channel closes, audio keeps flowing both ways.
        a.post { a.sctp?.abort(at: RuntimeClock.now()); a.flush() }
        #expect(eventually(seconds: 3) { logB.closed.contains(idb) }, "B's channel did not close after the peer's ABORT")
        #expect(throws: PeerConnectionError.self) { try b.send(.text("after abort"), on: idb) }
        usleep(2_400_000)
        let heardByA = da.stop(), heardByB = db.stop()
        for heard in [heardByA, heardByB] {
            let match = segmentedMatch(sent: signal, received: heard, maxLag: 19_200, window: 9_600..<86_400, segment: 4_800)
            #expect(match.medianCorrelation > 0.7, "median segment correlation \(match.medianCorrelation) at lag \(match.lag)")
        }
        #expect(a.stats()?.transport.dtlsState == "connected" && b.stats()?.transport.dtlsState == "connected")
    }
}

import Foundation
import Testing
import DCEP
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
}

@Suite(.serialized) struct PeerConnectionDataChannelTests {
    let glib = GLibLoop()

    /// `oai-events` opened by the offerer before the call is up; JSON both ways, in order, then
    /// closed from one side and seen closed on the other.
    @Test func oaiEventsChannelCarriesJSONBothWaysOnLoopback() throws {
        let logA = ChannelLog(), logB = ChannelLog()
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { logA.record($0) }
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { logB.record($0) }
        defer { a.close(); b.close() }
        a.createDataChannel(label: "oai-events")
        try a.setRemoteAnswer(try b.createAnswer(offer: try a.createOffer()))
        #expect(eventually(seconds: 5) { logA.channel(labelled: "oai-events") != nil && logB.channel(labelled: "oai-events") != nil })
        guard let ida = logA.channel(labelled: "oai-events"), let idb = logB.channel(labelled: "oai-events") else { return }
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
}

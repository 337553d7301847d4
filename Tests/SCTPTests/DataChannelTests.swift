import DCEP
import MediaCore
import Testing
@testable import SCTP

@Suite struct DataChannelTests {
    static func largeLimits(client: Bool) -> SCTPAssociation.Configuration {
        .init(isDTLSClient: client, localMaxMessageSize: 262_144, remoteMaxMessageSize: 262_144)
    }

    @Test func channelsOpenFromEitherSideWithLabelProtocolAndAck() throws {
        let pair = try SCTPPair()
        pair.establish()
        let a = try pair.client.openChannel(label: "oai-events", protocol: "json", at: pair.now)
        let b = try pair.server.openChannel(label: "second", at: pair.now)
        pair.pump()
        #expect(a % 2 == 0, "the DTLS client takes even ids")
        #expect(b % 2 == 1, "the DTLS server takes odd ids")
        #expect(pair.serverEvents.contains(.channelOpened(id: a, label: "oai-events", protocol: "json")))
        #expect(pair.clientEvents.contains(.channelOpened(id: a, label: "oai-events", protocol: "json")), "opened by the ACK")
        #expect(pair.clientEvents.contains(.channelOpened(id: b, label: "second", protocol: "")))
        #expect(pair.serverEvents.contains(.channelOpened(id: b, label: "second", protocol: "")))
        #expect(pair.client.channel(a)?.state == .open && pair.server.channel(a)?.state == .open)
        #expect(pair.server.channel(a)?.protocol == "json")
    }

    @Test func channelOpenedBeforeTheAssociationIsUpOpensOnceItIs() throws {
        let pair = try SCTPPair()
        let a = try pair.client.openChannel(label: "early", at: pair.now)
        #expect(pair.client.channel(a)?.state == .connecting)
        pair.establish()
        pair.pump()
        #expect(pair.serverEvents.contains(.channelOpened(id: a, label: "early", protocol: "")))
        #expect(pair.client.channel(a)?.state == .open)
    }

    @Test func orderedReliableMessagesFromEmptyToMaxSizeArriveIntactAndInOrder() throws {
        let pair = try SCTPPair(client: Self.largeLimits(client: true), server: Self.largeLimits(client: false))
        pair.establish()
        let id = try pair.client.openChannel(label: "sizes", at: pair.now)
        pair.pump()
        var sent: [DataChannelMessage] = [.text(""), .binary([])]
        for (i, size) in [1, 2, 100, 1_199, 1_200, 16_384, 65_536, 100_000, 262_144].enumerated() {
            sent.append(.binary((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }))
            sent.append(.text(String(repeating: "é", count: size / 2)))
        }
        for m in sent { try pair.client.send(m, on: id, at: pair.now) }
        pair.pump()
        pair.advance(count: 200) { SCTPPair.messages(pair.serverEvents, on: id).count >= sent.count }
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == sent)
        let stats = try #require(pair.client.channel(id)?.stats)
        #expect(stats.messagesSent == sent.count)
        #expect(stats.bytesSent == sent.reduce(0) { $0 + $1.byteCount })
        #expect(pair.server.channel(id)?.stats.messagesReceived == sent.count)
        #expect(pair.server.channel(id)?.stats.bytesReceived == stats.bytesSent)
    }

    @Test func sendOverThePeersMaxMessageSizeThrows() throws {
        let pair = try SCTPPair()   // the peer's limit defaults to 65536
        pair.establish()
        let id = try pair.client.openChannel(label: "big", at: pair.now)
        pair.pump()
        #expect(throws: SCTPError.messageTooLarge(size: 65_537, limit: 65_536)) {
            try pair.client.send(.binary([UInt8](repeating: 1, count: 65_537)), on: id, at: pair.now)
        }
        try pair.client.send(.binary([UInt8](repeating: 1, count: 65_536)), on: id, at: pair.now)
        pair.pump()
        #expect(SCTPPair.messages(pair.serverEvents, on: id).count == 1)
    }

    @Test func messageOverOurLimitClosesTheChannelWithAReason() throws {
        var client = SCTPAssociation.Configuration(isDTLSClient: true, remoteMaxMessageSize: 0)   // sender ignores the limit
        client.localMaxMessageSize = 262_144
        let server = SCTPAssociation.Configuration(isDTLSClient: false, localMaxMessageSize: 1_000)
        let pair = try SCTPPair(client: client, server: server)
        pair.establish()
        let id = try pair.client.openChannel(label: "x", at: pair.now)
        pair.pump()
        try pair.client.send(.binary([UInt8](repeating: 7, count: 5_000)), on: id, at: pair.now)
        pair.pump()
        pair.advance(count: 50) { SCTPPair.closed(pair.clientEvents, id) != nil }
        guard case .protocolViolation = SCTPPair.closed(pair.serverEvents, id) else {
            Issue.record("server events: \(pair.serverEvents)"); return
        }
        #expect(SCTPPair.closed(pair.clientEvents, id) == .remoteClose)
        #expect(SCTPPair.messages(pair.serverEvents, on: id).isEmpty)
    }

    @Test func negotiatedChannelWithFixedIDOpensWithoutDCEP() throws {
        let pair = try SCTPPair()
        let a = try pair.client.openChannel(label: "n", negotiatedID: 9, at: pair.now)
        let b = try pair.server.openChannel(label: "n", negotiatedID: 9, at: pair.now)
        #expect(a == 9 && b == 9)
        pair.establish()
        #expect(pair.clientEvents.contains(.channelOpened(id: 9, label: "n", protocol: "")))
        #expect(pair.serverEvents.contains(.channelOpened(id: 9, label: "n", protocol: "")))
        try pair.client.send(.text("from client"), on: 9, at: pair.now)
        try pair.server.send(.text("from server"), on: 9, at: pair.now)
        pair.pump()
        #expect(SCTPPair.messages(pair.serverEvents, on: 9) == [.text("from client")])
        #expect(SCTPPair.messages(pair.clientEvents, on: 9) == [.text("from server")])
        #expect(throws: SCTPError.streamIDUnavailable(9)) { try pair.client.openChannel(label: "again", negotiatedID: 9, at: pair.now) }
        // An in-band channel skips the id in use.
        let inBand = try pair.client.openChannel(label: "in-band", at: pair.now)
        #expect(inBand != 9)
    }

    @Test func tenThousandSmallMessagesEachWayNothingLost() throws {
        let pair = try SCTPPair()
        pair.establish()
        let id = try pair.client.openChannel(label: "many", at: pair.now)
        pair.pump()
        let count = 10_000
        for i in 0..<count {
            try pair.client.send(.text("c\(i)"), on: id, at: pair.now)
            try pair.server.send(.text("s\(i)"), on: id, at: pair.now)
            if i % 50 == 0 { pair.pump() }
        }
        pair.pump()
        pair.advance(count: 500) {
            SCTPPair.messages(pair.serverEvents, on: id).count >= count && SCTPPair.messages(pair.clientEvents, on: id).count >= count
        }
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == (0..<count).map { .text("c\($0)") })
        #expect(SCTPPair.messages(pair.clientEvents, on: id) == (0..<count).map { .text("s\($0)") })
        #expect(pair.client.channel(id)?.stats.messagesReceived == count)
        #expect(pair.server.channel(id)?.stats.messagesSent == count)
    }

    @Test func bufferedAmountGrowsWhenTheSendBufferIsFullAndFiresLowWhenDrained() throws {
        let pair = try SCTPPair(client: Self.largeLimits(client: true), server: Self.largeLimits(client: false))
        pair.establish()
        let id = try pair.client.openChannel(label: "bulk", at: pair.now)
        pair.pump()
        pair.client.setBufferedAmountLowThreshold(16_384, for: id)
        let chunk = [UInt8](repeating: 0xAB, count: 65_536)
        for _ in 0..<48 { try pair.client.send(.binary(chunk), on: id, at: pair.now) }   // 3 MB into a 1 MB buffer
        let queued = try #require(pair.client.channel(id)?.bufferedAmount)
        #expect(queued > 0)
        #expect(queued <= 48 * 65_536)
        pair.pump()
        pair.advance(count: 2_000) { SCTPPair.messages(pair.serverEvents, on: id).count >= 48 }
        #expect(SCTPPair.messages(pair.serverEvents, on: id).count == 48)
        #expect(pair.client.channel(id)?.bufferedAmount == 0)
        #expect(pair.clientEvents.contains(.bufferedAmountLow(id: id)))
    }

    @Test func closeByStreamResetIsSeenOnTheOtherSide() throws {
        let pair = try SCTPPair()
        pair.establish()
        let id = try pair.client.openChannel(label: "closing", at: pair.now)
        pair.pump()
        try pair.client.send(.text("last words"), on: id, at: pair.now)
        pair.client.closeChannel(id, at: pair.now)
        #expect(pair.client.channel(id)?.state == .closing)
        #expect(throws: SCTPError.channelNotOpen(id)) { try pair.client.send(.text("too late"), on: id, at: pair.now) }
        pair.pump()
        pair.advance(count: 100) { SCTPPair.closed(pair.clientEvents, id) != nil }
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == [.text("last words")], "queued data goes before the reset")
        #expect(SCTPPair.closed(pair.serverEvents, id) == .remoteClose)
        #expect(SCTPPair.closed(pair.clientEvents, id) == .localClose)
        #expect(pair.client.channel(id) == nil && pair.server.channel(id) == nil)
        // The id is free again after both directions were reset.
        let again = try pair.client.openChannel(label: "reopened", at: pair.now)
        pair.pump()
        #expect(again == id)
        #expect(pair.serverEvents.contains(.channelOpened(id: again, label: "reopened", protocol: "")))
        try pair.client.send(.text("hello again"), on: again, at: pair.now)
        pair.pump()
        #expect(SCTPPair.messages(pair.serverEvents, on: id).last == .text("hello again"))
    }

    @Test func abortEndsTheAssociationOnBothSides() throws {
        let pair = try SCTPPair()
        pair.establish()
        let id = try pair.client.openChannel(label: "doomed", at: pair.now)
        pair.pump()
        pair.server.abort(at: pair.now)
        pair.pump()
        #expect(pair.serverEvents.contains(.associationClosed(reason: .aborted)))
        #expect(pair.clientEvents.contains(.associationClosed(reason: .aborted)), "\(pair.clientEvents)")
        #expect(SCTPPair.closed(pair.clientEvents, id) == .associationClosed)
        #expect(pair.client.state == .closed)
        #expect(throws: SCTPError.associationClosed) { try pair.client.send(.text("x"), on: id, at: pair.now) }
        #expect(pair.client.pollTimeout() == nil)
        pair.client.handle(packet: [1, 2, 3], at: pair.now)   // input after the end is ignored
    }

    @Test func shutdownClosesGracefullyOnBothSides() throws {
        let pair = try SCTPPair()
        pair.establish()
        let id = try pair.client.openChannel(label: "bye", at: pair.now)
        pair.pump()
        try pair.client.send(.text("before shutdown"), on: id, at: pair.now)
        pair.client.shutdown(at: pair.now)
        pair.pump()
        pair.advance(count: 100) { pair.client.state == .closed && pair.server.state == .closed }
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == [.text("before shutdown")])
        #expect(pair.clientEvents.contains(.associationClosed(reason: .shutdown)))
        #expect(pair.serverEvents.contains(.associationClosed(reason: .shutdown)))
    }
}

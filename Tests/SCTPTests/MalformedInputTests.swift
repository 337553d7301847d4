import DCEP
import MediaCore
import Testing
@testable import SCTP

/// Protocol violations from the peer end in a typed error or a closed channel, never a crash.
/// The bad messages are queued straight into the sender's internal queue (what a broken peer
/// would put on the wire).
@Suite struct MalformedInputTests {
    static func openPair() throws -> (SCTPPair, UInt16) {
        let pair = try SCTPPair()
        pair.establish()
        let id = try pair.client.openChannel(label: "victim", at: pair.now)
        pair.pump()
        return (pair, id)
    }

    static func inject(_ pair: SCTPPair, ppid: PayloadProtocolIdentifier, bytes: [UInt8], on sid: UInt16) {
        pair.client.sendQueue.append(PendingSend(kind: .dcep, stream: sid, ppid: ppid.rawValue, bytes: bytes,
                                                 unordered: false, policy: 0, policyValue: 0, userBytes: 0))
        pair.client.flushSendQueue()
        pair.client.collectOutput()
        pair.pump()
        pair.advance(count: 20)
    }

    @Test func malformedDCEPOnAnOpenChannelClosesItWithAReason() throws {
        let (pair, id) = try Self.openPair()
        Self.inject(pair, ppid: .dcep, bytes: [0x03, 0x7F], on: id)
        guard case .protocolViolation = SCTPPair.closed(pair.serverEvents, id) else { Issue.record("\(pair.serverEvents)"); return }
        #expect(SCTPPair.closed(pair.clientEvents, id) == .remoteClose)
    }

    @Test func unknownDCEPTypeOnAnUnusedStreamIsDropped() throws {
        let (pair, _) = try Self.openPair()
        Self.inject(pair, ppid: .dcep, bytes: [0x09], on: 100)
        #expect(pair.server.stats.droppedMessages == 1)
        #expect(pair.server.state == .established)
    }

    @Test func openOnAStreamAlreadyInUseClosesThatChannel() throws {
        let (pair, id) = try Self.openPair()
        var w = ByteWriter()
        DCEPMessage.open(DataChannelOpen(channelType: .reliable, label: "imposter")).serialize(into: &w)
        Self.inject(pair, ppid: .dcep, bytes: w.bytes, on: id)
        #expect(SCTPPair.closed(pair.serverEvents, id) == .protocolViolation("DATA_CHANNEL_OPEN on stream \(id), already in use"))
        #expect(!pair.serverEvents.contains(.channelOpened(id: id, label: "imposter", protocol: "")))
    }

    @Test func messageOnAStreamWithNoChannelIsDroppedAndCounted() throws {
        let (pair, id) = try Self.openPair()
        Self.inject(pair, ppid: .string, bytes: Array("stray".utf8), on: 200)
        #expect(pair.server.stats.droppedMessages == 1)
        #expect(SCTPPair.messages(pair.serverEvents, on: 200).isEmpty)
        try pair.client.send(.text("still fine"), on: id, at: pair.now)
        pair.pump()
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == [.text("still fine")])
    }

    @Test func unknownPPIDOnAChannelIsDropped() throws {
        let (pair, id) = try Self.openPair()
        Self.inject(pair, ppid: PayloadProtocolIdentifier(rawValue: 0xDEAD), bytes: [1, 2, 3], on: id)
        #expect(pair.server.stats.droppedMessages == 1)
        #expect(pair.server.channel(id)?.state == .open)
    }

    @Test func deprecatedPartialPPIDsAreJoinedUntilTheFinalPiece() throws {
        let (pair, id) = try Self.openPair()
        Self.inject(pair, ppid: .stringPartial, bytes: Array("hel".utf8), on: id)
        Self.inject(pair, ppid: .stringPartial, bytes: Array("lo ".utf8), on: id)
        #expect(SCTPPair.messages(pair.serverEvents, on: id).isEmpty)
        Self.inject(pair, ppid: .string, bytes: Array("world".utf8), on: id)
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == [.text("hello world")])
    }

    @Test func invalidUTF8TextIsRepairedNotDropped() throws {
        let (pair, id) = try Self.openPair()
        Self.inject(pair, ppid: .string, bytes: [0x61, 0xFF, 0x62], on: id)
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == [.text("a\u{FFFD}b")])
    }

    @Test func garbagePacketsAreIgnored() throws {
        let (pair, id) = try Self.openPair()
        var random = SeededRandom(state: 9)
        for length in [0, 1, 11, 12, 13, 40, 1200] {
            pair.server.handle(packet: (0..<length).map { _ in UInt8(random.next() * 256) }, at: pair.now)
        }
        pair.pump()
        try pair.client.send(.text("after garbage"), on: id, at: pair.now)
        pair.pump()
        #expect(SCTPPair.messages(pair.serverEvents, on: id) == [.text("after garbage")])
    }

    @Test func operationsOnUnknownOrClosedChannelsThrow() throws {
        let (pair, _) = try Self.openPair()
        #expect(throws: SCTPError.unknownChannel(500)) { try pair.client.send(.text("x"), on: 500, at: pair.now) }
        #expect(throws: SCTPError.streamIDUnavailable(4096)) { try pair.client.openChannel(label: "x", negotiatedID: 4096, at: pair.now) }
    }
}

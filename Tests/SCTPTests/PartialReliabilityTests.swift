import DCEP
import Glibc
import MediaCore
import Testing
@testable import SCTP

/// Channels under in-memory loss: once the channel is open, 20 % of the client's packets that
/// carry DATA are dropped.
@Suite struct PartialReliabilityTests {
    static func lossyPair(seed: UInt64) throws -> SCTPPair {
        let pair = try SCTPPair()
        pair.establish()
        return pair
    }

    static func numbers(_ messages: [DataChannelMessage]) -> [Int] {
        messages.compactMap { if case .text(let s) = $0 { return Int(s) }; return nil }
    }

    /// Sends `count` messages 10 ms of virtual time apart, then lets retransmissions run for up to
    /// `drainSteps` × 10 ms (virtual and real) or until all arrived. usrsctp checks a PR-SCTP lifetime against the real clock, so a timed
    /// channel also needs `realPauseMicroseconds` of real time between messages.
    static func run(_ pair: SCTPPair, type: DataChannelType, count: Int, seed: UInt64,
                    realPauseMicroseconds: UInt32 = 0, drainSteps: Int = 1_000) throws -> [Int] {
        let id = try pair.client.openChannel(label: "lossy", type: type, at: pair.now)
        pair.advance(count: 500) { pair.client.channel(id)?.state == .open }
        try #require(pair.client.channel(id)?.state == .open)
        var random = SeededRandom(state: seed)
        pair.drop = { fromClient, _, packet in
            fromClient && SCTPPacketInspection.carriesData(packet) && random.next() < 0.2
        }
        for i in 0..<count {
            try pair.client.send(.text(String(i)), on: id, at: pair.now)
            if realPauseMicroseconds > 0 { usleep(realPauseMicroseconds) }
            pair.advance(count: 1)
        }
        pair.advance(count: drainSteps, realTime: true) { SCTPPair.messages(pair.serverEvents, on: id).count >= count }
        return numbers(SCTPPair.messages(pair.serverEvents, on: id))
    }

    @Test func reliableOrderedChannelDeliversEverythingInOrder() throws {
        let got = try Self.run(Self.lossyPair(seed: 1), type: .reliable, count: 200, seed: 1)
        #expect(got == Array(0..<200))
    }

    @Test func reliableUnorderedChannelDeliversEverythingOnce() throws {
        let got = try Self.run(Self.lossyPair(seed: 2), type: .reliableUnordered, count: 200, seed: 2)
        #expect(got.sorted() == Array(0..<200))
        #expect(got != Array(0..<200), "with loss some messages overtake retransmitted ones")
    }

    @Test(arguments: [true, false])
    func maxRetransmitsZeroLosesSomeAndDuplicatesNone(ordered: Bool) throws {
        let type = DataChannelType(ordered: ordered, reliability: .partialRetransmit(maxRetransmits: 0))
        let pair = try Self.lossyPair(seed: 3)
        let got = try Self.run(pair, type: type, count: 200, seed: 3, drainSteps: 100)
        #expect(got.count < 200, "lost messages are not retransmitted")
        #expect(got.count > 100)
        #expect(Set(got).count == got.count, "no duplicates")
        #expect(got.allSatisfy { (0..<200).contains($0) })
        if ordered { #expect(got == got.sorted()) }
        // The association survives abandoned messages: a later message still arrives.
        pair.drop = { _, _, _ in false }
        let id = try #require(pair.client.channelIDs.first)
        try pair.client.send(.text("999"), on: id, at: pair.now)
        pair.advance(count: 100) { SCTPPair.messages(pair.serverEvents, on: id).last == .text("999") }
        #expect(SCTPPair.messages(pair.serverEvents, on: id).last == .text("999"))
    }

    @Test func maxPacketLifetimeAbandonsLateMessages() throws {
        let type = DataChannelType(ordered: false, reliability: .partialTimed(lifetimeMilliseconds: 1))
        let got = try Self.run(Self.lossyPair(seed: 4), type: type, count: 200, seed: 4, realPauseMicroseconds: 2_000, drainSteps: 100)
        #expect(got.count < 200)
        #expect(Set(got).count == got.count)
    }
}

@Suite struct DCEPLossTests {
    /// The DATA_CHANNEL_OPEN goes reliably: dropping its first transmission only delays the open.
    @Test func lostOpenIsRetransmitted() throws {
        let pair = try SCTPPair()
        pair.establish()
        var dropped = 0
        pair.drop = { fromClient, _, packet in
            guard fromClient, SCTPPacketInspection.carriesData(packet), dropped == 0 else { return false }
            dropped += 1
            return true
        }
        let id = try pair.client.openChannel(label: "retry", at: pair.now)
        pair.pump()
        #expect(pair.client.channel(id)?.state == .connecting)
        pair.advance(count: 500, realTime: true) { pair.client.channel(id)?.state == .open }
        #expect(dropped == 1)
        #expect(pair.client.channel(id)?.state == .open)
        #expect(pair.serverEvents.contains(.channelOpened(id: id, label: "retry", protocol: "")))
    }
}

import DCEP
import MediaCore
import Testing
@testable import SCTP

@Suite struct AssociationSetupTests {
    @Test func bothSidesConnectAndTheAssociationComesUp() throws {
        let pair = try SCTPPair()
        pair.establish()
        #expect(pair.established)
        #expect(pair.client.state == .established && pair.server.state == .established)
        #expect(pair.client.pollTimeout() != nil, "usrsctp's timers are ticked while the association lives")
    }

    @Test func portsFromSDPAreUsedOnBothEnds() throws {
        let pair = try SCTPPair(client: .init(isDTLSClient: true, localPort: 5000, remotePort: 5001),
                                server: .init(isDTLSClient: false, localPort: 5001, remotePort: 5000))
        pair.establish()
        #expect(pair.established)
        // The common header carries them: source port first, then destination port.
        let packet = try #require({ () -> [UInt8]? in
            _ = try? pair.client.openChannel(label: "p", at: pair.now)
            return pair.client.pollTransmit()
        }())
        #expect(Array(packet[0..<4]) == [0x13, 0x88, 0x13, 0x89])
    }

    @Test func mismatchedPortsNeverComeUp() throws {
        let pair = try SCTPPair(client: .init(isDTLSClient: true, localPort: 5000, remotePort: 6000),
                                server: .init(isDTLSClient: false, localPort: 5000, remotePort: 5000))
        pair.pump()
        pair.advance(count: 50)
        #expect(!pair.clientEvents.contains(.associationEstablished))
        #expect(!pair.serverEvents.contains(.associationEstablished))
    }

    /// The registry makes a dead association's late packets and callbacks harmless: the peer of a
    /// deallocated association keeps running its timers without it.
    @Test func deallocatingOneSideMidCallIsHarmless() throws {
        var client: SCTPAssociation? = try SCTPAssociation(configuration: .init(isDTLSClient: true), at: .zero)
        let server = try SCTPAssociation(configuration: .init(isDTLSClient: false), at: .zero)
        var now = Instant.zero
        for _ in 0..<50 {
            while let p = client?.pollTransmit() { server.handle(packet: p, at: now) }
            while let p = server.pollTransmit() { client?.handle(packet: p, at: now) }
            now += .milliseconds(10)
            client?.handleTimeout(at: now)
            server.handleTimeout(at: now)
        }
        #expect(server.state == .established)
        let id = try server.openChannel(label: "orphan", at: now)
        let inFlight = server.pollTransmit()
        client = nil   // closes its socket (ABORT) and unregisters its id
        for _ in 0..<20 {
            now += .milliseconds(10)
            server.handleTimeout(at: now)
            while server.pollTransmit() != nil {}
        }
        #expect(inFlight != nil)
        #expect(server.channel(id)?.state == .connecting, "no ACK can come")
        server.abort(at: now)
        var events: [SCTPAssociation.Event] = []
        while let e = server.pollEvent() { events.append(e) }
        #expect(events.contains(.channelClosed(id: id, reason: .associationClosed)))
        #expect(events.last == .associationClosed(reason: .aborted))
    }
}

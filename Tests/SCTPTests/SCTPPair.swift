import DCEP
import Glibc
import MediaCore
@testable import SCTP

/// Two associations whose outboxes feed each other in memory, pumped until quiet, in virtual
/// time: `advance` moves the clock and fires usrsctp's timers (retransmissions, SACK delay).
/// `drop` may discard packets in flight (by direction and packet index) to simulate loss.
final class SCTPPair {
    let client: SCTPAssociation
    let server: SCTPAssociation
    var now: Instant
    var clientEvents: [SCTPAssociation.Event] = []
    var serverEvents: [SCTPAssociation.Event] = []
    var packets = 0
    var drop: (_ fromClient: Bool, _ index: Int, _ packet: [UInt8]) -> Bool = { _, _, _ in false }

    init(client: SCTPAssociation.Configuration = .init(isDTLSClient: true),
         server: SCTPAssociation.Configuration = .init(isDTLSClient: false), start: Instant = Instant(nanoseconds: 1_000_000_000)) throws {
        now = start
        self.client = try SCTPAssociation(configuration: client, at: start)
        self.server = try SCTPAssociation(configuration: server, at: start)
    }

    /// Moves packets both ways until neither side has anything to send.
    func pump(rounds: Int = 10_000) {
        for _ in 0..<rounds {
            var moved = false
            while let p = client.pollTransmit() {
                moved = true; packets += 1
                if !drop(true, packets, p) { server.handle(packet: p, at: now) }
            }
            while let p = server.pollTransmit() {
                moved = true; packets += 1
                if !drop(false, packets, p) { client.handle(packet: p, at: now) }
            }
            while let e = client.pollEvent() { clientEvents.append(e) }
            while let e = server.pollEvent() { serverEvents.append(e) }
            if !moved { return }
        }
    }

    /// Advances virtual time in `step`s, firing timers and pumping, `count` times or until `until` holds.
    /// `realTime` also sleeps each step: usrsctp's T3 handler only resends chunks whose RTO has
    /// passed on the real clock, so retransmission scenarios need real time too.
    func advance(by step: Duration = .milliseconds(10), count: Int, realTime: Bool = false, until: () -> Bool = { false }) {
        for _ in 0..<count {
            if until() { return }
            if realTime { usleep(UInt32(step.nanoseconds / 1_000)) }
            now += step
            client.handleTimeout(at: now)
            server.handleTimeout(at: now)
            pump()
        }
    }

    /// Brings the association up (both sides connect at once).
    func establish() {
        pump()
        advance(count: 300) { self.established }
    }

    var established: Bool {
        clientEvents.contains(.associationEstablished) && serverEvents.contains(.associationEstablished)
    }

    static func messages(_ events: [SCTPAssociation.Event], on id: UInt16) -> [DataChannelMessage] {
        events.compactMap { if case .message(id, let m) = $0 { return m }; return nil }
    }

    static func closed(_ events: [SCTPAssociation.Event], _ id: UInt16) -> DataChannelCloseReason? {
        events.lazy.compactMap { if case .channelClosed(id, let r) = $0 { return r }; return nil }.first
    }
}

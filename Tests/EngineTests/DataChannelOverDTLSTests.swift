import Testing
import DTLS
import MediaCore
import SCTP
import SDP
@testable import Engine

/// One side of a call: a PeerSession plus the SCTP association fed by its `.applicationData`.
final class DataChannelPeer {
    let session: PeerSession
    var sctp: SCTPAssociation?
    var events: [SCTPAssociation.Event] = []
    var sendFailures = 0

    init(session: PeerSession) { self.session = session }

    /// Builds the association from what SDP negotiated once DTLS is up.
    func startSCTP(at now: Instant) throws {
        let negotiated = try #require(session.negotiated)
        let data = try #require(negotiated.data)
        sctp = try SCTPAssociation(configuration: .init(isDTLSClient: negotiated.dtlsRole == .client,
                                                        localPort: data.localSCTPPort, remotePort: data.remoteSCTPPort,
                                                        localMaxMessageSize: data.localMaxMessageSize,
                                                        remoteMaxMessageSize: data.remoteMaxMessageSize), at: now)
    }

    /// Moves SCTP packets into DTLS and DTLS application data into SCTP.
    func drain(at now: Instant, sessionEvents: inout [PeerSession.Event]) {
        while let e = session.pollEvent() {
            if case .applicationData(let packet) = e { sctp?.handle(packet: packet, at: now) } else { sessionEvents.append(e) }
        }
        guard let sctp else { return }
        while let p = sctp.pollTransmit() {
            do { try session.sendApplicationData(p, at: now) } catch { sendFailures += 1 }
        }
        while let e = sctp.pollEvent() { events.append(e) }
    }
}

/// Two real PeerSessions over DTLS with an SCTPAssociation on each side, joined in memory.
final class DataChannelCall {
    let offerer: DataChannelPeer
    let answerer: DataChannelPeer
    var now = Instant(nanoseconds: 5_000_000_000)
    var offererSessionEvents: [PeerSession.Event] = []
    var answererSessionEvents: [PeerSession.Event] = []

    init() throws {
        func local(_ name: String, ssrc: UInt32) -> LocalParameters {
            LocalParameters(iceUfrag: "u\(name)", icePwd: "p\(name)p\(name)p\(name)p\(name)p\(name)pp",
                            fingerprints: [DTLSCertificate.shared.fingerprint], ssrc: ssrc, cname: name,
                            msid: MSID(streamID: name), sessionID: UInt64(ssrc))
        }
        let clock = WallClock(anchorInstant: .zero, anchorNTP: NTPTime(seconds: 3_900_000_000, fraction: 0))
        offerer = DataChannelPeer(session: try PeerSession(local: local("a", ssrc: 0x1111), wallClock: clock, seed: 1))
        answerer = DataChannelPeer(session: try PeerSession(local: local("b", ssrc: 0x2222), wallClock: clock, seed: 2))
        let answer = try answerer.session.answer(offer: offerer.session.createOffer(), at: now)
        try offerer.session.acceptAnswer(answer, at: now)
        offerer.session.startTransport(at: now)
        answerer.session.startTransport(at: now)
    }

    var dtlsConnected: Bool {
        offererSessionEvents.contains { if case .dtlsConnected = $0 { return true }; return false }
            && answererSessionEvents.contains { if case .dtlsConnected = $0 { return true }; return false }
    }

    /// Moves datagrams both ways until quiet.
    func pump() {
        for _ in 0..<1_000 {
            offerer.drain(at: now, sessionEvents: &offererSessionEvents)
            answerer.drain(at: now, sessionEvents: &answererSessionEvents)
            var moved = false
            while let d = offerer.session.pollTransmit() { moved = true; answerer.session.handle(datagram: d, at: now) }
            while let d = answerer.session.pollTransmit() { moved = true; offerer.session.handle(datagram: d, at: now) }
            if !moved { return }
        }
    }

    /// Advances time in 10 ms steps, firing every due timer, until `until` holds.
    func advance(steps: Int, until: () -> Bool) {
        for _ in 0..<steps {
            if until() { return }
            now += .milliseconds(10)
            for peer in [offerer, answerer] {
                if let t = peer.session.pollTimeout(), t <= now { peer.session.handleTimeout(at: now) }
                if let t = peer.sctp?.pollTimeout(), t <= now { peer.sctp?.handleTimeout(at: now) }
            }
            pump()
        }
    }
}

@Suite struct DataChannelOverDTLSTests {
    @Test func oaiEventsChannelCarriesJSONBothWaysOverRealDTLS() throws {
        let call = try DataChannelCall()
        call.pump()
        call.advance(steps: 300) { call.dtlsConnected }
        try #require(call.dtlsConnected)
        // The SDP negotiated the data m-line: ports and limits come from it.
        #expect(call.answerer.session.negotiated?.data?.remoteSCTPPort == 5000)
        try call.offerer.startSCTP(at: call.now)
        try call.answerer.startSCTP(at: call.now)
        call.pump()
        call.advance(steps: 300) {
            call.offerer.events.contains(.associationEstablished) && call.answerer.events.contains(.associationEstablished)
        }
        #expect(call.offerer.events.contains(.associationEstablished))
        #expect(call.answerer.events.contains(.associationEstablished))

        // The offerer (the voice appliance) opens oai-events, as OpenAI's WebRTC examples do.
        let offererSCTP = try #require(call.offerer.sctp), answererSCTP = try #require(call.answerer.sctp)
        let id = try offererSCTP.openChannel(label: "oai-events", at: call.now)
        call.pump()
        #expect(call.answerer.events.contains(.channelOpened(id: id, label: "oai-events", protocol: "")))
        #expect(call.offerer.events.contains(.channelOpened(id: id, label: "oai-events", protocol: "")))
        // The answerer is DTLS client (a=setup:active), so the offerer, DTLS server, takes odd ids.
        #expect(call.offerer.session.negotiated?.dtlsRole == .server)
        #expect(id % 2 == 1)

        let update = #"{"type":"session.update","session":{"type":"realtime","instructions":"Be brief."}}"#
        let created = #"{"type":"session.created","event_id":"event_1","session":{"id":"sess_1"}}"#
        let delta = #"{"type":"response.output_audio_transcript.delta","delta":"héllo 👋"}"#
        try offererSCTP.send(.text(update), on: id, at: call.now)
        try answererSCTP.send(.text(created), on: id, at: call.now)
        try answererSCTP.send(.text(delta), on: id, at: call.now)
        call.pump()
        #expect(SCTPAssociationEvents.messages(call.answerer.events, id) == [.text(update)])
        #expect(SCTPAssociationEvents.messages(call.offerer.events, id) == [.text(created), .text(delta)])
        #expect(call.offerer.sendFailures == 0 && call.answerer.sendFailures == 0)

        // A larger event (a transcript of a long turn) still goes through DTLS records intact.
        let long = #"{"type":"conversation.item.done","text":""# + String(repeating: "word ", count: 8_000) + #""}"#
        try answererSCTP.send(.text(long), on: id, at: call.now)
        call.pump()
        call.advance(steps: 100) { SCTPAssociationEvents.messages(call.offerer.events, id).count >= 3 }
        #expect(SCTPAssociationEvents.messages(call.offerer.events, id).last == .text(long))
    }
}

enum SCTPAssociationEvents {
    static func messages(_ events: [SCTPAssociation.Event], _ id: UInt16) -> [DataChannelMessage] {
        events.compactMap { if case .message(id, let m) = $0 { return m }; return nil }
    }
}

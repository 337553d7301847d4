import Glibc
import Testing
@testable import Runtime

extension EventLog {
    var selectedLocal: String? { events.compactMap { if case let .selectedPair(l, _) = $0 { return l }; return nil }.last }
    var gathered: Bool { events.contains(.gatheringDone) }
}

/// The port of a `candidate:` line (its sixth field).
func candidatePort(_ line: String) -> UInt16? {
    let fields = line.split(separator: " ")
    return fields.count > 5 ? UInt16(fields[5]) : nil
}

/// Relay and server-reflexive candidates against a real coturn on 127.0.0.1.
@Suite(.serialized) struct ICEAgentTURNTests {
    let loop = GLibLoop()

    /// Exchanges credentials, candidates and end-of-candidates between two gathered agents.
    func signal(_ a: EventLog, _ b: EventLog) throws {
        try a.agent.setRemoteCredentials(ufrag: b.agent.localUfrag, password: b.agent.localPassword)
        try b.agent.setRemoteCredentials(ufrag: a.agent.localUfrag, password: a.agent.localPassword)
        for c in b.candidates { try a.agent.addRemoteCandidate(c) }
        for c in a.candidates { try b.agent.addRemoteCandidate(c) }
        a.agent.endOfRemoteCandidates(); b.agent.endOfRemoteCandidates()
    }

    /// A relay-only agent signals nothing but its TURN allocation, and the call runs through it:
    /// the pair it selects is relayed, and once the TURN server dies its datagrams stop arriving
    /// (on loopback both agents could otherwise reach each other directly).
    @Test(arguments: [ICEAgent.TURNTransport.udp, .tcp])
    func relayOnlyAgentConnectsThroughTURN(transport: ICEAgent.TURNTransport) throws {
        guard TURNServerProcess.isInstalled else { Issue.record("coturn missing: run scripts/setup.sh interop"); return }
        let turn = try TURNServerProcess()
        defer { turn.stop() }
        let server = ICEAgent.TURNServer(host: "127.0.0.1", port: turn.port, username: turn.username,
                                         password: turn.password, transport: transport)
        let a = EventLog(ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"],
                                                       turnServers: [server], relayOnly: true), loop: loop) {})
        let b = EventLog(ICEAgent(configuration: .init(controlling: false, localAddresses: ["127.0.0.1"]), loop: loop) {})
        defer { a.agent.close(); b.agent.close() }
        try a.agent.gather(); try b.agent.gather()
        #expect(waitUntil([a, b], seconds: 5) { a.gathered && b.gathered })
        #expect(!a.candidates.isEmpty)
        #expect(a.candidates.allSatisfy { $0.contains("typ relay") }, "\(a.candidates)")
        let relayPorts = Set(a.candidates.compactMap(candidatePort))
        try signal(a, b)
        #expect(waitUntil([a, b], seconds: 5) { a.isConnected && b.isConnected }, "A \(a.states) B \(b.states)")
        #expect(a.selectedLocal?.contains("typ relay") == true, "\(a.selectedLocal ?? "none")")
        // B sees A at the relayed address that coturn allocated.
        #expect(b.selectedRemote.flatMap(candidatePort).map(relayPorts.contains) == true, "\(b.selectedRemote ?? "none")")
        #expect(a.agent.send([1, 2, 3]))
        #expect(b.agent.send([4, 5]))
        #expect(waitUntil([a, b], seconds: 5) { b.received.contains([1, 2, 3]) && a.received.contains([4, 5]) })

        turn.stop()
        usleep(100_000)
        a.agent.send([6, 6, 6]); b.agent.send([7, 7])
        waitUntil([a, b], seconds: 0.5) { false }
        #expect(!b.received.contains([6, 6, 6]) && !a.received.contains([7, 7]), "datagrams bypassed the TURN server")
    }

    /// With a STUN server configured, gathering adds a server-reflexive candidate: the address the
    /// server saw (here a NAT mapping in front of coturn), with the host candidate as its base.
    @Test func serverReflexiveCandidateComesFromTheSTUNServer() throws {
        guard TURNServerProcess.isInstalled else { Issue.record("coturn missing: run scripts/setup.sh interop"); return }
        let turn = try TURNServerProcess()
        let nat = LoopbackNAT(serverPort: turn.port)
        defer { nat.stop(); turn.stop() }
        let a = EventLog(ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"],
                                                       stunServer: ("127.0.0.1", nat.port)), loop: loop) {})
        defer { a.agent.close() }
        try a.agent.gather()
        #expect(waitUntil([a], seconds: 5) { a.gathered })
        let host = try #require(a.candidates.first { $0.contains("typ host") && $0.contains(" udp ") || $0.contains(" UDP ") })
        let srflx = try #require(a.candidates.first { $0.contains("typ srflx") }, "\(a.candidates)")
        #expect(srflx.contains("127.0.0.1"))
        #expect(nat.mappedPorts.contains(try #require(candidatePort(srflx))), "srflx \(srflx), mappings \(nat.mappedPorts)")
        // Its base (raddr/rport) is the host candidate it was learned through.
        #expect(srflx.contains("raddr 127.0.0.1 rport \(try #require(candidatePort(host)))"), "\(srflx) vs \(host)")
    }

    /// A relay-only agent whose TURN server refuses its credentials gathers nothing to signal and
    /// says so (gathering completes, with no candidate), rather than leaking host addresses.
    @Test func relayOnlyAgentWithWrongTURNPasswordSignalsNoCandidate() throws {
        guard TURNServerProcess.isInstalled else { Issue.record("coturn missing: run scripts/setup.sh interop"); return }
        let turn = try TURNServerProcess()
        defer { turn.stop() }
        let server = ICEAgent.TURNServer(host: "127.0.0.1", port: turn.port, username: turn.username, password: "wrong")
        let a = EventLog(ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"],
                                                       turnServers: [server], relayOnly: true), loop: loop) {})
        defer { a.agent.close() }
        try a.agent.gather()
        #expect(waitUntil([a], seconds: 10) { a.gathered })
        #expect(a.candidates.isEmpty, "\(a.candidates)")
    }

    /// libnice 0.1.21 has no TLS for TURN in RFC 5245 mode (it would talk plain TCP to the TLS
    /// port and fail late and silently): the agent refuses such a server up front, with the reason.
    @Test func turnOverTLSIsRefusedWithAReason() throws {
        let server = ICEAgent.TURNServer(host: "127.0.0.1", port: 5349, username: "u", password: "p", transport: .tls)
        let a = ICEAgent(configuration: .init(controlling: true, localAddresses: ["127.0.0.1"], turnServers: [server]), loop: loop) {}
        defer { a.close() }
        #expect {
            try a.gather()
        } throws: { error in
            guard case ICEError.unsupported(let reason) = error else { return false }
            return reason.contains("TLS")
        }
    }
}

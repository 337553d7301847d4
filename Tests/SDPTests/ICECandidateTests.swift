import Testing
import MediaCore
@testable import SDP

@Suite struct ICECandidateTests {
    @Test func udpHostWithChromiumExtensions() throws {
        let line = "candidate:2216928106 1 udp 2122194687 192.0.2.2 47005 typ host generation 0 network-id 1"
        let c = try ICECandidate(parsing: line[...])
        #expect(c.foundation == "2216928106")
        #expect(c.component == 1)
        #expect(c.isUDP && !c.isTCP)
        #expect(c.priority == 2_122_194_687)
        #expect(c.address == "192.0.2.2" && c.port == 47005)
        #expect(c.type == .host)
        #expect(c.extensions.map(\.name) == ["generation", "network-id"])
        #expect(c.candidateString == line)
    }

    @Test func tcpPassiveWithTCPType() throws {
        let value = "1860725114 1 tcp 1671430143 203.0.113.40 443 typ host tcptype passive ufrag Qk3v"
        let c = try ICECandidate(parsing: value[...])
        #expect(c.isTCP)
        #expect(c.tcpType == .passive)
        #expect(c.extensionValue("ufrag") == "Qk3v")
        #expect(c.sdpValue == value)
        var built = ICECandidate(foundation: "2", transport: "tcp", priority: 1, address: "127.0.0.1", port: 443, type: .host, tcpType: .active)
        #expect(built.sdpValue == "2 1 tcp 1 127.0.0.1 443 typ host tcptype active")
        built.tcpType = nil
        #expect(built.extensions.isEmpty)
    }

    @Test func ipv6AndUpperCaseTransport() throws {
        let c = try ICECandidate(parsing: "a=candidate:1 1 UDP 2122187007 2001:db8::1:2 50324 typ host")
        #expect(c.address == "2001:db8::1:2")
        #expect(c.isUDP)
        #expect(c.transport == "UDP")
    }

    @Test func reflexiveAndRelayKeepRelatedAddress() throws {
        let srflx = try ICECandidate(parsing: "1 2 UDP 1686052862 103.37.201.176 42661 typ srflx raddr 10.61.34.95 rport 42661")
        #expect(srflx.type == .srflx && srflx.component == 2)
        #expect(srflx.relatedAddress == "10.61.34.95" && srflx.relatedPort == 42661)
        let relay = try ICECandidate(parsing: "2784105335 1 udp 16777215 34.203.251.42 43015 typ relay raddr 0.0.0.0 rport 51381")
        #expect(relay.type == .relay)
        let prflx = try ICECandidate(parsing: "9 1 udp 1845501695 198.51.100.7 5000 typ prflx raddr 192.0.2.1 rport 5000 x-future-ext yes")
        #expect(prflx.type == .prflx)
        #expect(prflx.extensions == [ICECandidate.Extension(name: "x-future-ext", value: "yes")])
        #expect(prflx.sdpValue == "9 1 udp 1845501695 198.51.100.7 5000 typ prflx raddr 192.0.2.1 rport 5000 x-future-ext yes")
    }

    @Test func malformedCandidatesThrow() {
        let bad = [
            "", "candidate:", "1 1 udp 1 127.0.0.1 5000 host",           // missing typ
            "1 0 udp 1 127.0.0.1 5000 typ host",                        // component 0
            "1 1 udp 4294967296 127.0.0.1 5000 typ host",               // priority overflow
            "1 1 udp 1 127.0.0.1 65536 typ host",                       // port overflow
            "1 1 udp 1 127.0.0.1 5000 typ host generation",             // extension without value
            "1 1 tcp 1 127.0.0.1 5000 typ host tcptype sideways",       // bad tcptype
            "1 1 udp 1 127.0.0.1 5000 typ srflx raddr 1.2.3.4 rport x", // bad rport
            "1  1 udp 1 127.0.0.1 5000 typ host",                       // double space
            String(repeating: "f", count: 33) + " 1 udp 1 127.0.0.1 5000 typ host", // foundation too long
        ]
        for b in bad { #expect(throws: ParseError.self, "\(b)") { try ICECandidate(parsing: b[...]) } }
    }

    @Test func everyFixtureCandidateReserializesToItsLine() throws {
        for f in Fixture.allCases {
            for s in try f.parsed().mediaSections {
                for v in s.attributeValues("candidate") {
                    #expect(try ICECandidate(parsing: v).sdpValue == String(v))
                }
            }
        }
    }

    @Test func priorityFormula() {
        // RFC 8445: host (126), local pref 65535, component 1.
        #expect(ICECandidate.priority(typePreference: 126, localPreference: 65535, component: 1) == 2_130_706_431)
    }
}

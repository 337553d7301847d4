import Glibc
import Testing
import MediaCore
import SRTP
import SDP
@testable import DTLS

/// A second certificate, so the two ends of a pair really differ.
let peerCertificate = try! DTLSCertificate(commonName: "peer")

@Suite struct DTLSEndpointTests {
    @Test func handshakeConnectsBothEndsWithMirroredSRTPKeys() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate)
        pair.client.start(at: .zero)
        pair.server.start(at: .zero)
        pair.pump(at: .zero)
        let c = try #require(pair.clientEvents.compactMap(\.keys).first)
        let s = try #require(pair.serverEvents.compactMap(\.keys).first)
        #expect(c.profile == .aeadAES128GCM)
        #expect(c.localKeyAndSalt == s.remoteKeyAndSalt)
        #expect(c.remoteKeyAndSalt == s.localKeyAndSalt)
        #expect(c.localKeyAndSalt != c.remoteKeyAndSalt)
        #expect(pair.client.state == .connected && pair.server.state == .connected)
        #expect(pair.client.peerFingerprint == peerCertificate.fingerprint)
        #expect(pair.server.peerFingerprint == DTLSCertificate.shared.fingerprint)
        #expect(pair.client.pollTimeout() == nil)

        // The exported keys work: what one side protects, the other unprotects.
        let tx = try SRTPContext(keys: c), rx = try SRTPContext(keys: s)
        var packet: [UInt8] = [0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42] + Array(repeating: 7, count: 50)
        let plain = packet
        try tx.protectRTP(&packet)
        try rx.unprotectRTP(&packet)
        #expect(packet == plain)
    }

    @Test func serverOfferingOnlyCMSelectsCM() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate, serverProfiles: [.cm])
        pair.client.start(at: .zero)
        pair.pump(at: .zero)
        #expect(pair.clientEvents.compactMap(\.keys).first?.profile == .aes128CMHMACSHA1_80)
    }

    @Test func noCommonSRTPProfileFailsTheHandshake() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate, clientProfiles: [.gcm], serverProfiles: [.cm])
        pair.client.start(at: .zero)
        pair.pump(at: .zero)
        #expect(pair.client.state == .failed || pair.server.state == .failed)
    }

    @Test func fingerprintMismatchFailsTheCallWithAClearReason() throws {
        let wrong = Fingerprint(hashFunction: .sha256, digest: Array(repeating: 0xAB, count: 32))
        var pair = try DTLSPair.make(clientExpects: [wrong], serverCertificate: peerCertificate)
        pair.client.start(at: .zero)
        pair.pump(at: .zero)
        let failure = try #require(pair.clientEvents.compactMap(\.failure).first)
        #expect(failure == .fingerprintMismatch(expected: [wrong], got: peerCertificate.fingerprint))
        #expect(failure.description.contains("matches none"))
        #expect(pair.clientEvents.compactMap(\.keys).isEmpty)
        #expect(pair.client.state == .failed)
    }

    @Test func otherFingerprintAlgorithmsAreChecked() throws {
        let sha384 = try #require(DTLSCertificate.fingerprint(of: peerCertificate.certificate, hashFunction: .sha384))
        #expect(sha384.digest.count == 48)
        #expect(DTLSCertificate.fingerprint(of: peerCertificate.certificate, hashFunction: .md2) == nil)
        var pair = try DTLSPair.make(clientExpects: [sha384], serverCertificate: peerCertificate)
        pair.client.start(at: .zero)
        pair.pump(at: .zero)
        #expect(pair.client.state == .connected)
    }

    @Test func applicationDataFlowsBothWaysAndCloseIsSeen() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate)
        pair.client.start(at: .zero)
        pair.pump(at: .zero)
        let big = (0..<1_000).map { UInt8(truncatingIfNeeded: $0) }
        try pair.client.send([1, 2, 3])
        try pair.server.send(big)
        pair.pump(at: .zero)
        #expect(pair.serverEvents.contains(.applicationData([1, 2, 3])))
        #expect(pair.clientEvents.contains(.applicationData(big)))
        pair.client.close()
        pair.pump(at: .zero)
        #expect(pair.serverEvents.last == .closed)
        #expect(throws: DTLSError.notConnected) { try pair.client.send([1]) }
    }

    @Test func datagramsStayWithinTheMTU() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate, mtu: 600)
        pair.client.start(at: .zero)
        pair.pump(at: .zero)
        #expect(pair.client.state == .connected)
        #expect(pair.largestDatagram <= 600)
    }

    @Test func garbageDuringAndAfterTheHandshakeIsDroppedAndCounted() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate)
        pair.client.start(at: .zero)
        var rng: UInt64 = 42
        func noise(_ n: Int) -> [UInt8] {
            (0..<n).map { _ in rng = rng &* 6_364_136_223_846_793_005 &+ 1; return UInt8(truncatingIfNeeded: rng >> 33) }
        }
        // Before each real datagram, the server also hears random bytes and a truncated record.
        let server = pair.server
        pair.pump(at: .zero) { fromClient, _, d in
            if fromClient {
                server.handle(datagram: [22, 0xFE, 0xFD] + noise(20), at: .zero)
                server.handle(datagram: Array(d.prefix(d.count / 2)), at: .zero)
            }
            return d
        }
        #expect(pair.client.state == .connected && pair.server.state == .connected)
        pair.client.handle(datagram: noise(100), at: .zero)
        pair.client.handle(datagram: [23, 0xFE, 0xFD] + noise(40), at: .zero)
        pair.client.handle(datagram: [], at: .zero)
        try pair.server.send([9, 9])
        pair.pump(at: .zero)
        #expect(pair.client.state == .connected)
        #expect(pair.clientEvents.contains(.applicationData([9, 9])))
    }

    /// OpenSSL's retransmission timer runs on its own clock, so this waits real time (≥ 100 ms).
    @Test func lostFlightIsRetransmittedAfterTheTimer() throws {
        var pair = try DTLSPair.make(serverCertificate: peerCertificate)
        pair.client.start(at: .zero)
        // Lose the ClientHello.
        pair.pump(at: .zero) { fromClient, index, d in index == 1 ? nil : d }
        #expect(pair.client.state == .connecting)
        let deadline = try #require(pair.client.pollTimeout())
        #expect(deadline > .zero && deadline <= .zero + .milliseconds(100))
        usleep(130_000)
        let later = Instant.zero + .milliseconds(130)
        pair.client.handleTimeout(at: later)
        pair.pump(at: later)
        #expect(pair.client.state == .connected && pair.server.state == .connected)
    }

    @Test func certificateIsCachedPerProcessAndItsFingerprintRoundTripsThroughSDP() throws {
        #expect(DTLSCertificate.shared === DTLSCertificate.shared)
        let fp = DTLSCertificate.shared.fingerprint
        #expect(fp.digest.count == 32)
        #expect(try Fingerprint(parsing: fp.sdpValue[...]) == fp)
    }
}

import Testing
@testable import SRTP

/// A minimal RTP packet: V=2, PT 111, the given sequence number, timestamp and SSRC.
func rtpPacket(seq: UInt16, ssrc: UInt32 = 0xCAFE_BABE, payload: [UInt8] = Array(repeating: 0xAB, count: 80)) -> [UInt8] {
    let ts = UInt32(seq) &* 960
    return [0x80, 111, UInt8(seq >> 8), UInt8(seq & 0xFF),
            UInt8(ts >> 24), UInt8((ts >> 16) & 0xFF), UInt8((ts >> 8) & 0xFF), UInt8(ts & 0xFF),
            UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF)] + payload
}

/// A pair of contexts keyed as the two ends of one DTLS-SRTP association.
func contextPair(_ profile: SRTPProfile) throws -> (client: SRTPContext, server: SRTPContext) {
    let material = (0..<profile.keyingMaterialLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    let client = try SRTPContext(keys: SRTPKeyingMaterial(profile: profile, exported: material, role: .client))
    let server = try SRTPContext(keys: SRTPKeyingMaterial(profile: profile, exported: material, role: .server))
    return (client, server)
}

@Suite struct SRTPContextTests {
    @Test func rfc3711B3KeyDerivationOfTheReference() {
        let key = hex("E1F97A0D3E018BE0D64FA32C06DE4139"), salt = hex("0EC675AD498AFEEBB6960B3AABE6")
        #expect(ReferenceSRTP.deriveSessionKey(masterKey: key, masterSalt: salt, label: 0, length: 16) == hex("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(ReferenceSRTP.deriveSessionKey(masterKey: key, masterSalt: salt, label: 1, length: 20) == hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
        #expect(ReferenceSRTP.deriveSessionKey(masterKey: key, masterSalt: salt, label: 2, length: 14) == hex("30CBBC08863D8C85D49DB34A9AE1"))
    }

    @Test func rfc3711B2KeystreamOfTheReference() {
        let ks = ReferenceSRTP.keystream(key: hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                                         iv: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), count: 48)
        #expect(ks == hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"))
    }

    /// libsrtp2 and the RFC-derived reference agree byte for byte on a protected packet.
    @Test func libsrtpMatchesTheIndependentReference() throws {
        let key = hex("E1F97A0D3E018BE0D64FA32C06DE4139"), salt = hex("0EC675AD498AFEEBB6960B3AABE6")
        let keys = try SRTPKeyingMaterial(profile: .aes128CMHMACSHA1_80, localKeyAndSalt: key + salt, remoteKeyAndSalt: key + salt)
        let ctx = try SRTPContext(keys: keys)
        for seq: UInt16 in [0, 1, 4711] {
            let plain = rtpPacket(seq: seq, payload: (0..<77).map { UInt8($0) })
            var packet = plain
            try ctx.protectRTP(&packet)
            #expect(packet == ReferenceSRTP.protect(rtp: plain, masterKey: key, masterSalt: salt))
        }
    }

    @Test(arguments: SRTPProfile.allCases)
    func roundTripBetweenTheTwoEnds(profile: SRTPProfile) throws {
        let (client, server) = try contextPair(profile)
        for seq in UInt16(65_530)...UInt16(65_535) {
            let plain = rtpPacket(seq: seq)
            var packet = plain
            try client.protectRTP(&packet)
            #expect(packet.count == plain.count + profile.rtpOverhead)
            #expect(packet != plain + Array(repeating: 0, count: profile.rtpOverhead))
            try server.unprotectRTP(&packet)
            #expect(packet == plain)
        }
        // and the other way, through the sequence wrap (the rollover counter advances)
        for seq: UInt16 in [65_535, 0, 1] {
            let plain = rtpPacket(seq: seq, ssrc: 0x1234)
            var packet = plain
            try server.protectRTP(&packet)
            try client.unprotectRTP(&packet)
            #expect(packet == plain)
        }
        #expect(server.stats.unprotectedRTP == 6 && client.stats.unprotectedRTP == 3)
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtcpRoundTrip(profile: SRTPProfile) throws {
        let (client, server) = try contextPair(profile)
        // RR with no report blocks + SDES-less minimum: V=2, PT=201, length 1, SSRC.
        let plain: [UInt8] = [0x80, 201, 0, 1, 0xDE, 0xAD, 0xBE, 0xEF]
        var packet = plain
        try client.protectRTCP(&packet)
        #expect(packet.count > plain.count)
        try server.unprotectRTCP(&packet)
        #expect(packet == plain)
    }

    @Test(arguments: SRTPProfile.allCases)
    func tamperedPacketIsRejectedAndCounted(profile: SRTPProfile) throws {
        let (client, server) = try contextPair(profile)
        var packet = rtpPacket(seq: 10)
        try client.protectRTP(&packet)
        packet[20] ^= 0x01
        #expect(throws: SRTPError.authenticationFailed) { try server.unprotectRTP(&packet) }
        #expect(server.stats.authenticationFailures == 1)
        // a good packet afterwards still passes: the failure changed nothing
        var next = rtpPacket(seq: 11)
        try client.protectRTP(&next)
        try server.unprotectRTP(&next)
        #expect(next == rtpPacket(seq: 11))
    }

    @Test(arguments: SRTPProfile.allCases)
    func replayedPacketIsDroppedAndCounted(profile: SRTPProfile) throws {
        let (client, server) = try contextPair(profile)
        var packet = rtpPacket(seq: 500)
        try client.protectRTP(&packet)
        var copy = packet
        try server.unprotectRTP(&packet)
        #expect(throws: SRTPError.replayed) { try server.unprotectRTP(&copy) }
        #expect(server.stats.replaysDropped == 1)
    }

    @Test func wrongKeyFailsAuthentication() throws {
        let (client, _) = try contextPair(.aeadAES128GCM)
        let other = try SRTPContext(keys: SRTPKeyingMaterial(profile: .aeadAES128GCM,
            exported: Array(repeating: 9, count: SRTPProfile.aeadAES128GCM.keyingMaterialLength), role: .server))
        var packet = rtpPacket(seq: 1)
        try client.protectRTP(&packet)
        #expect(throws: SRTPError.authenticationFailed) { try other.unprotectRTP(&packet) }
    }

    @Test func garbageNeverTraps() throws {
        let (_, server) = try contextPair(.aes128CMHMACSHA1_80)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for n in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var bytes = (0..<(n % 200)).map { i in UInt8(truncatingIfNeeded: (state >> UInt64(i % 56)) &+ UInt64(i)) }
            if bytes.count > 1 { bytes[0] = 0x80 }
            #expect(throws: SRTPError.self) { try server.unprotectRTP(&bytes) }
        }
    }

    @Test func keyingMaterialSplitsPerRFC5764() throws {
        let profile = SRTPProfile.aes128CMHMACSHA1_80
        let material = (0..<60).map { UInt8($0) }
        let client = try SRTPKeyingMaterial(profile: profile, exported: material, role: .client)
        let server = try SRTPKeyingMaterial(profile: profile, exported: material, role: .server)
        #expect(client.localKeyAndSalt == Array(0..<16) + Array(32..<46))
        #expect(client.remoteKeyAndSalt == Array(16..<32) + Array(46..<60))
        #expect(server.localKeyAndSalt == client.remoteKeyAndSalt)
        #expect(throws: SRTPError.invalidKeyingMaterial(expected: 60, got: 3)) {
            try SRTPKeyingMaterial(profile: profile, exported: [1, 2, 3], role: .client)
        }
    }
}

import Foundation
import Testing
import MediaCore
@testable import SDP

@Suite struct SDPAttributeTests {
    @Test func rtpmapReadsNameClockAndChannels() throws {
        let opus = try RTPMap(parsing: "111 opus/48000/2")
        #expect(opus == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(opus.sdpValue == "111 opus/48000/2")
        let pcmu = try RTPMap(parsing: "0 PCMU/8000")
        #expect(pcmu.channels == nil)
        for bad in ["", "111", "128 opus/48000", "111 opus", "111 opus/0", "111 opus/48000/0", "x opus/48000", "111 opus/48000/2/1"] {
            #expect(throws: ParseError.self, "\(bad)") { try RTPMap(parsing: bad[...]) }
        }
    }

    @Test func opusFormatParametersAreTyped() throws {
        let f = try FormatParameters(parsing: "111 minptime=10;useinbandfec=1; usedtx=1;stereo=0;sprop-stereo=1;maxaveragebitrate=32000")
        let opus = try OpusParameters(f)
        #expect(opus.minptime == 10)
        #expect(opus.useInbandFEC == true)
        #expect(opus.useDTX == true)
        #expect(opus.stereo == false)
        #expect(opus.spropStereo == true)
        #expect(opus.maxAverageBitrate == 32000)
        #expect(OpusParameters(minptime: 10, useInbandFEC: true).parameterText == "minptime=10;useinbandfec=1")
        #expect(throws: ParseError.self) { try OpusParameters(FormatParameters(parsing: "111 useinbandfec=yes")) }
        // telephone-event's event list is not key=value and is kept as written.
        let te = try FormatParameters(parsing: "101 0-15")
        #expect(te.parameters == "0-15")
        #expect(te.sdpValue == "101 0-15")
    }

    @Test func rtcpFeedbackExtmapSSRCAndMSID() throws {
        let fb = try RTCPFeedback(parsing: "120 nack pli")
        #expect(fb.payloadType == 120 && fb.type == "nack" && fb.parameter == "pli")
        #expect(try RTCPFeedback(parsing: "* transport-cc").payloadType == nil)

        let level = try ExtMap(parsing: "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level")
        #expect(level.id == 1 && level.uri == ExtMap.ssrcAudioLevelURI && level.direction == nil)
        let recvOnly = try ExtMap(parsing: "2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level")
        #expect(recvOnly.direction == .recvonly)
        #expect(recvOnly.sdpValue == "2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level")
        #expect(throws: ParseError.self) { try ExtMap(parsing: "0 urn:x") }
        #expect(throws: ParseError.self) { try ExtMap(parsing: "3/sideways urn:x") }

        let cname = try SSRCAttribute(parsing: "4175579747 cname:r7TS3XuFCl/m7y4b")
        #expect(cname.ssrc == 4_175_579_747 && cname.name == "cname" && cname.value == "r7TS3XuFCl/m7y4b")
        #expect(throws: ParseError.self) { try SSRCAttribute(parsing: "4294967296 cname:x") }

        let msid = try MSID(parsing: "- 8bbd5bb8-24ea-42b0-9cce-088abc9421c6")
        #expect(msid.streamID == "-" && msid.trackID == "8bbd5bb8-24ea-42b0-9cce-088abc9421c6")
    }

    @Test func directionsMirror() {
        #expect(MediaDirection.sendonly.reversed == .recvonly)
        #expect(MediaDirection.recvonly.reversed == .sendonly)
        #expect(MediaDirection.sendrecv.reversed == .sendrecv)
        #expect(MediaDirection.inactive.reversed == .inactive)
    }

    @Test(arguments: [(Fingerprint.HashFunction.sha1, 20), (.sha224, 28), (.sha256, 32), (.sha384, 48), (.sha512, 64)])
    func fingerprintsOfEveryHashRoundTrip(_ hash: Fingerprint.HashFunction, _ length: Int) throws {
        let f = Fingerprint(hashFunction: hash, digest: (0..<length).map { UInt8(($0 * 37 + 5) & 0xFF) })
        let parsed = try Fingerprint(parsing: f.sdpValue[...])
        #expect(parsed == f)
        // Wrong length for the named hash is rejected.
        let short = "\(hash.name) " + f.sdpValue.split(separator: " ")[1].dropLast(3)
        #expect(throws: ParseError.self) { try Fingerprint(parsing: short[...]) }
    }

    @Test func fingerprintRejectsBadDigests() {
        for bad in ["sha-256", "sha-256 ZZ:00", "sha-256 0A-0B", "sha-256 0A:0B:", "sha-256 0A0B"] {
            #expect(throws: ParseError.self, "\(bad)") { try Fingerprint(parsing: bad[...]) }
        }
        // Lower-case hex and upper-case names are accepted.
        #expect((try? Fingerprint(parsing: "SHA-1 " + String(repeating: "ab:", count: 19) + "ab")) != nil)
    }

    @Test func setupRoles() throws {
        for role in SetupRole.allCases { #expect(try SetupRole(parsing: role.rawValue[...]) == role) }
        #expect(throws: ParseError.self) { try SetupRole(parsing: "server") }
    }

    @Test func dataChannelAttributes() throws {
        let sdp = try Fixture.chromiumOffer.parsed()
        let data = sdp.mediaSections[1]
        #expect(data.media.isDTLSSCTP)
        #expect(data.media.formats == ["webrtc-datachannel"])
        #expect(try data.sctpPort == 5000)
        #expect(try data.maxMessageSize == 262_144)
    }

    @Test func chromiumAudioSectionTypedView() throws {
        let audio = try Fixture.chromiumOffer.parsed().mediaSections[0]
        #expect(audio.media.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(audio.mid == "0")
        #expect(audio.direction == .sendrecv)
        #expect(audio.hasRTCPMux)
        #expect(try audio.rtpMaps.count == 8)
        #expect(try audio.rtpMap(for: 126)?.encodingName == "telephone-event")
        let opusFmtp = try #require(try audio.formatParameters(for: 111))
        #expect(try OpusParameters(opusFmtp).useInbandFEC == true)
        #expect(try audio.rtcpFeedback.first?.type == "transport-cc")
        #expect(try audio.extMaps.first { $0.uri == ExtMap.ssrcAudioLevelURI }?.id == 1)
        #expect(try audio.ssrcAttributes.map(\.name) == ["cname", "msid"])
        #expect(try audio.msid?.trackID == "97fd30f1-4279-4be5-9cd6-7f7303717071")
        #expect(try audio.candidates.count == 4)
    }

    @Test func ptimeAndMaxptime() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ptime:20\r\na=maxptime:40.5\r\n"
        let audio = try SessionDescription(parsing: text).mediaSections[0]
        #expect(try audio.ptime == 20)
        #expect(try audio.maxptime == 40)
        let bad = try SessionDescription(parsing: text.replacingOccurrences(of: "ptime:20", with: "ptime:x")).mediaSections[0]
        #expect(throws: ParseError.self) { try bad.ptime }
    }

    @Test func transportParametersPreferMediaLevelOverSessionLevel() throws {
        // Firefox puts the fingerprint at session level and ICE credentials at media level.
        let firefox = try Fixture.firefoxOffer.parsed()
        let t = try firefox.transport(forSection: 0)
        #expect(t.iceUfrag == "09d76317")
        #expect(t.fingerprints.map(\.hashFunction) == [.sha256])
        #expect(t.setup == .actpass)
        #expect(t.iceOptions == ["trickle"])

        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:sess\r\na=ice-pwd:sessionpassword123\r\na=setup:actpass\r\na=ice-lite\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:media\r\na=setup:passive\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
        let sdp = try SessionDescription(parsing: text)
        let audio = try sdp.transport(forSection: 0), data = try sdp.transport(forSection: 1)
        #expect(audio.iceUfrag == "media" && audio.icePwd == "sessionpassword123" && audio.setup == .passive)
        #expect(data.iceUfrag == "sess" && data.setup == .actpass)
        #expect(audio.iceLite && sdp.isICELite)
    }

    @Test func bundleOnlyPortZeroIsNotRejected() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=bundle-only\r\nm=audio 0 UDP/TLS/RTP/SAVPF 0\r\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(!sdp.mediaSections[0].isRejected)
        #expect(sdp.mediaSections[1].isRejected)
    }
}

import Foundation
import Testing
import MediaCore
@testable import SDP

@Suite struct NegotiationTests {
    let negotiator = OfferAnswerNegotiator(local: testLocal())

    @Test func ourOfferCarriesTheLoopbackCandidateAndOurProfile() throws {
        let offer = negotiator.makeOffer()
        let reparsed = try SessionDescription(parsing: offer.text)
        #expect(reparsed.text == offer.text)
        #expect(reparsed.mediaSections.map(\.media.media) == ["audio", "application"])
        let audio = reparsed.mediaSections[0]
        #expect(audio.media.port == 50000)
        #expect(audio.media.payloadTypes == [111, 0, 8, 110, 126])
        #expect(audio.lines.first?.value == "IN IP4 127.0.0.1")
        #expect(try audio.candidates.first?.address == "127.0.0.1")
        #expect(try reparsed.transport(forSection: 0).setup == .actpass)
        #expect(try reparsed.bundleMids == ["0", "1"])
        #expect(try reparsed.mediaSections[1].sctpPort == 5000)
        #expect(offer.text.hasSuffix("\r\n"))
    }

    @Test func twoOfOurNegotiatorsAgree() throws {
        let offerer = negotiator
        var remoteLocal = testLocal(setup: .passive)
        remoteLocal.iceUfrag = "peer"
        remoteLocal.ssrc = 99
        let answerer = OfferAnswerNegotiator(local: remoteLocal)
        let offer = offerer.makeOffer()
        let (answer, answerSide) = try answerer.makeAnswer(to: SessionDescription(parsing: offer.text))
        let offerSide = try offerer.acceptAnswer(SessionDescription(parsing: answer.text), toOffer: offer)
        #expect(answerSide.localSetup == .passive && answerSide.dtlsRole == .server)
        #expect(offerSide.localSetup == .active && offerSide.dtlsRole == .client)
        #expect(offerSide.remoteICEUfrag == "peer")
        #expect(answerSide.remoteICEUfrag == "sWft")
        #expect(offerSide.audio?.payloadType == 111 && answerSide.audio?.payloadType == 111)
        #expect(offerSide.audio?.telephoneEventPayloadType == 110)
        #expect(offerSide.audio?.remoteSSRC == 99)
        #expect(answerSide.audio?.remoteSSRC == 0x1234_5678)
        #expect(offerSide.audio?.useInbandFEC == true)
        #expect(offerSide.remoteCandidates.first?.address == "127.0.0.1")
        #expect(offerSide.data?.remoteSCTPPort == 5000 && offerSide.data?.remoteMaxMessageSize == 262_144)
        #expect(offerSide.bundleMids == ["0", "1"])
    }

    @Test(arguments: Fixture.offers)
    func weAnswerEveryRealOffer(_ fixture: Fixture) throws {
        let offer = try fixture.parsed()
        let (answer, session) = try negotiator.makeAnswer(to: offer)
        // The answer is well-formed, has one m-line per offered one, and mirrors the mids.
        let reparsed = try SessionDescription(parsing: answer.text)
        #expect(reparsed.mediaSections.count == offer.mediaSections.count)
        #expect(reparsed.mediaSections.map(\.mid) == offer.mediaSections.map(\.mid))
        #expect(session.localSetup == .active)
        #expect(session.audio?.codec == .opus)
        #expect(session.audio?.clockRate == 48000 && session.audio?.channels == 2)
        let offeredOpus = try offer.mediaSections.first { $0.media.media == "audio" }!.rtpMaps.first { $0.encodingName == "opus" }!.payloadType
        #expect(session.audio?.payloadType == offeredOpus)
        #expect(!session.remoteICEUfrag.isEmpty && !session.remoteFingerprints.isEmpty)
        // The answer's audio m-line is Opus (at the offered PT) first.
        let audioAnswer = reparsed.mediaSections.first { $0.media.media == "audio" }!
        #expect(audioAnswer.media.payloadTypes.first == offeredOpus)
        #expect(try audioAnswer.transport(forSection: 0, in: reparsed).setup == .active)
    }

    @Test func chromiumOfferDetails() throws {
        let (_, s) = try negotiator.makeAnswer(to: Fixture.chromiumOffer.parsed())
        #expect(s.audio?.telephoneEventPayloadType == 110)   // the 48 kHz one, matching Opus
        #expect(s.audio?.useInbandFEC == true)
        #expect(s.audio?.remoteSSRC == 4_175_579_747)
        #expect(s.audio?.remoteCNAME == "r7TS3XuFCl/m7y4b")
        #expect(s.audio?.audioLevelExtensionID == 1)
        #expect(s.data?.remoteSCTPPort == 5000)
        #expect(s.remoteCandidates.count == 6)     // 4 per m-line; the TCP active ones (port 9) repeat and are merged
        #expect(s.remoteCandidates.contains { $0.tcpType == .active })
        #expect(s.remoteICEOptions == ["trickle"])
        #expect(s.remoteFingerprints.first?.hashFunction == .sha256)
        #expect(s.bundleMids == ["0", "1"])
        #expect(s.rejected.isEmpty)
    }

    @Test func aiortcOfferWithoutOpusFmtpAndSeveralFingerprints() throws {
        let (answer, s) = try negotiator.makeAnswer(to: Fixture.aiortcOffer.parsed())
        #expect(s.audio?.payloadType == 96)
        #expect(s.audio?.remoteOpus == nil)
        #expect(s.audio?.useInbandFEC == false)
        #expect(s.audio?.telephoneEventPayloadType == nil)
        #expect(s.remoteFingerprints.map(\.hashFunction) == [.sha256, .sha384, .sha512])
        #expect(s.remoteEndOfCandidates)
        #expect(try answer.bundleMids == ["0", "1"])
    }

    @Test func firefoxOfferRejectsVideoAndKeepsAudio() throws {
        let (answer, s) = try negotiator.makeAnswer(to: Fixture.firefoxOffer.parsed())
        #expect(s.audio?.payloadType == 109)
        #expect(s.audio?.telephoneEventPayloadType == 101)
        #expect(s.data == nil)
        #expect(s.rejected.map(\.reason) == [.unsupportedMedia(mid: "1", media: "video")])
        #expect(answer.mediaSections[1].media.port == 0)
        #expect(try answer.bundleMids == ["0"])
        #expect(s.remoteCandidates.contains { $0.type == .relay && $0.relatedPort == 55324 })
    }

    @Test func pionOfferWithSessionLevelFingerprint() throws {
        let (answer, s) = try negotiator.makeAnswer(to: Fixture.pionOffer.parsed())
        #expect(s.remoteFingerprints.count == 1)
        #expect(s.audio?.mid == "1" && s.data?.mid == "2")
        #expect(s.rejected.map(\.mid) == ["0"])
        #expect(try answer.bundleMids == ["1", "2"])
        #expect(s.audio?.remoteMSID == MSID(streamID: "pion", trackID: "audio"))
    }

    // MARK: - Real answers against the offers they answered

    @Test func aiortcAnswerToChromiumOffer() throws {
        let s = try negotiator.acceptAnswer(Fixture.aiortcAnswer.parsed(), toOffer: Fixture.chromiumOffer.parsed())
        #expect(s.localSetup == .passive && s.dtlsRole == .server)   // aiortc answered active
        #expect(s.audio?.payloadType == 111)
        #expect(s.remoteICEUfrag == "qVII")
        #expect(s.remoteFingerprints.count == 3)
        #expect(s.data?.remoteMaxMessageSize == 262_144)
    }

    @Test func chromiumAnswerToAiortcOffer() throws {
        let s = try negotiator.acceptAnswer(Fixture.chromiumAnswer.parsed(), toOffer: Fixture.aiortcOffer.parsed())
        #expect(s.localSetup == .passive)
        #expect(s.audio?.payloadType == 96)
        #expect(s.audio?.useInbandFEC == true)
        #expect(s.audio?.remoteSSRC == 1_049_616_063)
        #expect(s.data?.remoteSCTPPort == 5000)
    }

    @Test func openAIAnswerToChromiumOffer() throws {
        let s = try negotiator.acceptAnswer(Fixture.openAIAnswer.parsed(), toOffer: Fixture.chromiumOffer.parsed())
        #expect(s.dtlsRole == .server)
        #expect(s.audio?.payloadType == 111 && s.audio?.codec == .opus)
        let tcp = s.remoteCandidates.first { $0.isTCP }
        #expect(tcp?.port == 443 && tcp?.tcpType == .passive)
        #expect(s.remoteCandidates.contains { $0.isUDP && $0.port == 3478 })
        #expect(s.data?.remoteSCTPPort == 5000 && s.data?.remoteMaxMessageSize == 65536)  // RFC 8841 default
        #expect(s.bundleMids == ["0", "1"])
    }

    // MARK: - Directions and roles

    @Test(arguments: [(MediaDirection.sendrecv, MediaDirection.sendrecv), (.sendonly, .recvonly), (.recvonly, .sendonly), (.inactive, .inactive)])
    func answerMirrorsTheOfferedDirection(_ offered: MediaDirection, _ expected: MediaDirection) throws {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "a=sendrecv", with: "a=\(offered.rawValue)")
        let (answer, s) = try negotiator.makeAnswer(to: SessionDescription(parsing: text))
        #expect(s.audio?.direction == expected)
        #expect(answer.mediaSections[0].direction == expected)
    }

    @Test func answererCanBePassive() throws {
        let n = OfferAnswerNegotiator(local: testLocal(setup: .passive))
        let (answer, s) = try n.makeAnswer(to: Fixture.chromiumOffer.parsed())
        #expect(s.dtlsRole == .server)
        #expect(answer.mediaSections[0].attribute("setup") == "passive")
    }

    @Test func offerThatIsActiveMakesUsPassive() throws {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:active")
        let (_, s) = try negotiator.makeAnswer(to: SessionDescription(parsing: text))
        #expect(s.localSetup == .passive)
    }

    // MARK: - Failures, each with its typed reason

    func answerError(_ text: String, local: LocalParameters = testLocal()) -> NegotiationError? {
        do {
            _ = try OfferAnswerNegotiator(local: local).makeAnswer(to: SessionDescription(parsing: text))
            return nil
        } catch let e as NegotiationError {
            return e
        } catch {
            return .malformed(error as? ParseError ?? .unsupported("?"))
        }
    }

    @Test func noCommonCodec() {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "111 63 9 0 8 13 110 126", with: "9 13")
        #expect(answerError(text) == .noCommonCodec(mid: "0"))
    }

    @Test func fallsBackToG711WithoutOpus() throws {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "111 63 9 0 8 13 110 126", with: "8 0 126")
        let (_, s) = try negotiator.makeAnswer(to: SessionDescription(parsing: text))
        #expect(s.audio?.codec == .pcmu)   // our preference order, not theirs
        #expect(s.audio?.telephoneEventPayloadType == 126)
    }

    @Test func missingICECredentials() {
        #expect(answerError(Fixture.pionLegacyLF.text) == .rtcpMuxRequired(mid: "0"))
        let noICE = Fixture.chromiumOffer.text.split(separator: "\r\n").filter { !$0.hasPrefix("a=ice-ufrag") }.joined(separator: "\r\n") + "\r\n"
        #expect(answerError(noICE) == .missingICECredentials(mid: "0"))
    }

    @Test func missingFingerprint() {
        let text = Fixture.chromiumOffer.text.split(separator: "\r\n").filter { !$0.hasPrefix("a=fingerprint") }.joined(separator: "\r\n") + "\r\n"
        #expect(answerError(text) == .missingFingerprint(mid: "0"))
    }

    @Test func rtcpMuxRequiredOnBundledAudio() throws {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "a=rtcp-mux\r\n", with: "")
        #expect(answerError(text) == .rtcpMuxRequired(mid: "0"))
        var dataOnly = testLocal()
        dataOnly.requireAudio = false
        let (_, s) = try OfferAnswerNegotiator(local: dataOnly).makeAnswer(to: SessionDescription(parsing: text))
        #expect(s.audio == nil && s.data?.mid == "1")
        #expect(s.rejected.map(\.reason) == [.rtcpMuxRequired(mid: "0")])
    }

    @Test func unsupportedTransport() {
        let plain = Fixture.chromiumOffer.text.replacingOccurrences(of: "UDP/TLS/RTP/SAVPF", with: "RTP/AVP")
        #expect(answerError(plain) == .unsupportedTransport(mid: "0", proto: "RTP/AVP"))
        // Pion's legacy `DTLS/SCTP 5000` data m-line is rejected, not answered.
        var dataOnly = testLocal()
        dataOnly.requireAudio = false
        let legacyData = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuv\n"
            + "a=fingerprint:sha-256 \((0..<32).map { _ in "AA" }.joined(separator: ":"))\n"
            + "m=application 9 DTLS/SCTP 5000\nc=IN IP4 0.0.0.0\na=mid:0\na=sctpmap:5000 webrtc-datachannel 1024\n"
        #expect(answerError(legacyData, local: dataOnly) == .unsupportedTransport(mid: "0", proto: "DTLS/SCTP"))
    }

    @Test func dataWithoutSCTPPortDefaultsTo5000() throws {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "a=sctp-port:5000\r\n", with: "")
            .replacingOccurrences(of: "a=max-message-size:262144\r\n", with: "")
        let (_, s) = try negotiator.makeAnswer(to: SessionDescription(parsing: text))
        #expect(s.data?.remoteSCTPPort == 5000)
        #expect(s.data?.remoteMaxMessageSize == 65536)
    }

    @Test func holdconnIsRefused() {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:holdconn")
        #expect(answerError(text) == .invalidSetup(mid: "0", role: .holdconn))
    }

    @Test func malformedAttributeIsTyped() {
        let text = Fixture.chromiumOffer.text.replacingOccurrences(of: "a=rtpmap:111 opus/48000/2", with: "a=rtpmap:111 opus")
        guard case .malformed? = answerError(text) else { Issue.record("expected .malformed"); return }
    }

    @Test func answerWithActpassOrWrongShapeIsRefused() throws {
        let offer = negotiator.makeOffer()
        let remote = OfferAnswerNegotiator(local: testLocal())
        let (answer, _) = try remote.makeAnswer(to: offer)
        let actpass = try SessionDescription(parsing: answer.text.replacingOccurrences(of: "a=setup:active", with: "a=setup:actpass"))
        #expect(throws: NegotiationError.invalidSetup(mid: "0", role: .actpass)) { try negotiator.acceptAnswer(actpass, toOffer: offer) }
        let oneLine = SessionDescription(sessionLines: answer.sessionLines, mediaSections: [answer.mediaSections[0]])
        #expect(throws: NegotiationError.self) { try negotiator.acceptAnswer(oneLine, toOffer: offer) }
        let otherPT = try SessionDescription(parsing: answer.text.replacingOccurrences(of: "m=audio 50000 UDP/TLS/RTP/SAVPF 111 110", with: "m=audio 50000 UDP/TLS/RTP/SAVPF 96"))
        #expect(throws: NegotiationError.answerMismatch("payload type 96 was not offered")) { try negotiator.acceptAnswer(otherPT, toOffer: offer) }
    }

    @Test func rejectedMLinesInAnAnswer() throws {
        let offer = negotiator.makeOffer()
        let (answer, _) = try OfferAnswerNegotiator(local: testLocal()).makeAnswer(to: offer)
        // Data rejected: the session goes on without it.
        let noData = try SessionDescription(parsing: answer.text.replacingOccurrences(of: "m=application 50000", with: "m=application 0"))
        let s = try negotiator.acceptAnswer(noData, toOffer: offer)
        #expect(s.data == nil && s.audio != nil)
        #expect(s.rejected.map(\.reason) == [.rejectedByRemote(mid: "1")])
        // Audio rejected: a voice session cannot go on.
        let noAudio = try SessionDescription(parsing: answer.text.replacingOccurrences(of: "m=audio 50000", with: "m=audio 0"))
        #expect(throws: NegotiationError.rejectedByRemote(mid: "0")) { try negotiator.acceptAnswer(noAudio, toOffer: offer) }
    }
}

extension MediaSection {
    /// The transport parameters of this section inside `sdp` (test helper).
    func transport(forSection index: Int, in sdp: SessionDescription) throws -> TransportParameters {
        let i = sdp.mediaSections.firstIndex(of: self) ?? index
        return try sdp.transport(forSection: i)
    }
}

import Testing
import MediaCore
@testable import SDP

@Suite struct SDPRoundTripTests {
    @Test(arguments: Fixture.allCases)
    func fixtureRoundTripsByteForByte(_ fixture: Fixture) throws {
        let bytes = fixture.bytes
        try #require(!bytes.isEmpty)
        let sdp = try fixture.parsed()
        var w = ByteWriter()
        sdp.serialize(into: &w)
        #expect(w.bytes == bytes)
        #expect(try SessionDescription(parsing: fixture.text).text == fixture.text)
    }

    @Test func lineEndingsAreKeptPerLine() throws {
        let crlf = try Fixture.chromiumOffer.parsed()
        #expect(crlf.lineEnding == .crlf)
        #expect(crlf.mediaSections.allSatisfy { $0.lines.allSatisfy { $0.ending == .crlf } })
        let lf = try Fixture.pionLegacyLF.parsed()
        #expect(lf.lineEnding == .lf)
        let mixed = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\ns=-\r\nt=0 0\na=x-custom:1"
        let parsed = try SessionDescription(parsing: mixed)
        #expect(parsed.text == mixed)
        #expect(parsed.sessionLines.last?.ending == LineEnding.none)
    }

    @Test func unknownAttributesAndLinesStayInOrder() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nt=0 0\r\na=zzz-unknown\r\na=x-foo:bar baz\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nb=AS:64\r\na=x-later:1\r\na=rtpmap:0 PCMU/8000\r\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.text == text)
        #expect(sdp.sessionAttribute("x-foo") == "bar baz")
        #expect(sdp.mediaSections[0].lines.map(\.value) == ["AS:64", "x-later:1", "rtpmap:0 PCMU/8000"])
    }

    @Test func fixturesHaveTheExpectedShape() throws {
        let chromium = try Fixture.chromiumOffer.parsed()
        #expect(chromium.mediaSections.map(\.media.media) == ["audio", "application"])
        #expect(try chromium.bundleMids == ["0", "1"])
        let firefox = try Fixture.firefoxOffer.parsed()
        #expect(firefox.mediaSections.map(\.media.media) == ["audio", "video"])
        let pion = try Fixture.pionOffer.parsed()
        #expect(pion.mediaSections.map(\.mid) == ["0", "1", "2"])
    }

    @Test func malformedInputThrowsTypedErrors() {
        let cases: [String] = [
            "",
            "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n",            // wrong version
            "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\ns=-\r\nt=0 0\r\n",            // order
            "v=0\r\no=- x 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n",            // session id not decimal
            "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n",                    // origin fields
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n",                     // no t=
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nq=what\r\n",  // unknown type
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n\r\n",        // empty line
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", // port range
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP\r\n",       // no format
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n", // t= in media
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=x\rbad\r\n", // stray CR
        ]
        for text in cases {
            #expect(throws: ParseError.self, "\(text.debugDescription)") { try SessionDescription(parsing: text) }
        }
        let invalidUTF8: [UInt8] = Array("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=".utf8) + [0xFF, 0xFE] + Array("\r\nt=0 0\r\n".utf8)
        #expect(throws: ParseError.self) { try SessionDescription(parsing: invalidUTF8[...]) }
    }

    @Test func parsesFromAByteReader() throws {
        var reader = ByteReader(Fixture.aiortcOffer.bytes)
        let sdp = try SessionDescription(parsing: &reader)
        #expect(reader.isAtEnd)
        #expect(sdp.mediaSections.count == 2)
    }
}

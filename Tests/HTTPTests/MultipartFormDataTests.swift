import HTTP
import MediaCore
import Testing

@Suite struct MultipartFormDataTests {
    static let sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"
    static let session = "{\"type\":\"realtime\",\"model\":\"gpt-realtime-mini\"}"

    func body(_ boundary: String, preamble: String = "", epilogue: String = "") -> [UInt8] {
        Array((preamble + "--\(boundary)\r\nContent-Disposition: form-data; name=\"sdp\"\r\nContent-Type: application/sdp\r\n\r\n\(Self.sdp)\r\n"
            + "--\(boundary)  \r\nContent-Disposition: form-data; name=\"session\"; filename=\"s.json\"\r\n\r\n\(Self.session)\r\n"
            + "--\(boundary)--\(epilogue)").utf8)
    }

    @Test func callsFormGivesSDPAndSessionParts() throws {
        let form = try MultipartFormData(parsing: body("XyZ"), boundary: "XyZ")
        #expect(form.parts.count == 2)
        #expect(form["sdp"]?.text == Self.sdp)
        #expect(form["sdp"]?.contentType == "application/sdp")
        #expect(form["session"]?.text == Self.session)
        #expect(form["session"]?.filename == "s.json")
    }

    @Test func preambleAndEpilogueAreIgnored() throws {
        let form = try MultipartFormData(parsing: body("b", preamble: "ignored text\r\n", epilogue: "\r\ntrailing"), boundary: "b")
        #expect(form["sdp"]?.text == Self.sdp)
        #expect(form.parts.count == 2)
    }

    @Test func boundaryLookalikesInsideABodyAreData() throws {
        // "\r\n--b" followed by anything but padding+CRLF or "--" is not a delimiter (RFC 2046 §5.1.1).
        let value = "line\r\n--bX not the end\r\n--b \tmore\r\n-"
        let text = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\(value)\r\n--b--"
        let form = try MultipartFormData(parsing: Array(text.utf8), boundary: "b")
        #expect(form.parts.count == 1)
        #expect(form["x"]?.text == value)
    }

    @Test func partBodyMayHoldCRLFAndDashes() throws {
        let value = "a\r\n\r\n--\r\n-- b\r\n--bo"
        let text = "--bound\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\(value)\r\n--bound--\r\n"
        let form = try MultipartFormData(parsing: Array(text.utf8), boundary: "bound")
        #expect(form["x"]?.text == value)
    }

    @Test func emptyPartBodyAndPartWithoutHeadersFailOnlyWithoutDisposition() throws {
        let empty = "--q\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--q--"
        #expect(try MultipartFormData(parsing: Array(empty.utf8), boundary: "q")["e"]?.body == [])
        let noHeaders = "--q\r\n\r\nvalue\r\n--q--"
        #expect(throws: ParseError.self) { try MultipartFormData(parsing: Array(noHeaders.utf8), boundary: "q") }
    }

    @Test func malformedBodiesThrow() {
        let cases = [
            "no delimiter at all",
            "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
            "--qjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--q--",
            "--q\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--q--",
            "--q\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--q--",
            "--q\r\nContent-Disposition: form-data\r\n\r\nx\r\n--q--",
        ]
        for c in cases {
            #expect(throws: ParseError.self, "\(c.debugDescription)") { try MultipartFormData(parsing: Array(c.utf8), boundary: "q") }
        }
        #expect(throws: ParseError.self) { try MultipartFormData(parsing: [], boundary: "") }
    }

    @Test func boundaryComesFromTheContentType() {
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartFormData.boundary(fromContentType: "Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b;c\"") == "a b;c")
        #expect(MultipartFormData.boundary(fromContentType: "application/sdp") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data") == nil)
    }
}

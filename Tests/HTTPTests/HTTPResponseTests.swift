import Foundation
import HTTP
import MediaCore
import Testing

@Suite struct HTTPResponseTests {
    @Test func serializesStatusLineFieldsLengthAndBody() {
        let r = HTTPResponse(status: 201, contentType: "application/sdp", body: "v=0\r\n", headers: ["Location": "/v1/realtime/calls/rtc_1"])
        let text = String(decoding: r.serialized(date: "Sun, 06 Nov 1994 08:49:37 GMT"), as: UTF8.self)
        #expect(text == "HTTP/1.1 201 Created\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nLocation: /v1/realtime/calls/rtc_1\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n")
    }

    @Test func contentLengthIsComputedAndOmittedWhereBodiesAreForbidden() {
        let stale = HTTPResponse(status: 200, headers: ["Content-Length": "99"], body: [1, 2])
        #expect(String(decoding: stale.serialized(), as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n\u{1}\u{2}")
        let noContent = HTTPResponse(status: 204, body: [1])
        #expect(String(decoding: noContent.serialized(), as: UTF8.self) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func fieldValuesCannotInjectLines() {
        let r = HTTPResponse(status: 200, headers: ["X": "a\r\nSet-Cookie: b"])
        #expect(String(decoding: r.serialized(), as: UTF8.self) == "HTTP/1.1 200 OK\r\nX: aSet-Cookie: b\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func openAIErrorHasTheAPIShapeAndEscapesText() throws {
        let r = HTTPResponse.openAIError(status: 400, message: "bad \"model\"\n\\ \u{1}✓", param: "model", code: nil)
        #expect(r.status == 400)
        #expect(r.headers["Content-Type"] == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["message"] as? String == "bad \"model\"\n\\ \u{1}✓")
        #expect(error["type"] as? String == "invalid_request_error")
        #expect(error["param"] as? String == "model")
        #expect(error["code"] is NSNull)
    }

    @Test func parserErrorsBecomeClosingErrorResponses() {
        let r = HTTPResponse.error(.headerFieldsTooLarge)
        #expect(r.status == 431)
        #expect(r.reason == "Request Header Fields Too Large")
        #expect(r.closesConnection)
    }

    @Test func datesAreIMFFixdate() {
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: -1) == "Wed, 31 Dec 1969 23:59:59 GMT")
    }

    @Test func responseHeadParsesStatusAndFields() throws {
        let head = try HTTPResponseHead(parsing: Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade".utf8)[...])
        #expect(head.status == 101)
        #expect(head.reason == "Switching Protocols")
        #expect(head.headers["upgrade"] == "websocket")
        #expect(throws: HTTPError.self) { try HTTPResponseHead(parsing: Array("HTTP/1.1 1x1 Nope".utf8)[...]) }
        #expect(throws: HTTPError.self) { try HTTPResponseHead(parsing: Array("ICY 200 OK".utf8)[...]) }
    }
}

import HTTP
import MediaCore
import Testing

/// Parses everything in `bytes`, fed as the given pieces, into requests (100-continue notices skipped).
func parseAll(_ pieces: [[UInt8]], limits: HTTPLimits = HTTPLimits()) throws(HTTPError) -> [HTTPRequest] {
    var parser = HTTPRequestParser(limits: limits)
    var out: [HTTPRequest] = []
    for piece in pieces {
        parser.append(piece)
        while let o = try parser.next() {
            if case let .request(r) = o { out.append(r) }
        }
    }
    return out
}

func parseError(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPError? {
    do {
        _ = try parseAll([Array(text.utf8)], limits: limits)
        return nil
    } catch {
        return error
    }
}

@Suite struct HTTPRequestParserTests {
    static let pipelined = "GET /v1/realtime?model=gpt-realtime-mini&call_id=rtc_1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ek_1\r\n\r\n"
        + "POST /v1/realtime/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n"
        + "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;name=value\r\nWiki\r\n5 ; a=\"b\"\r\npedia\r\n0\r\nExpires: never\r\nX-Sum: 9\r\n\r\n"

    func checkPipelined(_ requests: [HTTPRequest]) {
        #expect(requests.count == 3)
        guard requests.count == 3 else { return }
        #expect(requests[0].method == "GET")
        #expect(requests[0].path == "/v1/realtime")
        #expect(requests[0].query["model"] == "gpt-realtime-mini")
        #expect(requests[0].query["call_id"] == "rtc_1")
        #expect(requests[0].headers["authorization"] == "Bearer ek_1")
        #expect(requests[1].body == Array("v=0\r\n".utf8))
        #expect(requests[1].headers["content-type"] == "application/sdp")
        #expect(requests[2].body == Array("Wikipedia".utf8))
        #expect(requests[2].trailers["expires"] == "never")
        #expect(requests[2].trailers["X-Sum"] == "9")
    }

    @Test func pipelinedRequestsInOneBufferComeOutInOrder() throws {
        checkPipelined(try parseAll([Array(Self.pipelined.utf8)]))
    }

    @Test func splittingAtEveryByteBoundaryGivesTheSameRequests() throws {
        let bytes = Array(Self.pipelined.utf8)
        for cut in 0...bytes.count {
            checkPipelined(try parseAll([Array(bytes[..<cut]), Array(bytes[cut...])]))
        }
        checkPipelined(try parseAll(bytes.map { [$0] }))
    }

    @Test func incompleteRequestYieldsNothingAndReportsPhase() throws {
        var p = HTTPRequestParser()
        #expect(p.phase == .idle)
        p.append(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8))
        #expect(try p.next() == nil)
        #expect(p.phase == .head)
        p.append(Array("Content-Length: 3\r\n\r\nab".utf8))
        #expect(try p.next() == nil)
        #expect(p.phase == .body)
        p.append([UInt8(ascii: "c")])
        guard case let .request(r)? = try p.next() else { Issue.record("no request"); return }
        #expect(r.body == Array("abc".utf8))
        #expect(p.phase == .idle)
    }

    @Test func headerNamesCompareCaseInsensitivelyAndValuesAreTrimmed() throws {
        let r = try parseAll([Array("GET / HTTP/1.1\r\nhOsT:   example  \t\r\nX-A:\r\n\r\n".utf8)])
        #expect(r.first?.headers["HOST"] == "example")
        #expect(r.first?.headers["x-a"] == "")
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        #expect(try parseAll([Array("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)]).count == 1)
    }

    @Test func malformedHeadsAreBadRequests() {
        let bad = [
            "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n",        // obsolete line folding
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",                           // space before colon
            "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",                           // double space
            "GET /\tx HTTP/1.1\r\nHost: a\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",                            // not a token
            "GET / HTTP/1.1\r\n\r\n",                                      // no Host
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n",                      // bare LF
            "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",                      // bare CR
            "GET / HTTP/1.1\r\nHost: a\u{0}\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n bad: trailer\r\n\r\n",
            "GET / HTTQ/1.1\r\nHost: a\r\n\r\n",
        ]
        for text in bad {
            guard case .badRequest? = parseError(text) else {
                Issue.record("expected 400 for \(text.debugDescription), got \(String(describing: parseError(text)))")
                continue
            }
        }
    }

    @Test func errorsMapToTheirStatuses() {
        let small = HTTPLimits(maxRequestLineBytes: 32, maxHeaderCount: 3, maxHeaderBytes: 128, maxBodyBytes: 10)
        #expect(parseError("GET /\(String(repeating: "a", count: 40)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: small)?.status == 414)
        #expect(parseError("GET /\(String(repeating: "a", count: 40))", limits: small)?.status == 414)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small)?.status == 431)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nA: \(String(repeating: "x", count: 130))", limits: small)?.status == 431)
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: small)?.status == 413)
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n", limits: small)?.status == 413)
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")?.status == 501)
        #expect(parseError("GET / HTTP/2.0\r\nHost: a\r\n\r\n")?.status == 505)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nabcde") == nil)
    }

    @Test func aFailedParserStaysFailed() {
        var p = HTTPRequestParser()
        p.append(Array("GET / HTTP/9.9\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPError.versionNotSupported) { try p.next() }
        #expect(throws: HTTPError.versionNotSupported) { try p.next() }
    }

    @Test func keepAliveFollowsVersionAndConnectionField() throws {
        let r = try parseAll([Array(("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n"
            + "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").utf8)])
        #expect(r.map(\.keepAlive) == [true, false, false, true])
    }

    @Test func expectContinueIsAnnouncedBeforeTheBody() throws {
        var p = HTTPRequestParser()
        p.append(Array("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        guard case let .continueExpected(head)? = try p.next() else { Issue.record("no 100-continue"); return }
        #expect(head.method == "POST")
        #expect(try p.next() == nil)
        p.append(Array("hi".utf8))
        guard case let .request(r)? = try p.next() else { Issue.record("no request"); return }
        #expect(r.body == Array("hi".utf8))
    }

    @Test func takeRemainingReturnsBytesAfterTheRequest() throws {
        var p = HTTPRequestParser()
        p.append(Array("GET /ws HTTP/1.1\r\nHost: a\r\n\r\n".utf8) + [0x81, 0x80])
        guard case .request? = try p.next() else { Issue.record("no request"); return }
        #expect(p.takeRemaining() == [0x81, 0x80])
        #expect(p.phase == .idle)
    }

    @Test func queryStringsArePercentDecoded() {
        let q = QueryString(parsing: "model=gpt%2Drealtime&call_id=rtc_%E2%9C%93&flag&sp=a+b%20c&bad=%zz%4")
        #expect(q["model"] == "gpt-realtime")
        #expect(q["call_id"] == "rtc_✓")
        #expect(q["flag"] == "")
        #expect(q["sp"] == "a b c")
        #expect(q["bad"] == "%zz%4")
        #expect(q["missing"] == nil)
        #expect(QueryString.decode(Array(QueryString.encode("a b/✓&=").utf8)) == "a b/✓&=")
    }
}

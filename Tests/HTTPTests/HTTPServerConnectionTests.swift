import HTTP
import MediaCore
import Testing

extension HTTPServerConnection {
    mutating func drainText() -> String {
        var out: [UInt8] = []
        while let b = pollTransmit() { out += b }
        return String(decoding: out, as: UTF8.self)
    }
}

@Suite struct HTTPServerConnectionTests {
    let t0 = Instant.zero
    let get = Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    @Test func pipelinedRequestsAreHandedOutOneAtATimeInOrder() {
        var c = HTTPServerConnection(now: t0)
        c.handle(bytes: get + Array("GET /b HTTP/1.1\r\nHost: x\r\n\r\n".utf8), at: t0)
        #expect(c.pollEvent()?.path == "/a")
        #expect(c.pollEvent() == nil) // /b waits for /a's response
        c.respond(HTTPResponse(status: 200, body: Array("A".utf8)), at: t0)
        #expect(c.pollEvent()?.path == "/b")
        c.respond(HTTPResponse(status: 200, body: Array("B".utf8)), at: t0)
        #expect(c.drainText() == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB")
        #expect(!c.wantsClose)
    }

    @Test func connectionCloseRequestClosesAfterTheResponse() {
        var c = HTTPServerConnection(now: t0)
        c.handle(bytes: Array("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), at: t0)
        _ = c.pollEvent()
        c.respond(HTTPResponse(status: 204), at: t0)
        #expect(c.drainText() == "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        #expect(c.wantsClose)
    }

    @Test func badInputGetsItsStatusThenCloses() {
        var c = HTTPServerConnection(limits: HTTPLimits(maxBodyBytes: 4), now: t0)
        c.handle(bytes: Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n".utf8), at: t0)
        #expect(c.pollEvent() == nil)
        #expect(c.drainText().hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        #expect(c.wantsClose)
        c.handle(bytes: get, at: t0)
        #expect(c.pollEvent() == nil)
    }

    @Test func slowHeadersGet408() {
        var c = HTTPServerConnection(limits: HTTPLimits(headerReadTimeout: .seconds(10)), now: t0)
        c.handle(bytes: Array("GET / HTTP/1.1\r\n".utf8), at: t0 + .seconds(1))
        #expect(c.pollTimeout() == t0 + .seconds(11))
        c.handle(bytes: Array("Host: x\r\n".utf8), at: t0 + .seconds(9)) // trickling does not extend it
        #expect(c.pollTimeout() == t0 + .seconds(11))
        c.handleTimeout(at: t0 + .seconds(10))
        #expect(!c.wantsClose)
        c.handleTimeout(at: t0 + .seconds(11))
        #expect(c.drainText().hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(c.wantsClose)
    }

    @Test func slowBodyGets408AndIdleConnectionClosesQuietly() {
        var c = HTTPServerConnection(limits: HTTPLimits(bodyReadTimeout: .seconds(5), idleTimeout: .seconds(30)), now: t0)
        #expect(c.pollTimeout() == t0 + .seconds(30))
        c.handle(bytes: Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nab".utf8), at: t0 + .seconds(2))
        #expect(c.pollTimeout() == t0 + .seconds(7))
        c.handleTimeout(at: t0 + .seconds(7))
        #expect(c.drainText().hasPrefix("HTTP/1.1 408 "))

        var idle = HTTPServerConnection(limits: HTTPLimits(idleTimeout: .seconds(30)), now: t0)
        idle.handle(bytes: get, at: t0)
        _ = idle.pollEvent()
        idle.respond(HTTPResponse(status: 200), at: t0 + .seconds(1))
        _ = idle.drainText()
        #expect(idle.pollTimeout() == t0 + .seconds(31))
        idle.handleTimeout(at: t0 + .seconds(31))
        #expect(idle.wantsClose)
        #expect(idle.drainText() == "")
    }

    @Test func expectContinueIsAnsweredBeforeTheBody() {
        var c = HTTPServerConnection(now: t0)
        c.handle(bytes: Array("PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8), at: t0)
        #expect(c.drainText() == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(c.pollEvent() == nil)
        c.handle(bytes: Array("ok".utf8), at: t0)
        #expect(c.pollEvent()?.body == Array("ok".utf8))
    }

    @Test func upgradeHandsOverTheBytesAfterTheRequest() throws {
        var c = HTTPServerConnection(now: t0)
        let request = "GET /v1/realtime HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let frame = clientFrame(.text, Array("early".utf8))
        c.handle(bytes: Array(request.utf8) + frame, at: t0)
        guard let r = c.pollEvent() else { Issue.record("no request"); return }
        let accepted = try WebSocketHandshake.validate(r)
        let leftover = c.upgrade(WebSocketHandshake.response(accepting: accepted), at: t0)
        #expect(leftover == frame)
        #expect(c.drainText().hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        var ws = WebSocketConnection(role: .server, now: t0)
        ws.handle(bytes: leftover, at: t0)
        #expect(ws.pollEvent() == .text("early"))
        #expect(c.pollTimeout() == nil)
    }

    @Test func endOfInputClosesAfterTheOutstandingResponse() {
        var c = HTTPServerConnection(now: t0)
        c.handle(bytes: get, at: t0)
        c.handleEndOfInput(at: t0)
        _ = c.pollEvent()
        #expect(!c.wantsClose)
        c.respond(HTTPResponse(status: 200), at: t0)
        #expect(c.wantsClose)
        #expect(c.drainText().contains("Connection: close"))
    }
}

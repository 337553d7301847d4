import HTTP
import MediaCore
import Testing

@Suite struct WebSocketHandshakeTests {
    static let rfcRequest = HTTPRequest(method: "GET", target: "/chat", headers: HTTPHeaders([
        ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Origin", "http://example.com"),
        ("Sec-WebSocket-Protocol", "chat, superchat"), ("Sec-WebSocket-Version", "13"),
    ]))

    /// RFC 6455 §1.3's example (checked independently with Python's hashlib).
    @Test func rfcSection1_3AcceptValue() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func serverAcceptsTheRFCRequestAndPicksAnOfferedSubprotocol() throws {
        let accepted = try WebSocketHandshake.validate(Self.rfcRequest)
        #expect(accepted.protocols == ["chat", "superchat"])
        let r = WebSocketHandshake.response(accepting: accepted, subprotocol: "chat")
        #expect(r.status == 101)
        #expect(r.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(r.headers["Sec-WebSocket-Protocol"] == "chat")
        #expect(WebSocketHandshake.response(accepting: accepted, subprotocol: "other").headers["Sec-WebSocket-Protocol"] == nil)
        #expect(!String(decoding: r.serialized(), as: UTF8.self).contains("Content-Length"))
    }

    @Test func serverRejectsBadUpgrades() {
        func status(_ edit: (inout HTTPRequest) -> Void) -> Int? {
            var r = Self.rfcRequest
            edit(&r)
            do throws(WebSocketHandshake.Rejection) { _ = try WebSocketHandshake.validate(r); return nil } catch { return error.response.status }
        }
        #expect(status { $0.method = "POST" } == 405)
        #expect(status { $0.version = .http1_0 } == 400)
        #expect(status { $0.headers.remove("Upgrade") } == 426)
        #expect(status { $0.headers.set("Connection", "keep-alive") } == 400)
        #expect(status { $0.headers.set("Connection", "keep-alive, Upgrade") } == nil)
        #expect(status { $0.headers.set("Sec-WebSocket-Version", "8") } == 426)
        #expect(status { $0.headers.set("Sec-WebSocket-Key", "c2hvcnQ=") } == 400)
        #expect(status { $0.headers.set("Sec-WebSocket-Key", "not base64!!") } == 400)
        #expect(status { $0.headers.remove("Sec-WebSocket-Key") } == 400)
    }

    @Test func clientVerifiesTheServerAnswer() throws {
        let nonce: [UInt8] = Array(0..<16)
        let client = WebSocketClientHandshake(host: "127.0.0.1:8080", target: "/v1/realtime?model=m", nonce: nonce,
                                              protocols: ["realtime"], headers: ["Authorization": "Bearer k"])
        let text = String(decoding: client.requestBytes, as: UTF8.self)
        #expect(text.hasPrefix("GET /v1/realtime?model=m HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(text.hasSuffix("Authorization: Bearer k\r\n\r\n"))
        // Our own server core accepts our own client's request.
        var parser = HTTPRequestParser()
        parser.append(client.requestBytes)
        guard case let .request(request)? = try parser.next() else { Issue.record("request did not parse"); return }
        let accepted = try WebSocketHandshake.validate(request)
        let response = WebSocketHandshake.response(accepting: accepted, subprotocol: "realtime").serialized()
        let head = try HTTPResponseHead(parsing: response[..<(response.count - 4)])
        #expect(try client.verify(head) == "realtime")

        var wrong = head
        wrong.headers.set("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") // right for another key
        #expect(throws: WebSocketError.self) { try client.verify(wrong) }
        var notUpgraded = head
        notUpgraded.status = 200
        #expect(throws: WebSocketError.self) { try client.verify(notUpgraded) }
        var unoffered = head
        unoffered.headers.set("Sec-WebSocket-Protocol", "chat")
        #expect(throws: WebSocketError.self) { try client.verify(unoffered) }
        var ext = head
        ext.headers.add("Sec-WebSocket-Extensions", "permessage-deflate")
        #expect(throws: WebSocketError.self) { try client.verify(ext) }
    }
}

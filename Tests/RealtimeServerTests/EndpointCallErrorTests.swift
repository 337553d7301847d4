import Foundation
import MediaCore
import RealtimeServer
import Runtime
import Testing

/// Refusals of `POST /v1/realtime/calls` and the call routes, each before any PeerConnection
/// exists: the right status and OpenAI-shaped error, and the endpoint keeps serving.
@Suite struct EndpointCallErrorTests {
    /// Enough of an offer to pass the body checks (the refusals tested come before answering it).
    static let offerStub = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

    @Test func aNonSDPBodyIsA400() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let json = try post(e.base + "/v1/realtime/calls", contentType: "application/json", body: Array(#"{"sdp":"v=0"}"#.utf8))
        #expect(json.status == 400)
        #expect(json.errorCode == "unsupported_content_type")
        let text = try post(e.base + "/v1/realtime/calls", contentType: "application/sdp", body: Array("hello".utf8))
        #expect(text.status == 400)
        #expect(text.errorCode == "invalid_offer")
        #expect(text.errorParam == "sdp")
        // The older shape accepts SDP only.
        let legacy = try postMultipart(e.base + "/v1/realtime?model=gpt-realtime-mini", parts: [("sdp", Self.offerStub, "application/sdp")])
        #expect(legacy.status == 400)
        let badModel = try post(e.base + "/v1/realtime?model=gpt-9", contentType: "application/sdp", body: Array(Self.offerStub.utf8))
        #expect(badModel.errorCode == "invalid_model")
        #expect(try curl("GET", e.base + "/healthz").status == 200)
    }

    @Test func anSDPThatCannotBeAnsweredIsA400() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let answer = try post(e.base + "/v1/realtime/calls", contentType: "application/sdp", body: Array(Self.offerStub.utf8))
        #expect(answer.status == 400)
        #expect(answer.errorCode == "invalid_offer")
    }

    @Test func aBadMultipartBodyIsA400NamingThePart() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let url = e.base + "/v1/realtime/calls"
        let noBoundary = try post(url, contentType: "multipart/form-data", body: Array("--x\r\n\r\n--x--\r\n".utf8))
        #expect(noBoundary.status == 400)
        #expect(noBoundary.errorCode == "invalid_multipart")
        let garbage = try post(url, contentType: "multipart/form-data; boundary=abc", body: Array("no parts here".utf8))
        #expect(garbage.status == 400)
        let noSDP = try postMultipart(url, parts: [("session", #"{"type":"realtime"}"#, "application/json")])
        #expect(noSDP.status == 400)
        #expect(noSDP.errorParam == "sdp")
        let badJSON = try postMultipart(url, parts: [("sdp", Self.offerStub, "application/sdp"), ("session", "{nope", "application/json")])
        #expect(badJSON.status == 400)
        #expect(badJSON.errorParam == "session")
        let badField = try postMultipart(url, parts: [("sdp", Self.offerStub, "application/sdp"),
                                                      ("session", #"{"type":"realtime","instructions":42}"#, "application/json")])
        #expect(badField.status == 400)
        #expect(badField.errorParam == "session.instructions")
    }

    @Test func aMissingWrongOrExpiredKeyIsA401() throws {
        let clock = ManualClock()
        let e = try RunningEndpoint(apiKey: "sk-test", clock: clock)
        defer { e.stop() }
        let url = e.base + "/v1/realtime/calls"
        let body = Array(Self.offerStub.utf8)
        #expect(try post(url, contentType: "application/sdp", body: body).status == 401)
        #expect(try post(url, bearer: "sk-wrong", contentType: "application/sdp", body: body).status == 401)
        let secret = try curl("POST", e.base + "/v1/realtime/client_secrets", bearer: "sk-test",
                              body: #"{"expires_after":{"anchor":"created_at","seconds":10}}"#)
        let key = try #require(secret.json?["value"] as? String)
        // A live ephemeral key gets past auth (to the body check: the stub cannot be answered).
        #expect(try post(url, bearer: key, contentType: "application/sdp", body: body).status == 400)
        clock.advance(.seconds(11))
        let expired = try post(url, bearer: key, contentType: "application/sdp", body: body)
        #expect(expired.status == 401)
        #expect(expired.errorCode == "invalid_api_key")
    }

    @Test func beyondMaxSessionsACallIsA503() throws {
        let e = try RunningEndpoint(maxSessions: 1)
        defer { e.stop() }
        let socket = try EventSocket(e.wsURL())
        defer { socket.client.close() }
        _ = try socket.collect(until: "session.created")
        let answer = try post(e.base + "/v1/realtime/calls", contentType: "application/sdp", body: Array(Self.offerStub.utf8))
        #expect(answer.status == 503)
        #expect(answer.errorCode == "server_overloaded")
    }

    @Test func overTheTiersRequestsPerMinuteACallIsA429() throws {
        let e = try RunningEndpoint(maxSessions: 1)
        defer { e.stop() }
        let socket = try EventSocket(e.wsURL())
        defer { socket.client.close() }
        _ = try socket.collect(until: "session.created")
        // Tier 1 allows 200 requests a minute (replenished gradually): each set-up attempt counts
        // (these get 503: the endpoint is full), so a quick burst of 230 runs out.
        let url = e.base + "/v1/realtime/calls"
        var args = ["-s", "-w", "%{http_code}\\n", "-X", "POST", "-H", "Content-Type: application/sdp", "--data-binary", Self.offerStub]
        for _ in 0..<230 { args += ["-o", "/dev/null", url] }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let codes = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        p.waitUntilExit()
        #expect(codes.count == 230)
        #expect(codes.prefix(200).allSatisfy { $0 == "503" })
        #expect(codes.last == "429")
        let limited = try post(url, contentType: "application/sdp", body: Array(Self.offerStub.utf8))
        #expect(limited.status == 429)
        #expect(limited.errorCode == "rate_limit_exceeded")
        #expect(limited.header("Retry-After") != nil)
    }

    @Test func unknownCallIDsAre404ForHangupAndSideSockets() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let hangup = try post(e.base + "/v1/realtime/calls/rtc_nope/hangup", contentType: nil, body: [])
        #expect(hangup.status == 404)
        #expect(hangup.errorCode == "call_not_found")
        #expect(throws: (any Error).self) { try EventSocket("ws://127.0.0.1:\(e.port)/v1/realtime?call_id=rtc_nope") }
        let side = try curl("GET", e.base + "/v1/realtime?call_id=rtc_nope")
        #expect(side.status == 404)
    }
}

import Foundation
import HTTP
import MediaCore
import Realtime
import RealtimeServer
import Runtime
import Testing

/// The endpoint's HTTP surface over real sockets: health, auth, routing errors, ephemeral keys.
@Suite struct EndpointHTTPTests {
    @Test func healthzAnswersOK() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let a = try curl("GET", e.base + "/healthz")
        #expect(a.status == 200)
        #expect(a.json?["status"] as? String == "ok")
    }

    @Test func missingOrWrongKeyIsRefusedWith401InTheOpenAIShape() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        for bearer in [nil, "sk-wrong", "ek_unknown"] {
            let a = try curl("GET", e.base + "/v1/realtime?model=gpt-realtime-mini", bearer: bearer)
            #expect(a.status == 401, "bearer \(bearer ?? "none")")
            #expect(a.errorCode == "invalid_api_key")
            let error = try #require(a.json?["error"] as? [String: Any])
            #expect(Set(error.keys) == ["message", "type", "param", "code"])
            let secret = try curl("POST", e.base + "/v1/realtime/client_secrets", bearer: bearer, body: "{}")
            #expect(secret.status == 401)
        }
        #expect(throws: WebSocketClientError.self) { _ = try EventSocket(e.wsURL(), bearer: "sk-wrong") }
    }

    @Test func aBrowserMayOfferTheKeyAsASubprotocol() throws {
        let e = try RunningEndpoint(apiKey: "sk-Test")   // keys are case-sensitive
        defer { e.stop() }
        let client = try WebSocketClient.connect(url: e.wsURL(), protocols: ["realtime", "openai-insecure-api-key.sk-Test"])
        #expect(client.subprotocol == "realtime")
        guard case .text(let text)? = try client.receive(timeout: .seconds(5)) else { Issue.record("no event"); return }
        #expect(text.contains("\"session.created\""))
        client.close()
        #expect(throws: WebSocketClientError.self) {
            _ = try WebSocketClient.connect(url: e.wsURL(), protocols: ["realtime", "openai-insecure-api-key.sk-test"])
        }
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let missing = try curl("GET", e.base + "/v1/nothing")
        #expect(missing.status == 404)
        #expect(missing.json?["error"] != nil)
        let wrong = try curl("DELETE", e.base + "/healthz")
        #expect(wrong.status == 405)
        #expect(wrong.headers.lowercased().contains("allow: get"))
        let secretsByGet = try curl("GET", e.base + "/v1/realtime/client_secrets")
        #expect(secretsByGet.status == 405)
    }

    @Test func unknownOrMissingModelIs400BeforeUpgrading() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let bad = try curl("GET", e.base + "/v1/realtime?model=gpt-4o-realtime", bearer: "sk-test")
        #expect(bad.status == 400)
        #expect(bad.errorParam == "model")
        let none = try curl("GET", e.base + "/v1/realtime", bearer: "sk-test")
        #expect(none.status == 400)
        #expect(none.errorParam == "model")
    }

    @Test func expiresAfterOutsideTenToSevenThousandTwoHundredSecondsIs400() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        for (body, param) in [(#"{"expires_after":{"anchor":"created_at","seconds":5}}"#, "expires_after.seconds"),
                              (#"{"expires_after":{"anchor":"created_at","seconds":7201}}"#, "expires_after.seconds"),
                              (#"{"expires_after":{"anchor":"now","seconds":60}}"#, "expires_after.anchor"),
                              (#"{"expires_after":{"seconds":"60"}}"#, "expires_after.seconds"),
                              (#"{"session":{"type":"realtime","modalities":["text"]}}"#, "session.modalities")] {
            let a = try curl("POST", e.base + "/v1/realtime/client_secrets", bearer: "sk-test", body: body)
            #expect(a.status == 400, "\(body)")
            #expect(a.errorParam == param, "\(body): \(a.body)")
        }
        let notJSON = try curl("POST", e.base + "/v1/realtime/client_secrets", bearer: "sk-test", body: "{nope")
        #expect(notJSON.status == 400)
    }

    @Test func ephemeralKeyOpensASessionWithItsConfigUntilItExpires() throws {
        let clock = ManualClock()
        let e = try RunningEndpoint(apiKey: "sk-test", clock: clock)
        defer { e.stop() }
        let before = Int(Date().timeIntervalSince1970)
        let a = try curl("POST", e.base + "/v1/realtime/client_secrets", bearer: "sk-test",
                         body: #"{"expires_after":{"anchor":"created_at","seconds":10},"session":{"type":"realtime","instructions":"Be brief.","output_modalities":["text"]}}"#)
        #expect(a.status == 200, "\(a.body)")
        let key = try #require(a.json?["value"] as? String)
        #expect(key.hasPrefix("ek_"))
        let expiresAt = try #require(a.json?["expires_at"] as? Int)
        #expect((before + 9...before + 12).contains(expiresAt))
        let session = try #require(a.json?["session"] as? [String: Any])
        #expect(session["instructions"] as? String == "Be brief.")

        // The key is a bearer, and its session is the starting config (model from the query).
        let socket = try EventSocket(e.wsURL(), bearer: key)
        let created = try #require(try socket.next())
        #expect(created["type"] as? String == "session.created")
        let createdSession = try #require(created["session"] as? [String: Any])
        #expect(createdSession["instructions"] as? String == "Be brief.")
        #expect(createdSession["output_modalities"] as? [String] == ["text"])
        #expect(createdSession["model"] as? String == "gpt-realtime-mini")
        socket.client.close()

        // An ephemeral key cannot mint another.
        #expect(try curl("POST", e.base + "/v1/realtime/client_secrets", bearer: key, body: "{}").status == 401)

        clock.advance(.seconds(11))
        let expired = try curl("GET", e.base + "/v1/realtime?model=gpt-realtime-mini", bearer: key)
        #expect(expired.status == 401)
        #expect(expired.errorCode == "invalid_api_key")
    }

    @Test func sessionsBeyondMaxSessionsGet503UntilOneCloses() throws {
        let e = try RunningEndpoint(maxSessions: 1)
        defer { e.stop() }
        let first = try EventSocket(e.wsURL())
        #expect(try first.next()?["type"] as? String == "session.created")
        let refused = try curl("GET", e.base + "/v1/realtime?model=gpt-realtime-mini")
        #expect(refused.status == 503)
        #expect(refused.json?["error"] != nil)
        first.client.close()
        // The slot frees once the close reaches the server.
        var second: EventSocket?
        for _ in 0..<50 where second == nil {
            second = try? EventSocket(e.wsURL())
            if second == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let reopened = try #require(second)
        #expect(try reopened.next()?["type"] as? String == "session.created")
        reopened.client.close()
    }

    @Test func anOpenEndpointRefusesANonLoopbackHost() {
        #expect(throws: RealtimeEndpointError.openOnNonLoopback(host: "0.0.0.0")) {
            _ = try RealtimeEndpoint(.init(host: "0.0.0.0"))
        }
        #expect(throws: Never.self) { _ = try RealtimeEndpoint(.init(host: "0.0.0.0", apiKey: "sk-test")) }
    }

    @Test func aMissingScriptFailsAtSetUp() {
        #expect(throws: RealtimeEndpointError.self) {
            _ = try RealtimeEndpoint(.init(backend: .scripted(path: "/nonexistent/script.json")))
        }
    }
}

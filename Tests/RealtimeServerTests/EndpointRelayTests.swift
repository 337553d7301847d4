import Foundation
import RealtimeServer
import Testing

/// `--backend relay=URL` over WebSocket: a second local endpoint (echo) answers behind the relay.
@Suite struct EndpointRelayTests {
    @Test func aWebSocketSessionIsForwardedToTheUpstreamEndpoint() throws {
        let upstream = try RunningEndpoint(apiKey: "sk-upstream")
        defer { upstream.stop() }
        let relay = try RunningEndpoint(apiKey: "sk-relay", backend: .relay(url: upstream.wsURL()), relayAPIKey: "sk-upstream")
        defer { relay.stop() }
        let socket = try EventSocket(relay.wsURL(), bearer: "sk-relay")
        let created = try socket.collect(until: "session.created")
        let sessionID = try #require((created.last?["session"] as? [String: Any])?["id"] as? String)
        let tone = toneBase64(milliseconds: 200)
        let events = try EndpointWebSocketTests.echoTurn(socket, tone: tone)
        #expect(EndpointWebSocketTests.audioSamples(events) == tone.samples)
        #expect((events.last?["response"] as? [String: Any])?["status"] as? String == "completed")
        socket.client.close()
        // Both ends log the same upstream session; the relay's line carries the upstream usage.
        #expect(eventually(seconds: 5) { relay.log.all.contains { $0.contains(sessionID) } })
        #expect(eventually(seconds: 5) { upstream.log.all.contains { $0.contains(sessionID) } })
        let line = relay.log.all.first { $0.contains(sessionID) } ?? ""
        #expect(line.contains("\"responses\":1"), "relay log: \(line)")
    }

    @Test func anUnreachableUpstreamIsAnErrorEventAndTheSessionEnds() throws {
        let relay = try RunningEndpoint(backend: .relay(url: "ws://127.0.0.1:9/v1/realtime?model=gpt-realtime-mini"))
        defer { relay.stop() }
        let socket = try EventSocket(relay.wsURL())
        let error = try socket.collect(until: "error")
        #expect((error.last?["error"] as? [String: Any])?["code"] as? String == "upstream_unavailable")
        var closed = false
        for _ in 0..<20 {
            do { _ = try socket.client.receive(timeout: .milliseconds(500)) } catch { closed = true; break }
        }
        #expect(closed, "the relay kept the session open without an upstream")
    }

    @Test func relayArgumentParses() {
        #expect(EndpointBackend(argument: "relay=ws://127.0.0.1:8080/v1/realtime?model=gpt-realtime-mini")
                == .relay(url: "ws://127.0.0.1:8080/v1/realtime?model=gpt-realtime-mini"))
        #expect(EndpointBackend(argument: "relay=http://x") == nil)
        #expect(EndpointBackend(argument: "relay=") == nil)
    }
}

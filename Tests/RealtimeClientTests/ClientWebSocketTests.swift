import Foundation
import MediaCore
import Realtime
import RealtimeClient
import RealtimeServer
import Testing

/// RealtimeClient over a WebSocket against the local endpoint: echo turns, a function call,
/// barge-in, rollover, and set-up failures.
@Suite(.serialized) struct ClientWebSocketTests {
    static func client(_ url: String, log: EventLog, tweak: (inout RealtimeClient.Configuration) -> Void = { _ in }) throws -> RealtimeClient {
        var c = RealtimeClient.Configuration()
        c.url = url
        c.transport = .websocket
        tweak(&c)
        return try RealtimeClient(configuration: c, onEvent: log.handler)
    }

    @Test func echoTurnPlaysTheUtteranceBackAndMeasuresTheTurn() throws {
        let (endpoint, url) = try startEndpoint()
        defer { endpoint.stop() }
        let log = EventLog()
        let client = try Self.client(url, log: log)
        try client.connect()
        defer { client.close() }
        let utterance = TestUtterance.speechLike()
        let device = PacedAudioDevice(ports: try takePorts(client), source: utterance, maxSeconds: 20)
        device.start()
        let replied = log.wait(seconds: 15) { _ in log.count("response.done") >= 1 }
        #expect(replied)
        Thread.sleep(forTimeInterval: 2.5)   // let the reply play out
        let played = device.stop()
        let m = client.metricsSnapshot()
        #expect(m.setupPhases.map(\.name) == ["websocket", "session.created"])
        #expect(m.sessionID?.hasPrefix("sess_") == true)
        #expect(m.turnLatenciesMs.count == 1)
        #expect(m.usage.inputTokens > 0 && m.usage.outputTokens > 0)
        #expect(m.cost.usd > 0)
        // The echo is the voiced part of the utterance (4 bursts of 450 ms): about 180 audible frames.
        let spoken = audibleFrames(utterance)
        #expect(abs(audibleFrames(played) - spoken) <= spoken / 10, "played \(audibleFrames(played)) of \(spoken)")
    }

    @Test func functionCallIsAnsweredWithItsOutputAndANewResponse() throws {
        let script = try writeScript("""
            {"replies": [{"function_call": {"name": "get_weather", "arguments": {"city": "Paris"}}}, {"text": "It is sunny in Paris."}]}
            """)
        let (endpoint, url) = try startEndpoint(backend: .scripted(path: script))
        defer { endpoint.stop() }
        let log = EventLog()
        let client = try Self.client(url, log: log) {
            $0.session = SessionUpdate(outputModalities: [.text], tools: [FunctionTool(name: "get_weather", description: "Weather for a city")])
        }
        client.registerTool("get_weather") { args in args.contains("Paris") ? "{\"sky\":\"sunny\"}" : "{\"sky\":\"unknown\"}" }
        try client.connect()
        defer { client.close() }
        client.send(ClientEvent(.conversationItemCreate(previousItemID: nil, item: .message(.init(role: .user, content: [.inputText("Weather in Paris?")])))))
        client.send(ClientEvent(.responseCreate(nil)))
        #expect(log.wait(seconds: 10) { _ in log.count("response.done") >= 2 })
        let call = log.all.compactMap { e -> (String, String?)? in
            if case .functionCall(let name, _, _, let output) = e { return (name, output) } else { return nil }
        }
        #expect(call.count == 1)
        #expect(call.first?.0 == "get_weather")
        #expect(call.first?.1 == "{\"sky\":\"sunny\"}")
        let outputs = log.serverEvents.compactMap { e -> String? in
            if case .conversationItemAdded(_, .functionCallOutput(let o)) = e.body { return o.output } else { return nil }
        }
        #expect(outputs == ["{\"sky\":\"sunny\"}"])
        let texts = log.serverEvents.compactMap { e -> String? in
            if case .responseOutputTextDone(_, let t) = e.body { return t } else { return nil }
        }
        #expect(texts.last == "It is sunny in Paris.")
    }

    @Test func bargeInStopsPlayoutAndTruncatesAtThePlayedPosition() throws {
        let script = try writeScript(#"{"replies": [{"audio": "tone.wav", "text": "a long answer"}]}"#, toneMs: 4_000)
        let (endpoint, url) = try startEndpoint(backend: .scripted(path: script))
        defer { endpoint.stop() }
        let log = EventLog()
        let client = try Self.client(url, log: log)
        try client.connect()
        defer { client.close() }
        // The user is silent for 1.5 s, then talks over the 4 s reply.
        let source = [Int16](repeating: 0, count: 150 * 480) + TestUtterance.speechLike(bursts: 2)
        let device = PacedAudioDevice(ports: try takePorts(client), source: source, maxSeconds: 20)
        client.send(ClientEvent(.conversationItemCreate(previousItemID: nil, item: .message(.init(role: .user, content: [.inputText("Tell me a story")])))))
        client.send(ClientEvent(.responseCreate(nil)))
        device.start()
        let barged = log.wait(seconds: 10) { events in events.contains { if case .bargeIn = $0 { return true } else { return false } } }
        #expect(barged)
        #expect(log.wait(seconds: 5) { _ in log.count("conversation.item.truncated") >= 1 })
        Thread.sleep(forTimeInterval: 1.0)
        let played = device.stop()
        let bargeIn = log.all.compactMap { e -> Int? in if case .bargeIn(_, let ms) = e { return ms } else { return nil } }
        let audioEndMs = try #require(bargeIn.first)
        #expect(audioEndMs > 500 && audioEndMs < 4_000)
        // What was heard is exactly what audio_end_ms says (±1 frame): playout stopped at once.
        #expect(abs(audibleFrames(played) * 10 - audioEndMs) <= 10, "heard \(audibleFrames(played) * 10) ms, truncated at \(audioEndMs) ms")
        let truncated = log.serverEvents.compactMap { e -> Int? in
            if case .conversationItemTruncated(_, _, let ms) = e.body { return ms } else { return nil }
        }
        // The endpoint's own interrupt_response may truncate first at its estimate; ours follows.
        #expect(truncated.last == audioEndMs)
    }

    @Test func rolloverOpensANewSessionCarryingTheConversation() throws {
        let (endpoint, url) = try startEndpoint()
        defer { endpoint.stop() }
        let log = EventLog()
        let client = try Self.client(url, log: log) { $0.rolloverAfter = .seconds(1) }
        try client.connect()
        defer { client.close() }
        let first = client.sessionID
        client.send(ClientEvent(.conversationItemCreate(previousItemID: nil, item: .message(.init(role: .user, content: [.inputText("remember the number 42")])))))
        let rolled = log.wait(seconds: 5) { events in events.contains { if case .sessionReplaced(_, true) = $0 { return true } else { return false } } }
        #expect(rolled)
        #expect(client.sessionID != first)
        // The new session received the earlier message.
        #expect(log.wait(seconds: 3) { _ in
            log.serverEvents.filter { e in
                if case .conversationItemAdded(_, .message(let m)) = e.body, m.content == [.inputText("remember the number 42")] { return true }
                return false
            }.count >= 2
        })
        #expect(client.metricsSnapshot().rollovers >= 1)
    }

    @Test func reconnectsAfterTheEndpointDropsTheSocket() throws {
        let (endpoint, url) = try startEndpoint()
        let log = EventLog()
        let client = try Self.client(url, log: log) { $0.reconnect.initialBackoff = .milliseconds(100); $0.reconnect.maxAttempts = 2 }
        try client.connect()
        defer { client.close() }
        endpoint.stop()   // closes every session with 1001
        #expect(log.wait(seconds: 5) { events in events.contains { if case .reconnecting = $0 { return true } else { return false } } })
        // Nothing listens any more: after its attempts the client gives up and says so.
        #expect(log.wait(seconds: 10) { events in events.contains { if case .disconnected = $0 { return true } else { return false } } })
    }

    @Test func wrongKeyIsAProtocolErrorNamingTheStatusAndMessage() throws {
        let (endpoint, url) = try startEndpoint(apiKey: "sk-right")
        defer { endpoint.stop() }
        let client = try Self.client(url, log: EventLog()) { $0.apiKey = "sk-wrong" }
        #expect { try client.connect() } throws: { e in
            guard let e = e as? RealtimeClientError, case .protocolError(let m) = e else { return false }
            return m.hasPrefix("HTTP 401 from /v1/realtime") && e.exitCode == 4
        }
    }

    @Test func mintsAnEphemeralKeyAndUsesIt() throws {
        let (endpoint, url) = try startEndpoint(apiKey: "sk-right")
        defer { endpoint.stop() }
        let key = try EphemeralKey.mint(endpoint: try #require(EndpointURL(url)), apiKey: "sk-right", model: "gpt-4o-mini-realtime-preview")
        #expect(key.value.hasPrefix("ek_"))
        let log = EventLog()
        let client = try Self.client(url, log: log) { $0.apiKey = "sk-right"; $0.mintEphemeralKey = true }
        try client.connect()
        client.close()
        #expect(client.metricsSnapshot().setupPhases.first?.name == "key")
    }

    @Test func unreachableHostIsAConnectError() throws {
        let client = try Self.client("http://127.0.0.1:1", log: EventLog())
        #expect { try client.connect() } throws: { e in (e as? RealtimeClientError)?.exitCode == 3 }
    }
}

import Foundation
import Realtime
import RealtimeClient
import Testing

/// RealtimeClient over WebRTC (suite name matches the serial filter: real-time audio).
@Suite(.serialized) struct ClientPeerConnectionInteropTests {
    static func config(_ url: String) -> RealtimeClient.Configuration {
        var c = RealtimeClient.Configuration()
        c.url = url
        c.transport = .webrtc
        c.apiKey = "sk-test"
        c.playoutTarget = 4
        return c
    }

    @Test func echoTurnOverWebRTCWithTheLocalEndpoint() throws {
        let (endpoint, url) = try startEndpoint()
        defer { endpoint.stop() }
        let log = EventLog()
        let client = try RealtimeClient(configuration: Self.config(url), onEvent: log.handler)
        try client.connect()
        defer { client.close() }
        let names = client.metricsSnapshot().setupPhases.map(\.name)
        #expect(names == ["gather", "http", "ice", "dtls", "channel", "session.created"])
        let utterance = TestUtterance.speechLike()
        let device = PacedAudioDevice(ports: try takePorts(client), source: utterance, maxSeconds: 20)
        device.start()
        #expect(log.wait(seconds: 15) { _ in log.count("response.done") >= 1 })
        Thread.sleep(forTimeInterval: 2.5)
        let played = device.stop()
        let spoken = audibleFrames(utterance)
        // Opus and the jitter buffer reshape the edges; most of the voiced audio comes back.
        #expect(audibleFrames(played) > spoken * 7 / 10, "played \(audibleFrames(played)) of \(spoken)")
        let m = client.metricsSnapshot()
        #expect(m.turnLatenciesMs.count == 1)
        #expect(m.jitterBufferDelayMs != nil && (m.packetsReceived ?? 0) > 0)
    }

    @Test func callsTheAiortcOpenAIStyleAnswerer() throws {
        guard let (peer, port) = try startPythonPeer("client_openai_style_answerer.py", ["--api-key", "sk-test"]) else { return }
        defer { peer.terminate() }
        let log = EventLog()
        let client = try RealtimeClient(configuration: Self.config("http://127.0.0.1:\(port)"), onEvent: log.handler)
        try client.connect()
        defer { client.close() }
        #expect(client.sessionID?.hasPrefix("sess_") == true)
        // session.update (none configured) is not sent; the answerer echoes our audio over RTP.
        let utterance = TestUtterance.speechLike()
        let device = PacedAudioDevice(ports: try takePorts(client), source: utterance, maxSeconds: 10)
        device.start()
        Thread.sleep(forTimeInterval: 4)
        let played = device.stop()
        #expect(audibleFrames(played) > audibleFrames(utterance) / 2, "echo \(audibleFrames(played)) of \(audibleFrames(utterance))")
    }

    @Test func wrongKeyOverWebRTCIsHTTP401() throws {
        guard let (peer, port) = try startPythonPeer("client_openai_style_answerer.py", ["--api-key", "sk-right"]) else { return }
        defer { peer.terminate() }
        let client = try RealtimeClient(configuration: Self.config("http://127.0.0.1:\(port)"))
        #expect { try client.connect() } throws: { e in
            (e as? RealtimeClientError) == .protocolError("HTTP 401 from /v1/realtime/calls: invalid api key")
        }
    }
}

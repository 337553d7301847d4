import Audio
import Foundation
import RealtimeClient
import RealtimeServer
import Runtime
import Testing

// The README's "Embedding the library" example, compiled and run here so the README stays true.
// Keep the two in step: the code between the markers is what the README shows.

// README-EXAMPLE-BEGIN
/// The appliance's sound card, reduced to its real-time callback: every 10 ms it hands over one
/// captured frame and asks for one frame to play (480 samples, 48 kHz mono PCM16).
final class SoundCard: @unchecked Sendable {
    private var ports: ClientAudioPorts
    init(ports: consuming ClientAudioPorts) { self.ports = ports }

    /// Runs on the audio thread: no locks, no allocation, never blocks.
    func tick(microphone: UnsafeBufferPointer<Int16>, speaker: UnsafeMutableBufferPointer<Int16>) {
        _ = ports.capture.push(microphone)                                  // false: ring full, frame dropped and counted
        if !ports.playout.pop(into: speaker) { speaker.update(repeating: 0) } // nothing to play yet: silence
    }
}

func startAssistant(url: String, apiKey: String?) throws -> (RealtimeClient, SoundCard) {
    var config = RealtimeClient.Configuration()
    config.url = url                        // "https://api.openai.com", or a realtime-server
    config.apiKey = apiKey
    config.mintEphemeralKey = apiKey != nil // only a short-lived ek_… key travels with the media
    config.transport = .webrtc              // or .websocket
    let client = try RealtimeClient(configuration: config) { event in
        switch event {
        case .server(let e) where e.type == "response.done": print("reply finished")
        case .bargeIn(_, let audioEndMs): print("user spoke over the reply at \(audioEndMs) ms")
        case .disconnected(let why): print("call ended: \(why)")
        default: break
        }
    }
    client.registerTool("get_weather") { _ in #"{"sky":"clear"}"# }
    let card = SoundCard(ports: client.takeAudioPorts()!)   // before connect: the rings exist already
    try client.connect()                                    // returns once session.created arrived
    return (client, card)
}
// README-EXAMPLE-END

@Suite struct ReadmeExampleTests {
    /// The example against the local endpoint (echo backend): it connects, and a second of
    /// frames through `SoundCard.tick` neither blocks nor fails.
    @Test func theReadmeEmbeddingExampleRuns() throws {
        var c = RealtimeEndpoint.Configuration(log: { _ in })
        c.host = "127.0.0.1"
        let endpoint = try RealtimeEndpoint(c)
        let port = try endpoint.start()
        defer { endpoint.stop() }
        let (client, card) = try startAssistant(url: "http://127.0.0.1:\(port)", apiKey: nil)
        defer { client.close() }
        #expect(client.sessionID?.hasPrefix("sess_") == true)
        let microphone = [Int16](repeating: 100, count: 480)
        var speaker = [Int16](repeating: 1, count: 480)
        for _ in 0..<100 {
            microphone.withUnsafeBufferPointer { m in speaker.withUnsafeMutableBufferPointer { card.tick(microphone: m, speaker: $0) } }
            usleep(10_000)
        }
        #expect(client.metricsSnapshot().sessionID == client.sessionID)
    }

    /// The README shows exactly the code between the markers above.
    @Test func theReadmeShowsThisExample() throws {
        let here = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md").path, encoding: .utf8)
        let begin = here.range(of: "// README-EXAMPLE-BEGIN\n")!, end = here.range(of: "// README-EXAMPLE-END")!
        let example = String(here[begin.upperBound..<end.lowerBound])
        #expect(readme.contains(example), "README.md's embedding example differs from ReadmeExampleTests.swift")
    }
}

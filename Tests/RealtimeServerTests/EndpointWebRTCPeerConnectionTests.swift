import Foundation
import MediaCore
import RealtimeServer
import Runtime
import Testing
import TestSupport

/// Whole WebRTC calls to the endpoint over 127.0.0.1: our PeerConnection is the caller (as a
/// browser would be), POSTs its offer to `/v1/realtime/calls`, speaks through a simulated
/// microphone and listens through a simulated speaker; events travel on `oai-events`.
@Suite(.serialized) struct EndpointWebRTCPeerConnectionTests {
    let glib = GLibLoop()

    static let second = 48_000

    /// A caller connected to `e`, its channel open and `session.created` read.
    func connectedCaller(_ e: RunningEndpoint, bearer: String? = nil, session: [String: Any]? = nil) throws -> RealtimeCaller {
        let caller = RealtimeCaller(glib: glib)
        let answer = try caller.call(e.base + "/v1/realtime/calls", bearer: bearer, session: session)
        try #require(answer.status == 201, "POST /v1/realtime/calls: \(answer.status) \(answer.body)")
        try #require(caller.waitForChannel(), "the oai-events channel did not open")
        let first = caller.collect(until: "session.created")
        try #require(types(first).first == "session.created", "first events: \(types(first))")
        return caller
    }

    @Test func echoCallAnswersTheCallersVoiceWithEventsInOrder() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let caller = RealtimeCaller(glib: glib)
        defer { caller.close() }
        let answer = try caller.call(e.base + "/v1/realtime/calls", bearer: "sk-test")
        #expect(answer.status == 201)
        #expect(answer.header("Content-Type") == "application/sdp")
        let location = try #require(answer.header("Location"))
        #expect(location.hasPrefix("/v1/realtime/calls/rtc_"))
        #expect(answer.body.hasPrefix("v=0"))
        try #require(caller.waitForChannel())
        let created = caller.collect(until: "session.created")
        #expect(types(created) == ["session.created"])

        let chirpSignal = chirp(count: Self.second)
        let source = [Int16](repeating: 0, count: Self.second / 2) + chirpSignal + [Int16](repeating: 0, count: Self.second * 3)
        guard let ports = caller.peer.takeAudioPorts() else { Issue.record("ports taken"); return }
        let device = SimulatedAudioDevice(capture: ports.capture, playout: ports.playout, source: source, recordSeconds: 8)
        let started = Date()
        device.start()
        let events = caller.collect(until: "output_audio_buffer.stopped", seconds: 10)
        // `stopped` leaves with the last chunk: the caller's jitter buffer (deeper on a busy
        // machine) still holds some of it.
        usleep(2_000_000)
        let heard = device.stop()
        let names = types(events)
        let order = ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
                     "response.created", "output_audio_buffer.started", "response.output_audio_transcript.done",
                     "response.done", "rate_limits.updated", "output_audio_buffer.stopped"]
        let positions = order.map { names.firstIndex(of: $0) }
        #expect(positions.allSatisfy { $0 != nil }, "events: \(names)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "out of order: \(names)")
        #expect(!names.contains("response.output_audio.delta"), "WebRTC carries audio as RTP, not deltas")
        let done = events.first { $0["type"] as? String == "response.done" }?["response"] as? [String: Any]
        #expect(done?["status"] as? String == "completed")
        let usage = done?["usage"] as? [String: Any]
        #expect(((usage?["output_token_details"] as? [String: Any])?["audio_tokens"] as? Int ?? 0) > 0)

        // The echo comes back through the network: the chirp is in what the caller heard.
        let match = segmentedMatch(sent: chirpSignal, received: heard, maxLag: 4 * Self.second,
                                   window: 4_800..<43_200, segment: 4_800)
        let level = (0..<heard.count / 4_800).map { Int(rms(heard[($0 * 4_800)..<(($0 + 1) * 4_800)])) }
        #expect(match.medianCorrelation > 0.6, "median segment correlation \(match.medianCorrelation) at lag \(match.lag); levels per 100 ms \(level); \(caller.inbox.timeline(since: started))")
        #expect(match.lag > Self.second, "the echo cannot come before the turn ended (lag \(match.lag))")
        #expect(device.captureOverflows == 0)
    }

    @Test func scriptedFunctionCallRoundTripOverTheDataChannel() throws {
        let script = try weatherScript()
        defer { try? FileManager.default.removeItem(at: script.directory) }
        let e = try RunningEndpoint(backend: .scripted(path: script.path))
        defer { e.stop() }
        let caller = try connectedCaller(e, session: ["type": "realtime", "output_modalities": ["text"],
                                                      "audio": ["input": ["turn_detection": NSNull()]],
                                                      "tools": [["type": "function", "name": "get_weather",
                                                                 "parameters": ["type": "object", "properties": ["city": ["type": "string"]]]]]])
        defer { caller.close() }
        try caller.send(["type": "conversation.item.create",
                         "item": ["type": "message", "role": "user", "content": [["type": "input_text", "text": "Weather in Paris?"]]]])
        try caller.send(["type": "response.create"])
        let first = caller.collect(until: "response.done")
        let args = try #require(first.first { $0["type"] as? String == "response.function_call_arguments.done" })
        #expect(args["name"] as? String == "get_weather")
        #expect((args["arguments"] as? String)?.contains("Paris") == true)
        let callID = try #require(args["call_id"] as? String)
        try caller.send(["type": "conversation.item.create",
                         "item": ["type": "function_call_output", "call_id": callID, "output": #"{"sky":"clear"}"#]])
        try caller.send(["type": "response.create"])
        let second = caller.collect(until: "response.done")
        let text = second.first { $0["type"] as? String == "response.output_text.done" }?["text"] as? String
        #expect(text == script.reply, "events: \(types(second))")
    }

    @Test func bargeInCancelsTheResponseClearsTheBufferAndTruncatesAtWhatWasSent() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let caller = try connectedCaller(e)
        defer { caller.close() }
        // Speak 1.5 s, pause 0.9 s (VAD stops after 0.5 s: the echo starts), then speak over it.
        let silence = { (s: Double) in [Int16](repeating: 0, count: Int(s * Double(Self.second))) }
        let source = silence(0.3) + chirp(count: Self.second * 3 / 2) + silence(0.9) + chirp(count: Self.second) + silence(2.5)
        guard let ports = caller.peer.takeAudioPorts() else { Issue.record("ports taken"); return }
        let device = SimulatedAudioDevice(capture: ports.capture, playout: ports.playout, source: source, recordSeconds: 6)
        device.start()
        let events = caller.collect(until: "output_audio_buffer.cleared", seconds: 8)
        let names = types(events)
        let cancelled = events.first {
            $0["type"] as? String == "response.done" && ($0["response"] as? [String: Any])?["status"] as? String == "cancelled"
        }
        let details = (cancelled?["response"] as? [String: Any])?["status_details"] as? [String: Any]
        #expect(details?["reason"] as? String == "turn_detected", "events: \(names)")
        #expect(names.last == "output_audio_buffer.cleared")
        let truncated = caller.collect(until: "conversation.item.truncated", seconds: 2).last
            ?? events.first { $0["type"] as? String == "conversation.item.truncated" }
        let audioEnd = truncated?["audio_end_ms"] as? Int ?? -1
        // The response (≈ 2 s of echo) started after the first turn and was cut ≈ 0.4 s later.
        #expect(audioEnd > 100 && audioEnd < 1_200, "audio_end_ms \(audioEnd); events \(names)")
        usleep(1_500_000)
        let heard = device.stop()
        // After the cut the caller hears silence (the rest of the echo never left).
        let tail = heard.suffix(Self.second)
        #expect(rms(tail) < 200, "rms after barge-in \(rms(tail))")
        let loud = heard.count > 3 * Self.second ? rms(heard[(2 * Self.second)..<(3 * Self.second)]) : 0
        #expect(loud > 500 || audioEnd > 0, "the echo was audible before the cut (rms \(loud))")
    }

    @Test func hangupEndsTheCallAndLogsIt() throws {
        let e = try RunningEndpoint()
        defer { e.stop() }
        let caller = try connectedCaller(e)
        defer { caller.close() }
        let callID = try #require(caller.callID)
        let hangup = try post(e.base + "/v1/realtime/calls/\(callID)/hangup", contentType: nil, body: [])
        #expect(hangup.status == 200)
        #expect(eventually(seconds: 5) { e.log.all.contains { $0.contains("\"call_id\":\"\(callID)\"") } })
        let line = e.log.all.first { $0.contains(callID) } ?? ""
        #expect(line.contains("\"event\":\"call.closed\"") && line.contains("hangup requested") && line.contains("dtls_connected")
                && line.contains("\"jitter_buffer_target_ms\""))
        #expect(eventually(seconds: 5) { caller.inbox.channelClosed || caller.inbox.states.contains(.closed) || caller.inbox.states.contains(.failed) })
        let again = try post(e.base + "/v1/realtime/calls/\(callID)/hangup", contentType: nil, body: [])
        #expect(again.status == 404)
        let metrics = try curl("GET", e.base + "/metrics")
        #expect(metrics.body.contains("realtime_call_setup_seconds_count{phase=\"dtls_connected\"} 1"))
        #expect(metrics.body.contains("realtime_call_setup_seconds_count{phase=\"channel_open\"} 1"))
    }

    @Test func sideWebSocketMirrorsEventsAndItsClientEventsReachTheCall() throws {
        let e = try RunningEndpoint(apiKey: "sk-test")
        defer { e.stop() }
        let caller = try connectedCaller(e, bearer: "sk-test")
        defer { caller.close() }
        let callID = try #require(caller.callID)
        let side = try EventSocket("ws://127.0.0.1:\(e.port)/v1/realtime?call_id=\(callID)", bearer: "sk-test")
        defer { side.client.close() }
        usleep(100_000)   // the side socket joins on the endpoint thread
        try side.send(["type": "session.update", "session": ["type": "realtime", "instructions": "From the side."]])
        let onSide = try side.collect(until: "session.updated")
        let onChannel = caller.collect(until: "session.updated")
        #expect((onSide.last?["session"] as? [String: Any])?["instructions"] as? String == "From the side.")
        #expect((onChannel.last?["session"] as? [String: Any])?["instructions"] as? String == "From the side.")
        #expect(onSide.last?["event_id"] as? String == onChannel.last?["event_id"] as? String)
        // And the other way: the caller's event is mirrored to the side socket.
        try caller.send(["type": "conversation.item.create",
                         "item": ["type": "message", "role": "user", "content": [["type": "input_text", "text": "hello"]]]])
        let added = try side.collect(until: "conversation.item.added")
        #expect(!added.isEmpty)
    }

    @Test func aCallRelayedToAWebSocketEndpointHearsTheUpstreamEcho() throws {
        let upstream = try RunningEndpoint(apiKey: "sk-upstream")
        defer { upstream.stop() }
        let relay = try RunningEndpoint(backend: .relay(url: upstream.wsURL()), relayAPIKey: "sk-upstream")
        defer { relay.stop() }
        let caller = try connectedCaller(relay)
        defer { caller.close() }
        let chirpSignal = chirp(count: Self.second)
        let source = [Int16](repeating: 0, count: Self.second / 2) + chirpSignal + [Int16](repeating: 0, count: Self.second * 4)
        guard let ports = caller.peer.takeAudioPorts() else { Issue.record("ports taken"); return }
        let device = SimulatedAudioDevice(capture: ports.capture, playout: ports.playout, source: source, recordSeconds: 8)
        let started = Date()
        device.start()
        let events = caller.collect(until: "output_audio_buffer.stopped", seconds: 10)
        usleep(2_000_000)
        let heard = device.stop()
        let timeline = caller.inbox.timeline(since: started)
        let names = types(events)
        let order = ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "response.created",
                     "output_audio_buffer.started", "response.done", "output_audio_buffer.stopped"]
        let positions = order.map { names.firstIndex(of: $0) }
        #expect(positions.allSatisfy { $0 != nil }, "events: \(names)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "out of order: \(names)")
        #expect(!names.contains("response.output_audio.delta"), "upstream deltas become RTP, not events")
        let match = segmentedMatch(sent: chirpSignal, received: heard, maxLag: 5 * Self.second, window: 4_800..<43_200, segment: 4_800)
        let level = (0..<heard.count / 4_800).map { Int(rms(heard[($0 * 4_800)..<(($0 + 1) * 4_800)])) }
        #expect(match.medianCorrelation > 0.6, "median segment correlation \(match.medianCorrelation) at lag \(match.lag); levels \(level); \(timeline)")
    }
}

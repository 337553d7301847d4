import Foundation
import MediaCore
import Testing
@testable import Realtime

@Suite struct BackendTests {
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A minimal PCM16 mono WAV file (RIFF header + data), written by hand for the test.
    static func wavBytes(_ samples: [Int16], rate: Int) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let data = samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
        return Array("RIFF".utf8) + le32(36 + data.count) + Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(rate)
            + le32(rate * 2) + le16(2) + le16(16) + Array("data".utf8) + le32(data.count) + data
    }

    @Test func scriptedFunctionCallRoundTrip() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tone = SyntheticAudio.tone(milliseconds: 200)
        try Data(Self.wavBytes(tone, rate: 24_000)).write(to: dir.appendingPathComponent("sunny.wav"))
        let script = #"""
        {"replies": [
          {"delay_ms": 150, "function_call": {"name": "get_weather", "arguments": {"city": "Paris"}}},
          {"text": "It is sunny.", "audio": "sunny.wav"}
        ]}
        """#
        try script.write(to: dir.appendingPathComponent("script.json"), atomically: true, encoding: .utf8)
        let backend = try ScriptedBackend(file: dir.appendingPathComponent("script.json").path)
        #expect(backend.replies.count == 2)
        #expect(backend.replies[1].audio == tone)

        let h = RealtimeSessionHarness(pacing: .realtime, backend: backend)
        h.send(#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}}"#)
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather in Paris?"}]}}"#)
        let r0 = h.events.count
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .milliseconds(100))
        #expect(h.types(from: r0) == ["response.created"], "nothing before delay_ms")
        h.run(for: .milliseconds(100))
        let deltas = h.events[r0...].compactMap { if case .responseFunctionCallArgumentsDelta(_, _, _, _, let d) = $0.body { d } else { nil } }
        #expect(deltas.joined() == #"{"city":"Paris"}"#)
        #expect(deltas.count > 1)
        guard case .responseFunctionCallArgumentsDone(_, let itemID, let outIndex, let callID, let name, let args)? =
                h.events[r0...].first(where: { $0.type == "response.function_call_arguments.done" })?.body
        else { Issue.record("no arguments.done"); return }
        #expect(name == "get_weather" && args == #"{"city":"Paris"}"# && outIndex == 0)
        #expect(callID.hasPrefix("call_"))
        let done = try #require(h.lastResponseDone)
        #expect(done.status == .completed)
        #expect(done.output == [.functionCall(.init(id: itemID, status: .completed, callID: callID, name: name, arguments: args))])
        #expect(h.types(from: r0).suffix(5) == [
            "response.function_call_arguments.done", "response.output_item.done", "conversation.item.done", "response.done",
            "rate_limits.updated",
        ])

        // The client runs the function and asks for the next response.
        h.send(#"{"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"\#(callID)","output":"{\"sky\":\"clear\"}"}}"#)
        let r1 = h.events.count
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .seconds(1))
        #expect(h.deltaAudio(from: r1) == tone)
        let transcript = h.events[r1...].compactMap { if case .responseOutputAudioTranscriptDone(_, let t) = $0.body { t } else { nil } }
        #expect(transcript == ["It is sunny."])
        #expect(h.session.items.map(\.item).compactMap { if case .functionCallOutput(let o) = $0 { o.callID } else { nil } } == [callID])
        // The script is used up: a further response completes empty.
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .seconds(1))
        #expect(h.lastResponseDone?.output.isEmpty == true)
    }

    @Test func scriptedBackendResamplesWAVTo24kHz() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = (0..<1_600).map { Int16(8_000 * sin(2 * Double.pi * 200 * Double($0) / 16_000)) }
        try Data(Self.wavBytes(samples, rate: 16_000)).write(to: dir.appendingPathComponent("a.wav"))
        let b = try ScriptedBackend(json: Array(#"[{"audio":"a.wav"}]"#.utf8), audioFolder: dir.path)
        let audio = try #require(b.replies.first?.audio)
        #expect(abs(audio.count - 2_400) <= 2, "100 ms at 24 kHz")
    }

    @Test func badScriptsAreTypedErrorsNamingLineOrField() {
        func error(_ text: String) -> ScriptError? {
            do { _ = try ScriptedBackend(json: Array(text.utf8), audioFolder: "/nonexistent"); return nil } catch { return error }
        }
        guard case .syntax(let line, _, _)? = error("{\"replies\": [\n  {\"text\": \"hi\"},\n  {\"text\": }\n]}") else {
            Issue.record("expected a syntax error"); return
        }
        #expect(line == 3)
        #expect(error(#"{"replies":[{"text":"a"},{"delay_ms":"soon","text":"b"}]}"#) == .invalidField(field: "replies[1].delay_ms", reason: "expected an integer"))
        #expect(error(#"{"replies":[{"voice":"x"}]}"#) == .invalidField(field: "replies[0].voice", reason: "unknown field"))
        #expect(error(#"[{"function_call":{"arguments":"{}"}}]"#) == .invalidField(field: "[0].function_call.name", reason: "expected a non-empty string"))
        if case .invalidField(let f, _)? = error(#"[{"function_call":{"name":"f","arguments":"{nope"}}]"#) {
            #expect(f == "[0].function_call.arguments")
        } else {
            Issue.record("bad arguments accepted")
        }
        if case .audio(let f, _, _)? = error(#"[{"audio":"missing.wav"}]"#) { #expect(f == "[0].audio") } else { Issue.record("missing WAV accepted") }
        #expect(error(#"{"replies":[{}]}"#) == .invalidField(field: "replies[0]", reason: "a reply needs text, audio or function_call"))
        #expect(throws: ScriptError.self) { _ = try ScriptedBackend(file: "/nonexistent/script.json") }
    }

    @Test func echoBackendAnswersTheLastUserTurn() {
        var echo = EchoBackend(firstOutputDelay: .milliseconds(50))
        let audio = SyntheticAudio.tone(milliseconds: 100)
        let user = BackendItem(item: .message(.init(id: "item_1", role: .user, content: [.inputAudio(audio: nil, transcript: nil)])), audio: audio)
        var stream = echo.start(BackendRequest(input: [user]), at: .zero)
        #expect(stream.next(at: .zero) == nil, "not before the first-output delay")
        #expect(stream.nextDue() == .zero + .milliseconds(50))
        #expect(stream.next(at: .zero + .milliseconds(50)) == .audio(audio))
        #expect(stream.nextDue() == nil)
        var text = echo.start(BackendRequest(input: [user], outputModalities: [.text]), at: .zero)
        #expect(text.next(at: Instant.zero + .seconds(1)) == .textDelta("(echo)"))
    }
}

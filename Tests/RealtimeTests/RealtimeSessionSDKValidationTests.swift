import Foundation
import MediaCore
import Testing
@testable import Realtime

/// Every event a session emits over a long scenario (both transports, server VAD with barge-in,
/// manual turns, text, a scripted function call, out-of-band, item operations, cancels, errors)
/// must pass the official `openai` SDK's models (Tests/Interop/validate_events.py).
@Suite struct RealtimeSessionSDKValidationTests {
    static func scenario(transport: RealtimeSession.Transport) -> [ServerEvent] {
        let script = ScriptedBackend(replies: [
            .init(text: "Checking.", functionCall: .init(name: "lookup", arguments: #"{"q":"x"}"#)),
            .init(delay: .milliseconds(40), text: "Found it.", audio: SyntheticAudio.tone(milliseconds: 120)),
        ])
        let h = RealtimeSessionHarness(transport: transport, pacing: .realtime, turnDetection: .defaultServerVAD, backend: EchoBackend())
        // Server VAD turn, then barge-in over the echo.
        h.speak(SyntheticAudio.silence(milliseconds: 400))
        h.speak(SyntheticAudio.tone(milliseconds: 1_000))
        h.speak(SyntheticAudio.silence(milliseconds: 800))
        h.speak(SyntheticAudio.tone(milliseconds: 400))
        h.speak(SyntheticAudio.silence(milliseconds: 1_500))
        h.run(for: .seconds(3))
        // Manual turns from here.
        h.send(#"{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}},"instructions":"Short answers."}}"#)
        h.appendBase64(SyntheticAudio.tone(milliseconds: 300))
        h.send(#"{"type":"input_audio_buffer.commit"}"#)
        h.send(#"{"type":"response.create","response":{"metadata":{"k":"v"}}}"#)
        h.run(for: .milliseconds(100))
        h.send(#"{"type":"response.cancel"}"#)
        h.send(#"{"type":"output_audio_buffer.clear"}"#)
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"say this back"}]}}"#)
        h.send(#"{"type":"response.create","response":{"output_modalities":["text"]}}"#)
        h.send(#"{"type":"response.create"}"#)  // error: one already active
        h.run(for: .seconds(1))
        h.send(#"{"type":"response.create","response":{"conversation":"none","max_output_tokens":2}}"#)
        h.run(for: .seconds(3))
        if let id = h.lastResponseDone?.output.first?.id {
            h.send(#"{"type":"conversation.item.retrieve","item_id":"\#(id)"}"#)
        }
        let assistant = h.session.items.last { if case .message(let m) = $0.item { m.role == .assistant && !$0.audio.isEmpty } else { false } }
        if let a = assistant, let id = a.item.id {
            h.send(#"{"type":"conversation.item.retrieve","item_id":"\#(id)"}"#)
            h.send(#"{"type":"conversation.item.truncate","item_id":"\#(id)","content_index":0,"audio_end_ms":20}"#)
            h.send(#"{"type":"conversation.item.delete","item_id":"\#(id)"}"#)
        }
        h.send(#"{"type":"conversation.item.delete","item_id":"item_nope"}"#)
        h.send(#"{"type":"input_audio_buffer.commit"}"#)
        h.send(#"{"type":"input_audio_buffer.clear"}"#)
        h.send("not json")
        h.send(#"{"type":"session.update","session":{"type":"realtime","modalities":["text"]}}"#)
        // A scripted function-call round trip in a second session on the same transport.
        let s = RealtimeSessionHarness(transport: transport, pacing: .realtime, backend: script)
        s.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"find x"}]}}"#)
        s.send(#"{"type":"response.create"}"#)
        s.run(for: .seconds(1))
        let callID = s.events.compactMap { if case .responseFunctionCallArgumentsDone(_, _, _, let c, _, _) = $0.body { c } else { nil } }.first ?? ""
        s.send(#"{"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"\#(callID)","output":"42"}}"#)
        s.send(#"{"type":"response.create"}"#)
        s.run(for: .seconds(2))
        var idle = TurnDetection.ServerVAD()
        idle.idleTimeoutMs = 5_000
        let t = RealtimeSessionHarness(transport: transport, turnDetection: .serverVAD(idle))
        t.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}"#)
        t.send(#"{"type":"response.create"}"#)
        t.run(for: .seconds(7))
        let x = RealtimeSessionHarness(transport: transport)
        x.run(for: .seconds(3_601))
        return h.events + s.events + t.events + x.events
    }

    @Test(arguments: [RealtimeSession.Transport.webSocket, .webRTC])
    func officialSDKAcceptsEveryEventOfALongScenario(transport: RealtimeSession.Transport) throws {
        let events = Self.scenario(transport: transport)
        let types = Set(events.map(\.type))
        // The scenario reaches the whole lifecycle, or the validation proves little.
        for t in ["session.created", "conversation.created", "input_audio_buffer.speech_started", "input_audio_buffer.committed",
                  "conversation.item.added", "conversation.item.done", "response.created", "response.done", "conversation.item.truncated",
                  "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_text.delta",
                  "response.output_audio_transcript.delta", "conversation.item.retrieved", "conversation.item.deleted", "error",
                  "rate_limits.updated", "input_audio_buffer.timeout_triggered", "input_audio_buffer.cleared", "session.updated",
                  "input_audio_buffer.speech_stopped"] {
            #expect(types.contains(t), "scenario never emitted \(t)")
        }
        #expect(types.contains("response.output_audio.delta") == (transport == .webSocket))
        #expect(types.contains("output_audio_buffer.started") == (transport == .webRTC))
        guard let python = SDKValidationTests.python() else {
            Issue.record("No Python with the openai SDK: run `scripts/setup.sh interop` to create .venv")
            return
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("realtime-session-\(getpid())-\(transport).jsonl")
        try (events.map(\.jsonText).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try SDKValidationTests.run(
            python, [SDKValidationTests.packageRoot.appendingPathComponent("Tests/Interop/validate_events.py").path, file.path])
        #expect(status == 0, "SDK validation failed:\n\(output)")
        #expect(output.contains("validated \(events.count) events, 0 problem(s)"), "\(output)")
    }
}

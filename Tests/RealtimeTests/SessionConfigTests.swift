import Testing
@testable import Realtime

@Suite struct SessionConfigTests {
    @Test func defaultsAreTheServices() {
        let s = SessionConfig()
        #expect(s.outputModalities == [.audio])
        #expect(s.audio.input.format == .pcm16(rate: 24_000))
        #expect(s.audio.output.format == .pcm16(rate: 24_000))
        #expect(s.audio.output.voice == .alloy)
        #expect(s.audio.output.speed == 1.0)
        #expect(s.maxOutputTokens == .infinite)
        #expect(s.maxOutputTokens.effectiveLimit == 4_096)
        #expect(s.truncation == .auto)
        #expect(s.toolChoice == .auto)
        guard case .serverVAD(let vad) = s.audio.input.turnDetection else {
            Issue.record("default turn detection is not server_vad")
            return
        }
        #expect(vad.threshold == 0.5)
        #expect(vad.prefixPaddingMs == 300)
        #expect(vad.silenceDurationMs == 500)
        #expect(vad.createResponse && vad.interruptResponse)
        #expect(vad.idleTimeoutMs == nil)
    }

    private func update(_ session: String) throws -> SessionUpdate {
        let event = try ClientEvent(jsonText: #"{"type":"session.update","session":\#(session)}"#)
        guard case .sessionUpdate(let u) = event.body else { throw RealtimeProtocolError(code: .invalidValue, message: "not an update", param: nil) }
        return u
    }

    @Test func partialUpdateChangesOnlyGivenFields() throws {
        var s = SessionConfig()
        s.instructions = "Be brief."
        s.audio.input.transcription = AudioTranscription(model: "whisper-1")
        let u = try update(#"{"type":"realtime","audio":{"output":{"voice":"marin"}}}"#)
        let after = try s.applying(u)
        var expected = s
        expected.audio.output.voice = .marin
        #expect(after == expected)
    }

    @Test func nullClearsAndAbsenceKeeps() throws {
        var s = SessionConfig()
        s.audio.input.transcription = AudioTranscription(model: "whisper-1")
        s.tracing = .auto
        let u = try update(#"{"type":"realtime","audio":{"input":{"turn_detection":null}},"tracing":null}"#)
        let after = try s.applying(u)
        #expect(after.audio.input.turnDetection == nil)
        #expect(after.tracing == nil)
        #expect(after.audio.input.transcription == AudioTranscription(model: "whisper-1"))
    }

    @Test func turnDetectionObjectReplacesWholeWithDefaultsForMissingFields() throws {
        var s = SessionConfig()
        var vad = TurnDetection.ServerVAD()
        vad.silenceDurationMs = 900
        s.audio.input.turnDetection = .serverVAD(vad)
        let after = try s.applying(try update(#"{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":0.7}}}}"#))
        var expected = TurnDetection.ServerVAD()
        expected.threshold = 0.7
        #expect(after.audio.input.turnDetection == .serverVAD(expected))
        let semantic = try s.applying(try update(#"{"type":"realtime","audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"low"}}}}"#))
        var sv = TurnDetection.SemanticVAD()
        sv.eagerness = .low
        #expect(semantic.audio.input.turnDetection == .semanticVAD(sv))
    }

    @Test func everyFieldCanBeSet() throws {
        let u = try update(#"""
            {"type":"realtime","model":"gpt-realtime-mini","output_modalities":["text"],"instructions":"Hi",
             "audio":{"input":{"format":{"type":"audio/pcma"},"noise_reduction":{"type":"far_field"},
                               "transcription":{"model":"gpt-4o-mini-transcribe","language":"de","prompt":"names"}},
                      "output":{"format":{"type":"audio/pcmu"},"voice":"cedar","speed":1.5}},
             "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object","properties":{}}}],
             "tool_choice":"required","max_output_tokens":4096,"truncation":"disabled",
             "tracing":{"workflow_name":"w","group_id":"g","metadata":{"k":"v"}},
             "prompt":{"id":"pmpt_1","variables":{"name":"Ann"}},"include":["item.input_audio_transcription.logprobs"]}
            """#)
        let s = try SessionConfig().applying(u)
        #expect(s.model == .gptRealtimeMini)
        #expect(s.outputModalities == [.text])
        #expect(s.audio.input.format == .pcma)
        #expect(s.audio.input.noiseReduction == NoiseReduction(type: .farField))
        #expect(s.audio.input.transcription?.language == "de")
        #expect(s.audio.output.format == .pcmu)
        #expect(s.audio.output.voice == .cedar)
        #expect(s.audio.output.speed == 1.5)
        #expect(s.tools.map(\.name) == ["f"])
        #expect(s.toolChoice == .required)
        #expect(s.maxOutputTokens == .limit(4096))
        #expect(s.truncation == .disabled)
        #expect(s.tracing == .configuration(workflowName: "w", groupID: "g", metadata: ["k": "v"]))
        #expect(s.prompt == PromptReference(id: "pmpt_1", variables: ["name": "Ann"]))
        #expect(s.include == [.inputAudioTranscriptionLogprobs])
        // The full config reads back from its own JSON (as session.updated carries it).
        #expect(try SessionConfig(json: s.json, path: "session") == s)
    }

    @Test(arguments: RealtimeModel.allCases)
    func acceptsEveryServedModelName(_ model: RealtimeModel) throws {
        let s = try SessionConfig().applying(try update(#"{"type":"realtime","model":"\#(model.rawValue)"}"#))
        #expect(s.model == model)
    }

    @Test func outOfRangeUpdateInCodeThrowsAndChangesNothing() {
        let s = SessionConfig()
        var vad = TurnDetection.ServerVAD()
        vad.threshold = -0.1
        let bad = SessionUpdate(audio: .init(input: .init(turnDetection: .value(.serverVAD(vad)))))
        #expect(throws: RealtimeProtocolError.self) { try s.applying(bad) }
        do {
            _ = try s.applying(SessionUpdate(audio: .init(output: .init(voice: Voice(rawValue: "nova")))))
            Issue.record("accepted an unknown voice")
        } catch {
            #expect(error.param == "session.audio.output.voice")
        }
        do {
            _ = try s.applying(SessionUpdate(maxOutputTokens: .limit(5000)))
            Issue.record("accepted 5000 max_output_tokens")
        } catch {
            #expect(error.code == .integerAboveMaxValue)
        }
    }

    @Test func sessionJSONCarriesServerFields() throws {
        let s = EventSamples.fullSession
        guard case .object(let o) = s.json else {
            Issue.record("not an object")
            return
        }
        #expect(o["object"] == "realtime.session")
        #expect(o["id"] == .string("sess_C9qHYv2S7lEYh8Gs3yRz0"))
        #expect(o["type"] == "realtime")
        #expect(o["max_output_tokens"] == "inf")
    }
}

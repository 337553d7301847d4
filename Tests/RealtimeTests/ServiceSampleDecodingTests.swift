import Testing
@testable import Realtime

/// Decoding JSON shaped like the service's (written here from the SDK's field lists).
@Suite struct ServiceSampleDecodingTests {
    @Test func decodesSessionCreatedAsTheServiceSendsIt() throws {
        let text = #"""
            {"type":"session.created","event_id":"event_C9G5RJeJ2gF77mV7f2B1j","session":{
              "type":"realtime","object":"realtime.session","id":"sess_C9G5QPteg4UIbotdKLoYQ",
              "model":"gpt-4o-mini-realtime-preview-2024-12-17","output_modalities":["audio"],
              "instructions":"Your knowledge cutoff is 2023-10.","tools":[],"tool_choice":"auto","max_output_tokens":"inf",
              "tracing":null,"truncation":"auto","prompt":null,"expires_at":1756324625,
              "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"transcription":null,"noise_reduction":null,
                                "turn_detection":{"type":"server_vad","threshold":0.5,"prefix_padding_ms":300,"silence_duration_ms":200,
                                                  "idle_timeout_ms":null,"create_response":true,"interrupt_response":true}},
                       "output":{"format":{"type":"audio/pcm","rate":24000},"voice":"marin","speed":1}},
              "include":null}}
            """#
        let event = try ServerEvent(jsonText: text)
        #expect(event.eventID == "event_C9G5RJeJ2gF77mV7f2B1j")
        guard case .sessionCreated(let s) = event.body else {
            Issue.record("wrong event \(event.type)")
            return
        }
        #expect(s.id == "sess_C9G5QPteg4UIbotdKLoYQ")
        #expect(s.expiresAt == 1_756_324_625)
        #expect(s.model == .gpt4oMiniRealtimePreview20241217)
        #expect(s.audio.output.voice == .marin)
        #expect(s.audio.output.speed == 1)
        guard case .serverVAD(let vad) = s.audio.input.turnDetection else {
            Issue.record("no server_vad")
            return
        }
        #expect(vad.silenceDurationMs == 200)
    }

    @Test func decodesResponseDoneWithUsage() throws {
        let text = #"""
            {"type":"response.done","event_id":"event_CCXHxcMy86rrKhBLDdqCh","response":{
              "object":"realtime.response","id":"resp_CCXHw0UJld10EzIUXQCNh","status":"completed","status_details":null,
              "output":[{"id":"item_CCXHwGjjDUfOXbiySlK7i","type":"message","status":"completed","role":"assistant",
                         "content":[{"type":"output_audio","transcript":"Loud and clear! I can hear you perfectly."}]}],
              "conversation_id":"conv_CCXHsurMKcaVxIZvaCI5m","output_modalities":["audio"],"max_output_tokens":"inf",
              "audio":{"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"alloy"}},
              "usage":{"total_tokens":253,"input_tokens":132,"output_tokens":121,
                       "input_token_details":{"text_tokens":119,"audio_tokens":13,"image_tokens":0,"cached_tokens":64,
                                              "cached_tokens_details":{"text_tokens":64,"audio_tokens":0,"image_tokens":0}},
                       "output_token_details":{"text_tokens":30,"audio_tokens":91}},
              "metadata":null}}
            """#
        guard case .responseDone(let r) = try ServerEvent(jsonText: text).body else {
            Issue.record("not response.done")
            return
        }
        #expect(r.status == .completed)
        #expect(r.usage?.totalTokens == 253)
        #expect(r.usage?.input.cachedTextTokens == 64)
        #expect(r.output.first == .message(.init(
            id: "item_CCXHwGjjDUfOXbiySlK7i", status: .completed, role: .assistant,
            content: [.outputAudio(audio: nil, transcript: "Loud and clear! I can hear you perfectly.")])))
        #expect(r.conversationID == "conv_CCXHsurMKcaVxIZvaCI5m")
    }

    @Test func decodesCancelledResponseAfterBargeIn() throws {
        let text = #"{"type":"response.done","event_id":"event_1","response":{"object":"realtime.response","id":"resp_1","status":"cancelled","status_details":{"type":"cancelled","reason":"turn_detected"},"output":[],"usage":null}}"#
        guard case .responseDone(let r) = try ServerEvent(jsonText: text).body else {
            Issue.record("not response.done")
            return
        }
        #expect(r.statusDetails?.reason == .turnDetected)
    }

    @Test func decodesAClientSessionUpdateFromTheDocs() throws {
        let text = #"""
            {"type":"session.update","session":{"type":"realtime","instructions":"You are a creative assistant that helps with design tasks.",
             "tools":[{"type":"function","name":"display_color_palette","description":"Call this function when a user asks for a color palette.",
                       "parameters":{"type":"object","strict":true,"properties":{"theme":{"type":"string"}},"required":["theme"]}}],
             "tool_choice":"auto"}}
            """#
        guard case .sessionUpdate(let u) = try ClientEvent(jsonText: text).body else {
            Issue.record("not session.update")
            return
        }
        #expect(u.tools?.first?.name == "display_color_palette")
        #expect(u.tools?.first?.parameters?["required"] == ["theme"])
        #expect(u.toolChoice == .auto)
        #expect(u.audio == nil)
    }

    @Test func contentPartAcceptsBothPartVocabularies() throws {
        let a = #"{"type":"response.content_part.added","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"part":{"type":"output_audio","transcript":""}}"#
        guard case .responseContentPartAdded(_, let part) = try ServerEvent(jsonText: a).body else {
            Issue.record("not content_part.added")
            return
        }
        #expect(part.type == .audio)
    }
}

@Suite struct SupportTests {
    @Test func idsHaveTheServicePrefixAndLength() {
        var g = RealtimeIDGenerator(rng: SplitMix(seed: 7))
        let ids = [g.eventID(), g.itemID(), g.responseID(), g.conversationID(), g.sessionID()]
        for (id, prefix) in zip(ids, ["event_", "item_", "resp_", "conv_", "sess_"]) {
            #expect(id.hasPrefix(prefix))
            #expect(id.count == prefix.count + 21)
            #expect(id.dropFirst(prefix.count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        var system = RealtimeIDGenerator()
        #expect(system.itemID() != system.itemID())
    }

    @Test func base64PCM16RoundTripsLittleEndian() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 258]
        let text = Base64Audio.encodePCM16(samples)
        #expect(try Base64Audio.decode(text) == [0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x80, 0x02, 0x01])
        #expect(try Base64Audio.decodePCM16(text) == samples)
        #expect(throws: RealtimeProtocolError.self) { try Base64Audio.decode("not base64!") }
        #expect(throws: RealtimeProtocolError.self) { try Base64Audio.decodePCM16(Base64Audio.encode([1, 2, 3])) }
    }

    @Test func jsonParserKeepsIntegersDecimalsAndEscapes() throws {
        let v = try JSONParser.parse(#"{"i":-12,"d":0.5,"e":1e3,"s":"a\"b\\c\n\u00e9\ud83d\ude00","b":[true,false,null],"big":12345678901234567890}"#)
        guard case .object(let o) = v else {
            Issue.record("not an object")
            return
        }
        #expect(o["i"] == .integer(-12))
        #expect(o["d"] == .decimal(0.5))
        #expect(o["e"] == .decimal(1000))
        #expect(o["s"] == .string("a\"b\\c\né😀"))
        #expect(o["b"] == [true, false, nil])
        #expect(o["big"] == .decimal(Double("12345678901234567890")!))
        #expect(try JSONParser.parse(JSONWriter.string(v)) == v)
        #expect(JSONWriter.string(.string("\u{01}\t")) == #""\u0001\t""#)
    }
}

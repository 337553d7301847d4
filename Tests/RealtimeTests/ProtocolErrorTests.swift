import Testing
@testable import Realtime

/// Every way a client event can be wrong ends in a typed error naming `code` and `param`.
@Suite struct ProtocolErrorTests {
    private func clientError(_ text: String) -> RealtimeProtocolError? {
        do {
            _ = try ClientEvent(jsonText: text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", "{", "[1,", #"{"type": "session.update""#, "nul", #"{"a":"\u12"}"#, #""\ud800""#, "{} x", "01"])
    func invalidJSONIsInvalidJSON(_ text: String) throws {
        let e = try #require(clientError(text))
        #expect(e.code == .invalidJSON)
        #expect(e.type == "invalid_request_error")
        #expect(e.param == nil)
    }

    @Test func nonObjectTopLevelIsRejected() throws {
        #expect(try #require(clientError("[1,2]")).code == .invalidJSON)
        #expect(try #require(clientError(#""session.update""#)).code == .invalidJSON)
    }

    @Test func deepNestingIsRejectedNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(try #require(clientError(deep)).code == .invalidJSON)
    }

    @Test func missingTypeIsMissingRequiredParameter() throws {
        let e = try #require(clientError(#"{"event_id":"evt_1","audio":"AAAA"}"#))
        #expect(e.code == .missingRequiredParameter)
        #expect(e.param == "type")
        #expect(e.eventID == "evt_1")
    }

    @Test func unknownTypeIsInvalidValueOnType() throws {
        let e = try #require(clientError(#"{"type":"response.audio.delta","event_id":"evt_2"}"#))
        #expect(e.code == .invalidValue)
        #expect(e.param == "type")
        #expect(e.eventID == "evt_2")
        #expect(e.message.contains("'session.update'"))
    }

    @Test func wrongFieldTypeIsInvalidTypeWithPath() throws {
        let e = try #require(clientError(#"{"type":"conversation.item.truncate","item_id":"item_1","content_index":"0","audio_end_ms":10}"#))
        #expect(e.code == .invalidType)
        #expect(e.param == "content_index")
        let t = try #require(clientError(
            #"{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":"high"}}}}}"#))
        #expect(t.code == .invalidType)
        #expect(t.param == "session.audio.input.turn_detection.threshold")
        let eventID = try #require(clientError(#"{"type":"input_audio_buffer.clear","event_id":7}"#))
        #expect(eventID.code == .invalidType)
        #expect(eventID.param == "event_id")
    }

    @Test func missingFieldIsMissingRequiredParameterWithPath() throws {
        let e = try #require(clientError(#"{"type":"conversation.item.create","event_id":"e","item":{"type":"function_call_output","output":"{}"}}"#))
        #expect(e.code == .missingRequiredParameter)
        #expect(e.param == "item.call_id")
        #expect(e.eventID == "e")
        #expect(try #require(clientError(#"{"type":"session.update","session":{}}"#)).param == "session.type")
        #expect(try #require(clientError(#"{"type":"input_audio_buffer.append"}"#)).param == "audio")
    }

    @Test(arguments: [
        ("modalities", #"["text"]"#), ("input_audio_format", #""pcm16""#), ("output_audio_format", #""g711_ulaw""#),
        ("voice", #""alloy""#), ("turn_detection", "null"), ("input_audio_transcription", "null"),
        ("max_response_output_tokens", "100"), ("temperature", "0.8"), ("speed", "1.0"),
    ])
    func betaOnlySessionFieldIsUnknownParameter(field: String, value: String) throws {
        let e = try #require(clientError(#"{"type":"session.update","event_id":"evt_b","session":{"type":"realtime","\#(field)":\#(value)}}"#))
        #expect(e.code == .unknownParameter)
        #expect(e.param == "session.\(field)")
        #expect(e.eventID == "evt_b")
        #expect(e.details.code == "unknown_parameter")
    }

    @Test func unknownFieldsAreRejectedAtEveryDepth() throws {
        #expect(try #require(clientError(#"{"type":"input_audio_buffer.commit","extra":1}"#)).param == "extra")
        #expect(try #require(clientError(
            #"{"type":"session.update","session":{"type":"realtime","audio":{"output":{"voice":"ash","pitch":2}}}}"#)).param == "session.audio.output.pitch")
        #expect(try #require(clientError(
            #"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"x","lang":"en"}]}}"#)).param
            == "item.content[0].lang")
    }

    @Test func outOfRangeValuesNameTheirParam() throws {
        func sessionError(_ session: String) throws -> RealtimeProtocolError {
            try #require(clientError(#"{"type":"session.update","session":{"type":"realtime",\#(session)}}"#))
        }
        var e = try sessionError(#""audio":{"input":{"turn_detection":{"type":"server_vad","threshold":1.5}}}"#)
        #expect(e.code == .decimalAboveMaxValue)
        #expect(e.param == "session.audio.input.turn_detection.threshold")
        e = try sessionError(#""audio":{"output":{"speed":0.1}}"#)
        #expect(e.code == .decimalBelowMinValue)
        #expect(e.param == "session.audio.output.speed")
        e = try sessionError(#""max_output_tokens":4097"#)
        #expect(e.code == .integerAboveMaxValue)
        #expect(e.param == "session.max_output_tokens")
        e = try sessionError(#""max_output_tokens":0"#)
        #expect(e.code == .integerBelowMinValue)
        e = try sessionError(#""max_output_tokens":"infinite""#)
        #expect(e.code == .invalidValue)
        e = try sessionError(#""audio":{"output":{"voice":"nova"}}"#)
        #expect(e.code == .invalidValue)
        #expect(e.param == "session.audio.output.voice")
        e = try sessionError(#""model":"gpt-4o-realtime-preview""#)
        #expect(e.code == .invalidValue)
        #expect(e.param == "session.model")
        e = try sessionError(#""audio":{"input":{"format":{"type":"audio/pcm","rate":16000}}}"#)
        #expect(e.param == "session.audio.input.format.rate")
        e = try sessionError(#""audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"eager"}}}"#)
        #expect(e.code == .invalidValue)
        #expect(e.param == "session.audio.input.turn_detection.eagerness")
        e = try sessionError(#""output_modalities":["text","audio"]"#)
        #expect(e.code == .invalidValue)
        #expect(e.param == "session.output_modalities")
        e = try sessionError(#""truncation":{"type":"retention_ratio","retention_ratio":1.2}"#)
        #expect(e.param == "session.truncation.retention_ratio")
    }

    @Test func messageContentMustFitRole() throws {
        let e = try #require(clientError(
            #"{"type":"conversation.item.create","item":{"type":"message","role":"system","content":[{"type":"output_text","text":"x"}]}}"#))
        #expect(e.code == .invalidValue)
        #expect(e.param == "item.content[0].type")
    }

    @Test func errorBecomesAnErrorServerEvent() throws {
        let e = try #require(clientError(#"{"type":"session.update","event_id":"evt_z","session":{"type":"realtime","modalities":["text"]}}"#))
        let event = ServerEvent.error(e, eventID: "event_srv")
        let decoded = try ServerEvent(jsonText: event.jsonText)
        guard case .error(let details) = decoded.body else {
            Issue.record("not an error event")
            return
        }
        #expect(details == RealtimeErrorDetails(
            type: "invalid_request_error", code: "unknown_parameter", message: "Unknown parameter: 'session.modalities'.",
            param: "session.modalities", eventID: "evt_z"))
    }

    @Test func serverEventsRequireEventID() throws {
        do {
            _ = try ServerEvent(jsonText: #"{"type":"input_audio_buffer.cleared"}"#)
            Issue.record("decoded without event_id")
        } catch {
            #expect(error.code == .missingRequiredParameter)
            #expect(error.param == "event_id")
        }
    }

    @Test func seededGarbageNeverTraps() {
        // Mutate valid events byte by byte: every result must decode or throw, never crash.
        var rng = SplitMix(seed: 42)
        let seeds = EventSamples.client.map { Array($0.jsonText.utf8) } + EventSamples.server.map { Array($0.jsonText.utf8) }
        var rejected = 0
        for i in 0..<3_000 {
            var bytes = seeds[i % seeds.count]
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8(ascii: "\""), at: at)
                }
            }
            if (try? ClientEvent(jsonBytes: bytes)) == nil, (try? ServerEvent(jsonBytes: bytes)) == nil { rejected += 1 }
        }
        #expect(rejected > 2_000)
    }
}

/// A tiny seeded generator for mutation loops.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ServerEvent {
    /// Decodes one server event from JSON text. Never traps; `event_id` is required.
    public init(jsonText: String) throws(RealtimeProtocolError) {
        try self.init(json: try EventDecoding.parse { () throws(JSONSyntaxError) in try JSONParser.parse(jsonText) })
    }

    public init(jsonBytes: [UInt8]) throws(RealtimeProtocolError) {
        try self.init(json: try EventDecoding.parse { () throws(JSONSyntaxError) in try JSONParser.parse(jsonBytes) })
    }

    public init(json: JSONValue) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: "")
        let (eventID, type) = try EventDecoding.header(&r, known: Self.typeNames, required: true)
        do throws(RealtimeProtocolError) {
            // `header` with `required: true` returned an id or threw.
            self.init(eventID: eventID ?? "", try Self.decodeBody(type, &r))
            try r.finish()
        } catch {
            throw error.with(eventID: eventID)
        }
    }

    private static func item(_ r: inout JSONFieldReader) throws(RealtimeProtocolError) -> ConversationItem {
        try ConversationItem(json: try r.required("item"), path: "item")
    }

    private static func logprobs(_ r: inout JSONFieldReader) throws(RealtimeProtocolError) -> [LogProb]? {
        try r.array("logprobs") { (v, p) throws(RealtimeProtocolError) in try LogProb(json: v, path: p) }
    }

    private static func errorDetails(_ v: JSONValue, path: String, requireCore: Bool) throws(RealtimeProtocolError) -> RealtimeErrorDetails {
        var r = try JSONFieldReader(v, path: path)
        let type = requireCore ? try r.requiredString("type") : (try r.string("type") ?? "")
        let message = requireCore ? try r.requiredString("message") : (try r.string("message") ?? "")
        let e = RealtimeErrorDetails(type: type, code: try r.string("code"), message: message, param: try r.string("param"), eventID: try r.string("event_id"))
        try r.finish()
        return e
    }

    private static func decodeBody(_ type: String, _ r: inout JSONFieldReader) throws(RealtimeProtocolError) -> Body {
        switch type {
        case "error":
            return .error(try errorDetails(try r.required("error"), path: "error", requireCore: true))
        case "session.created":
            return .sessionCreated(try SessionConfig(json: try r.required("session"), path: "session"))
        case "session.updated":
            return .sessionUpdated(try SessionConfig(json: try r.required("session"), path: "session"))
        case "conversation.created":
            var c = try JSONFieldReader(try r.required("conversation"), path: "conversation")
            try c.constant("object", "realtime.conversation")
            let id = try c.requiredString("id")
            try c.finish()
            return .conversationCreated(conversationID: id)
        case "conversation.item.added":
            return .conversationItemAdded(previousItemID: try r.string("previous_item_id"), item: try item(&r))
        case "conversation.item.done":
            return .conversationItemDone(previousItemID: try r.string("previous_item_id"), item: try item(&r))
        case "conversation.item.created":
            return .conversationItemCreated(previousItemID: try r.string("previous_item_id"), item: try item(&r))
        case "conversation.item.retrieved":
            return .conversationItemRetrieved(item: try item(&r))
        case "conversation.item.truncated":
            return .conversationItemTruncated(
                itemID: try r.requiredString("item_id"), contentIndex: try r.requiredInt("content_index"), audioEndMs: try r.requiredInt("audio_end_ms"))
        case "conversation.item.deleted":
            return .conversationItemDeleted(itemID: try r.requiredString("item_id"))
        case "conversation.item.input_audio_transcription.delta":
            return .inputAudioTranscriptionDelta(
                itemID: try r.requiredString("item_id"), contentIndex: try r.int("content_index"), delta: try r.string("delta"), logprobs: try logprobs(&r))
        case "conversation.item.input_audio_transcription.completed":
            return .inputAudioTranscriptionCompleted(
                itemID: try r.requiredString("item_id"), contentIndex: try r.requiredInt("content_index"), transcript: try r.requiredString("transcript"),
                usage: try TranscriptionUsage(json: try r.required("usage"), path: "usage"), logprobs: try logprobs(&r))
        case "conversation.item.input_audio_transcription.failed":
            return .inputAudioTranscriptionFailed(
                itemID: try r.requiredString("item_id"), contentIndex: try r.requiredInt("content_index"),
                error: try errorDetails(try r.required("error"), path: "error", requireCore: false))
        case "conversation.item.input_audio_transcription.segment":
            return .inputAudioTranscriptionSegment(
                itemID: try r.requiredString("item_id"), contentIndex: try r.requiredInt("content_index"),
                segment: TranscriptionSegment(
                    id: try r.requiredString("id"), text: try r.requiredString("text"), speaker: try r.requiredString("speaker"),
                    start: try r.requiredDouble("start"), end: try r.requiredDouble("end")))
        case "input_audio_buffer.committed":
            return .inputAudioBufferCommitted(previousItemID: try r.string("previous_item_id"), itemID: try r.requiredString("item_id"))
        case "input_audio_buffer.cleared":
            return .inputAudioBufferCleared
        case "input_audio_buffer.speech_started":
            return .inputAudioBufferSpeechStarted(audioStartMs: try r.requiredInt("audio_start_ms"), itemID: try r.requiredString("item_id"))
        case "input_audio_buffer.speech_stopped":
            return .inputAudioBufferSpeechStopped(audioEndMs: try r.requiredInt("audio_end_ms"), itemID: try r.requiredString("item_id"))
        case "input_audio_buffer.timeout_triggered":
            return .inputAudioBufferTimeoutTriggered(
                audioStartMs: try r.requiredInt("audio_start_ms"), audioEndMs: try r.requiredInt("audio_end_ms"), itemID: try r.requiredString("item_id"))
        case "output_audio_buffer.started":
            return .outputAudioBufferStarted(responseID: try r.requiredString("response_id"))
        case "output_audio_buffer.stopped":
            return .outputAudioBufferStopped(responseID: try r.requiredString("response_id"))
        case "output_audio_buffer.cleared":
            return .outputAudioBufferCleared(responseID: try r.requiredString("response_id"))
        case "response.created":
            return .responseCreated(try RealtimeResponse(json: try r.required("response"), path: "response"))
        case "response.done":
            return .responseDone(try RealtimeResponse(json: try r.required("response"), path: "response"))
        case "response.output_item.added":
            return .responseOutputItemAdded(responseID: try r.requiredString("response_id"), outputIndex: try r.requiredInt("output_index"), item: try item(&r))
        case "response.output_item.done":
            return .responseOutputItemDone(responseID: try r.requiredString("response_id"), outputIndex: try r.requiredInt("output_index"), item: try item(&r))
        case "response.content_part.added":
            return .responseContentPartAdded(try ContentLocation(&r), part: try ResponseContentPart(json: try r.required("part"), path: "part"))
        case "response.content_part.done":
            return .responseContentPartDone(try ContentLocation(&r), part: try ResponseContentPart(json: try r.required("part"), path: "part"))
        case "response.output_text.delta":
            return .responseOutputTextDelta(try ContentLocation(&r), delta: try r.requiredString("delta"))
        case "response.output_text.done":
            return .responseOutputTextDone(try ContentLocation(&r), text: try r.requiredString("text"))
        case "response.output_audio.delta":
            return .responseOutputAudioDelta(try ContentLocation(&r), delta: try r.requiredString("delta"))
        case "response.output_audio.done":
            return .responseOutputAudioDone(try ContentLocation(&r))
        case "response.output_audio_transcript.delta":
            return .responseOutputAudioTranscriptDelta(try ContentLocation(&r), delta: try r.requiredString("delta"))
        case "response.output_audio_transcript.done":
            return .responseOutputAudioTranscriptDone(try ContentLocation(&r), transcript: try r.requiredString("transcript"))
        case "response.function_call_arguments.delta":
            return .responseFunctionCallArgumentsDelta(
                responseID: try r.requiredString("response_id"), itemID: try r.requiredString("item_id"), outputIndex: try r.requiredInt("output_index"),
                callID: try r.requiredString("call_id"), delta: try r.requiredString("delta"))
        case "response.function_call_arguments.done":
            return .responseFunctionCallArgumentsDone(
                responseID: try r.requiredString("response_id"), itemID: try r.requiredString("item_id"), outputIndex: try r.requiredInt("output_index"),
                callID: try r.requiredString("call_id"), name: try r.requiredString("name"), arguments: try r.requiredString("arguments"))
        case "rate_limits.updated":
            let limits = try r.array("rate_limits") { (v, p) throws(RealtimeProtocolError) in try RateLimit(json: v, path: p) }
            guard let limits else { throw .missing("rate_limits") }
            return .rateLimitsUpdated(limits)
        default:
            // `header` admitted only listed types; reaching here means typeNames and this switch disagree.
            preconditionFailure("server event type \(type) listed but not decoded")
        }
    }

    public var json: JSONValue {
        var o: JSONObject = ["type": .string(type), "event_id": .string(eventID)]
        func item(_ previous: String??, _ item: ConversationItem) {
            if let previous { o["previous_item_id"] = previous.map(JSONValue.string) ?? .null }
            o["item"] = item.json
        }
        switch body {
        case .error(let e):
            var eo: JSONObject = ["type": .string(e.type), "code": e.code.map(JSONValue.string) ?? .null, "message": .string(e.message)]
            eo["param"] = e.param.map(JSONValue.string) ?? .null
            eo["event_id"] = e.eventID.map(JSONValue.string) ?? .null
            o["error"] = .object(eo)
        case .sessionCreated(let s), .sessionUpdated(let s):
            o["session"] = s.json
        case .conversationCreated(let id):
            o["conversation"] = .object(["id": .string(id), "object": "realtime.conversation"])
        case .conversationItemAdded(let p, let i), .conversationItemDone(let p, let i), .conversationItemCreated(let p, let i):
            item(.some(p), i)
        case .conversationItemRetrieved(let i):
            item(nil, i)
        case .conversationItemTruncated(let id, let contentIndex, let audioEndMs):
            o["item_id"] = .string(id)
            o["content_index"] = .int(contentIndex)
            o["audio_end_ms"] = .int(audioEndMs)
        case .conversationItemDeleted(let id):
            o["item_id"] = .string(id)
        case .inputAudioTranscriptionDelta(let id, let contentIndex, let delta, let logprobs):
            o["item_id"] = .string(id)
            o.setIfPresent("content_index", contentIndex.map(JSONValue.int))
            o.setIfPresent("delta", delta.map(JSONValue.string))
            o.setIfPresent("logprobs", logprobs.map { .array($0.map(\.json)) })
        case .inputAudioTranscriptionCompleted(let id, let contentIndex, let transcript, let usage, let logprobs):
            o["item_id"] = .string(id)
            o["content_index"] = .int(contentIndex)
            o["transcript"] = .string(transcript)
            o["usage"] = usage.json
            o.setIfPresent("logprobs", logprobs.map { .array($0.map(\.json)) })
        case .inputAudioTranscriptionFailed(let id, let contentIndex, let e):
            o["item_id"] = .string(id)
            o["content_index"] = .int(contentIndex)
            var eo: JSONObject = ["type": .string(e.type), "message": .string(e.message)]
            eo.setIfPresent("code", e.code.map(JSONValue.string))
            eo.setIfPresent("param", e.param.map(JSONValue.string))
            o["error"] = .object(eo)
        case .inputAudioTranscriptionSegment(let id, let contentIndex, let s):
            o["item_id"] = .string(id)
            o["content_index"] = .int(contentIndex)
            o["id"] = .string(s.id)
            o["text"] = .string(s.text)
            o["speaker"] = .string(s.speaker)
            o["start"] = .decimal(s.start)
            o["end"] = .decimal(s.end)
        case .inputAudioBufferCommitted(let previous, let id):
            o["previous_item_id"] = previous.map(JSONValue.string) ?? .null
            o["item_id"] = .string(id)
        case .inputAudioBufferCleared:
            break
        case .inputAudioBufferSpeechStarted(let start, let id):
            o["audio_start_ms"] = .int(start)
            o["item_id"] = .string(id)
        case .inputAudioBufferSpeechStopped(let end, let id):
            o["audio_end_ms"] = .int(end)
            o["item_id"] = .string(id)
        case .inputAudioBufferTimeoutTriggered(let start, let end, let id):
            o["audio_start_ms"] = .int(start)
            o["audio_end_ms"] = .int(end)
            o["item_id"] = .string(id)
        case .outputAudioBufferStarted(let id), .outputAudioBufferStopped(let id), .outputAudioBufferCleared(let id):
            o["response_id"] = .string(id)
        case .responseCreated(let r), .responseDone(let r):
            o["response"] = r.json
        case .responseOutputItemAdded(let id, let index, let i), .responseOutputItemDone(let id, let index, let i):
            o["response_id"] = .string(id)
            o["output_index"] = .int(index)
            o["item"] = i.json
        case .responseContentPartAdded(let at, let part), .responseContentPartDone(let at, let part):
            at.write(into: &o)
            o["part"] = part.json
        case .responseOutputTextDelta(let at, let delta), .responseOutputAudioDelta(let at, let delta),
            .responseOutputAudioTranscriptDelta(let at, let delta):
            at.write(into: &o)
            o["delta"] = .string(delta)
        case .responseOutputTextDone(let at, let text):
            at.write(into: &o)
            o["text"] = .string(text)
        case .responseOutputAudioDone(let at):
            at.write(into: &o)
        case .responseOutputAudioTranscriptDone(let at, let transcript):
            at.write(into: &o)
            o["transcript"] = .string(transcript)
        case .responseFunctionCallArgumentsDelta(let rid, let iid, let index, let callID, let delta):
            o["response_id"] = .string(rid)
            o["item_id"] = .string(iid)
            o["output_index"] = .int(index)
            o["call_id"] = .string(callID)
            o["delta"] = .string(delta)
        case .responseFunctionCallArgumentsDone(let rid, let iid, let index, let callID, let name, let arguments):
            o["response_id"] = .string(rid)
            o["item_id"] = .string(iid)
            o["output_index"] = .int(index)
            o["call_id"] = .string(callID)
            o["name"] = .string(name)
            o["arguments"] = .string(arguments)
        case .rateLimitsUpdated(let limits):
            o["rate_limits"] = .array(limits.map(\.json))
        }
        return .object(o)
    }

    /// Compact JSON text, ready for a data channel or WebSocket text frame.
    public var jsonText: String { JSONWriter.string(json) }
}

/// An event the client sends (the 11 GA client events). `eventID` is the client's optional
/// `event_id`, echoed in any `error` the event causes.
public struct ClientEvent: Equatable, Sendable {
    public var eventID: String?
    public var body: Body

    public init(eventID: String? = nil, _ body: Body) {
        self.eventID = eventID
        self.body = body
    }

    public enum Body: Equatable, Sendable {
        /// `session.update`: change the session (partial).
        case sessionUpdate(SessionUpdate)
        /// `input_audio_buffer.append`: base64 audio in the session's input format.
        case inputAudioBufferAppend(audio: String)
        /// `input_audio_buffer.commit`: turn the buffer into a user message item.
        case inputAudioBufferCommit
        /// `input_audio_buffer.clear`
        case inputAudioBufferClear
        /// `output_audio_buffer.clear` (WebRTC/SIP): cut off the audio being played.
        case outputAudioBufferClear
        /// `conversation.item.create`, after `previousItemID` ("root" for the start) or at the end.
        case conversationItemCreate(previousItemID: String?, item: ConversationItem)
        case conversationItemRetrieve(itemID: String)
        /// `conversation.item.truncate`: drop an assistant audio part after `audioEndMs` (barge-in).
        case conversationItemTruncate(itemID: String, contentIndex: Int, audioEndMs: Int)
        case conversationItemDelete(itemID: String)
        case responseCreate(ResponseCreateParams?)
        case responseCancel(responseID: String?)
    }

    /// Every GA client event `type`, in the order errors list them.
    public static let typeNames = [
        "session.update", "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
        "output_audio_buffer.clear", "conversation.item.create", "conversation.item.retrieve", "conversation.item.truncate",
        "conversation.item.delete", "response.create", "response.cancel",
    ]

    public var type: String {
        switch body {
        case .sessionUpdate: "session.update"
        case .inputAudioBufferAppend: "input_audio_buffer.append"
        case .inputAudioBufferCommit: "input_audio_buffer.commit"
        case .inputAudioBufferClear: "input_audio_buffer.clear"
        case .outputAudioBufferClear: "output_audio_buffer.clear"
        case .conversationItemCreate: "conversation.item.create"
        case .conversationItemRetrieve: "conversation.item.retrieve"
        case .conversationItemTruncate: "conversation.item.truncate"
        case .conversationItemDelete: "conversation.item.delete"
        case .responseCreate: "response.create"
        case .responseCancel: "response.cancel"
        }
    }
}

extension ClientEvent {
    /// Decodes one client event from JSON text. Never traps: any problem is a
    /// `RealtimeProtocolError` carrying the client's `event_id` when it could be read.
    public init(jsonText: String) throws(RealtimeProtocolError) {
        try self.init(json: try EventDecoding.parse { () throws(JSONSyntaxError) in try JSONParser.parse(jsonText) })
    }

    public init(jsonBytes: [UInt8]) throws(RealtimeProtocolError) {
        try self.init(json: try EventDecoding.parse { () throws(JSONSyntaxError) in try JSONParser.parse(jsonBytes) })
    }

    public init(json: JSONValue) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: "")
        let (eventID, type) = try EventDecoding.header(&r, known: Self.typeNames, required: false)
        do throws(RealtimeProtocolError) {
            self.init(eventID: eventID, try Self.decodeBody(type, &r))
            try r.finish()
        } catch {
            throw error.with(eventID: eventID)
        }
    }

    private static func decodeBody(_ type: String, _ r: inout JSONFieldReader) throws(RealtimeProtocolError) -> Body {
        switch type {
        case "session.update":
            return .sessionUpdate(try SessionUpdate(json: try r.required("session"), path: "session"))
        case "input_audio_buffer.append":
            return .inputAudioBufferAppend(audio: try r.requiredString("audio"))
        case "input_audio_buffer.commit": return .inputAudioBufferCommit
        case "input_audio_buffer.clear": return .inputAudioBufferClear
        case "output_audio_buffer.clear": return .outputAudioBufferClear
        case "conversation.item.create":
            let previous = try r.string("previous_item_id")
            return .conversationItemCreate(previousItemID: previous, item: try ConversationItem(json: try r.required("item"), path: "item"))
        case "conversation.item.retrieve":
            return .conversationItemRetrieve(itemID: try r.requiredString("item_id"))
        case "conversation.item.truncate":
            let itemID = try r.requiredString("item_id")
            let contentIndex = try r.requiredInt("content_index")
            let audioEndMs = try r.requiredInt("audio_end_ms")
            try RangeCheck.integer(contentIndex, 0...Int.max, "content_index")
            try RangeCheck.integer(audioEndMs, 0...Int.max, "audio_end_ms")
            return .conversationItemTruncate(itemID: itemID, contentIndex: contentIndex, audioEndMs: audioEndMs)
        case "conversation.item.delete":
            return .conversationItemDelete(itemID: try r.requiredString("item_id"))
        case "response.create":
            guard let v = r.value("response") else { return .responseCreate(nil) }
            return .responseCreate(try ResponseCreateParams(json: v, path: "response"))
        case "response.cancel":
            return .responseCancel(responseID: try r.string("response_id"))
        default:
            // `header` admitted only known types; reaching here means typeNames and this switch disagree.
            preconditionFailure("client event type \(type) listed but not decoded")
        }
    }

    public var json: JSONValue {
        var o: JSONObject = ["type": .string(type)]
        o.setIfPresent("event_id", eventID.map(JSONValue.string))
        switch body {
        case .sessionUpdate(let s): o["session"] = s.json
        case .inputAudioBufferAppend(let audio): o["audio"] = .string(audio)
        case .inputAudioBufferCommit, .inputAudioBufferClear, .outputAudioBufferClear: break
        case .conversationItemCreate(let previous, let item):
            o.setIfPresent("previous_item_id", previous.map(JSONValue.string))
            o["item"] = item.json
        case .conversationItemRetrieve(let id), .conversationItemDelete(let id):
            o["item_id"] = .string(id)
        case .conversationItemTruncate(let id, let contentIndex, let audioEndMs):
            o["item_id"] = .string(id)
            o["content_index"] = .int(contentIndex)
            o["audio_end_ms"] = .int(audioEndMs)
        case .responseCreate(let params): o.setIfPresent("response", params?.json)
        case .responseCancel(let id): o.setIfPresent("response_id", id.map(JSONValue.string))
        }
        return .object(o)
    }

    /// Compact JSON text, ready for a data channel or WebSocket text frame.
    public var jsonText: String { JSONWriter.string(json) }
}

/// The steps every event decoder shares: JSON syntax, `event_id`, `type`.
enum EventDecoding {
    static func parse(_ body: () throws(JSONSyntaxError) -> JSONValue) throws(RealtimeProtocolError) -> JSONValue {
        do throws(JSONSyntaxError) {
            return try body()
        } catch {
            throw RealtimeProtocolError(
                code: .invalidJSON,
                message: "The event could not be parsed as JSON: \(error.reason) at byte \(error.offset).", param: nil)
        }
    }

    /// Reads `event_id` (first, so later errors can carry it) and a `type` from `known`.
    static func header(_ r: inout JSONFieldReader, known: [String], required: Bool) throws(RealtimeProtocolError) -> (String?, String) {
        var eventID: String?
        if let v = r.value("event_id") {
            guard case .string(let s) = v else { throw .invalidType("event_id", expected: "a string", got: v) }
            eventID = s
        } else if required {
            throw .missing("event_id")
        }
        do throws(RealtimeProtocolError) {
            let type = try r.requiredString("type")
            guard known.contains(type) else {
                throw RealtimeProtocolError(
                    code: .invalidValue, message: "Invalid value: '\(type)'. Supported values are: \(known.map { "'\($0)'" }.joined(separator: ", ")).",
                    param: "type")
            }
            return (eventID, type)
        } catch {
            throw error.with(eventID: eventID)
        }
    }
}

extension RealtimeProtocolError {
    /// This error attributed to the client event `eventID` (kept if already set).
    func with(eventID: String?) -> RealtimeProtocolError {
        var e = self
        if e.eventID == nil { e.eventID = eventID }
        return e
    }
}

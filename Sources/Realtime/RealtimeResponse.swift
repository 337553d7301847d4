/// A model response (`object: "realtime.response"`), as `response.created` (status
/// `in_progress`, no output yet) and `response.done` (final status, output items, usage) carry it.
public struct RealtimeResponse: Equatable, Sendable {
    public enum Status: String, CaseIterable, Sendable {
        case completed, cancelled, failed, incomplete
        case inProgress = "in_progress"
    }

    /// Why a response ended other than `completed`.
    public struct StatusDetails: Equatable, Sendable {
        public enum Reason: String, CaseIterable, Sendable {
            /// Cancelled because the user started speaking (barge-in).
            case turnDetected = "turn_detected"
            /// Cancelled by `response.cancel`.
            case clientCancelled = "client_cancelled"
            /// Incomplete: `max_output_tokens` reached.
            case maxOutputTokens = "max_output_tokens"
            case contentFilter = "content_filter"
        }
        public var type: Status?
        public var reason: Reason?
        /// For `failed`: what went wrong (`type`, `code`, `message`).
        public var error: RealtimeErrorDetails?

        public init(type: Status? = nil, reason: Reason? = nil, error: RealtimeErrorDetails? = nil) {
            self.type = type
            self.reason = reason
            self.error = error
        }
    }

    public var id: String?
    public var status: Status?
    public var statusDetails: StatusDetails?
    public var output: [ConversationItem]
    /// The conversation the response belongs to; nil for out-of-band responses (`conversation: "none"`).
    public var conversationID: String?
    public var outputModalities: [Modality]?
    public var maxOutputTokens: MaxOutputTokens?
    public var audioOutput: ResponseAudioOutput?
    public var usage: Usage?
    public var metadata: JSONObject?

    public init(
        id: String? = nil, status: Status? = nil, statusDetails: StatusDetails? = nil, output: [ConversationItem] = [],
        conversationID: String? = nil, outputModalities: [Modality]? = nil, maxOutputTokens: MaxOutputTokens? = nil,
        audioOutput: ResponseAudioOutput? = nil, usage: Usage? = nil, metadata: JSONObject? = nil
    ) {
        self.id = id
        self.status = status
        self.statusDetails = statusDetails
        self.output = output
        self.conversationID = conversationID
        self.outputModalities = outputModalities
        self.maxOutputTokens = maxOutputTokens
        self.audioOutput = audioOutput
        self.usage = usage
        self.metadata = metadata
    }
}

/// `audio.output` of a response: the format and voice it speaks with.
public struct ResponseAudioOutput: Equatable, Sendable {
    public var format: AudioFormat?
    public var voice: Voice?
    public init(format: AudioFormat? = nil, voice: Voice? = nil) {
        self.format = format
        self.voice = voice
    }

    /// Reads `{"output": {"format", "voice"}}` at `path` (the `audio` field).
    init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        if let o = r.value("output") {
            var orr = try JSONFieldReader(o, path: r.param("output"))
            if let f = orr.value("format") { format = try AudioFormat(json: f, path: orr.param("format")) }
            if let v = try orr.string("voice") {
                voice = Voice(rawValue: v)
                try voice?.validate(param: orr.param("voice"))
            }
            try orr.finish()
        }
        try r.finish()
    }

    var json: JSONValue {
        var o = JSONObject()
        o.setIfPresent("format", format?.json)
        o.setIfPresent("voice", voice.map { .string($0.rawValue) })
        return .object(["output": .object(o)])
    }
}

extension RealtimeResponse.StatusDetails: RealtimeJSONCodable {
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        type = try r.enumeration("type", RealtimeResponse.Status.self)
        reason = try r.enumeration("reason", Reason.self)
        if let e = r.value("error") {
            var er = try JSONFieldReader(e, path: r.param("error"))
            error = RealtimeErrorDetails(type: try er.string("type") ?? "", code: try er.string("code"), message: try er.string("message") ?? "")
            try er.finish()
        }
        try r.finish()
    }

    public var json: JSONValue {
        var o = JSONObject()
        o.setIfPresent("type", type.map { .string($0.rawValue) })
        o.setIfPresent("reason", reason.map { .string($0.rawValue) })
        if let error {
            var e: JSONObject = ["type": .string(error.type), "message": .string(error.message)]
            e.setIfPresent("code", error.code.map(JSONValue.string))
            o["error"] = .object(e)
        }
        return .object(o)
    }
}

extension RealtimeResponse: RealtimeJSONCodable {
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        try r.constant("object", "realtime.response")
        id = try r.string("id")
        status = try r.enumeration("status", Status.self)
        if let s = r.value("status_details") { statusDetails = try StatusDetails(json: s, path: r.param("status_details")) }
        output = try r.array("output") { (v, p) throws(RealtimeProtocolError) in try ConversationItem(json: v, path: p) } ?? []
        conversationID = try r.string("conversation_id")
        if let m = r.value("output_modalities") { outputModalities = try [Modality].decode(m, path: r.param("output_modalities")) }
        if let m = r.value("max_output_tokens") { maxOutputTokens = try MaxOutputTokens(json: m, path: r.param("max_output_tokens")) }
        if let a = r.value("audio") { audioOutput = try ResponseAudioOutput(json: a, path: r.param("audio")) }
        if let u = r.value("usage") { usage = try Usage(json: u, path: r.param("usage")) }
        metadata = try r.object("metadata")
        try r.finish()
    }

    public var json: JSONValue {
        var o: JSONObject = ["object": "realtime.response"]
        o.setIfPresent("id", id.map(JSONValue.string))
        o["status"] = status.map { .string($0.rawValue) } ?? .null
        o["status_details"] = statusDetails?.json ?? .null
        o["output"] = .array(output.map(\.json))
        o.setIfPresent("conversation_id", conversationID.map(JSONValue.string))
        o.setIfPresent("output_modalities", outputModalities?.json)
        o.setIfPresent("max_output_tokens", maxOutputTokens?.json)
        o.setIfPresent("audio", audioOutput?.json)
        o["usage"] = usage?.json ?? .null
        o["metadata"] = metadata.map(JSONValue.object) ?? .null
        return .object(o)
    }
}

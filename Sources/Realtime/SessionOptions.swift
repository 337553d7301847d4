/// What a response produces: GA allows exactly one of `["audio"]` (audio plus its transcript) or `["text"]`.
public enum Modality: String, CaseIterable, Sendable {
    case text, audio
}

extension Array where Element == Modality {
    /// Reads `output_modalities`: a non-empty list of "text" / "audio" with no repeats.
    static func decode(_ v: JSONValue, path: String) throws(RealtimeProtocolError) -> [Modality] {
        guard case .array(let items) = v else { throw .invalidType(path, expected: "an array", got: v) }
        var out: [Modality] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            let m = try JSONDecoding.enumeration(try JSONDecoding.string(item, p), p, Modality.self)
            if !out.contains(m) { out.append(m) }
        }
        guard !out.isEmpty else {
            throw RealtimeProtocolError(code: .invalidValue, message: "Invalid '\(path)': expected at least one modality.", param: path)
        }
        // GA: a response is either audio (with its transcript) or text, never both at once.
        guard out.count == 1 else {
            throw RealtimeProtocolError(
                code: .invalidValue, message: "Invalid '\(path)': 'text' and 'audio' cannot be requested together.", param: path)
        }
        return out
    }

    var json: JSONValue { .array(map { .string($0.rawValue) }) }
}

/// `max_output_tokens`: 1...4096 or "inf" (the model's maximum, 4096 here).
public enum MaxOutputTokens: Equatable, Sendable, RealtimeJSONCodable {
    case limit(Int)
    case infinite

    /// The number of tokens this allows for gpt-4o-mini-realtime.
    public var effectiveLimit: Int {
        switch self {
        case .limit(let n): n
        case .infinite: RealtimeLimits.maximumOutputTokens
        }
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        switch json {
        case .string(let s):
            guard s == "inf" else { throw .invalidValue(path, s, supported: ["inf"]) }
            self = .infinite
        case .integer, .decimal:
            self = .limit(try JSONDecoding.int(json, path))
            try validate(path: path)
        default:
            throw .invalidType(path, expected: "an integer or 'inf'", got: json)
        }
    }

    public func validate(path: String) throws(RealtimeProtocolError) {
        if case .limit(let n) = self { try RangeCheck.integer(n, 1...RealtimeLimits.maximumOutputTokens, path) }
    }

    public var json: JSONValue {
        switch self {
        case .limit(let n): .int(n)
        case .infinite: "inf"
        }
    }
}

/// `truncation`: what happens when the conversation outgrows the context window.
public enum Truncation: Equatable, Sendable, RealtimeJSONCodable {
    /// Drop the oldest items as needed (default).
    case auto
    /// Fail the response instead of truncating.
    case disabled
    /// Drop items until `retentionRatio` (0...1) of the allowed post-instruction tokens remain.
    case retentionRatio(Double, postInstructionsTokenLimit: Int?)

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        switch json {
        case .string(let s):
            switch s {
            case "auto": self = .auto
            case "disabled": self = .disabled
            default: throw .invalidValue(path, s, supported: ["auto", "disabled"])
            }
        case .object:
            var r = try JSONFieldReader(json, path: path)
            try r.constant("type", "retention_ratio", required: true)
            let ratio = try r.requiredDouble("retention_ratio")
            try RangeCheck.decimal(ratio, 0...1, r.param("retention_ratio"))
            var limit: Int?
            if let tl = r.value("token_limits") {
                var t = try JSONFieldReader(tl, path: r.param("token_limits"))
                limit = try t.int("post_instructions")
                if let l = limit {
                    let maxPost = RealtimeLimits.contextWindowTokens - RealtimeLimits.maximumOutputTokens
                    try RangeCheck.integer(l, 0...maxPost, t.param("post_instructions"))
                }
                try t.finish()
            }
            try r.finish()
            self = .retentionRatio(ratio, postInstructionsTokenLimit: limit)
        default:
            throw .invalidType(path, expected: "a string or an object", got: json)
        }
    }

    public var json: JSONValue {
        switch self {
        case .auto: return "auto"
        case .disabled: return "disabled"
        case .retentionRatio(let ratio, let limit):
            var o: JSONObject = ["type": "retention_ratio", "retention_ratio": .decimal(ratio)]
            if let limit { o["token_limits"] = .object(["post_instructions": .int(limit)]) }
            return .object(o)
        }
    }
}

/// `tracing`: "auto" or an explicit workflow configuration (traces are not exported here; the
/// value is kept so the session echoes it back).
public enum Tracing: Equatable, Sendable, RealtimeJSONCodable {
    case auto
    case configuration(workflowName: String?, groupID: String?, metadata: JSONObject?)

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        switch json {
        case .string(let s):
            guard s == "auto" else { throw .invalidValue(path, s, supported: ["auto"]) }
            self = .auto
        case .object:
            var r = try JSONFieldReader(json, path: path)
            self = .configuration(workflowName: try r.string("workflow_name"), groupID: try r.string("group_id"), metadata: try r.object("metadata"))
            try r.finish()
        default:
            throw .invalidType(path, expected: "a string or an object", got: json)
        }
    }

    public var json: JSONValue {
        switch self {
        case .auto: return "auto"
        case .configuration(let w, let g, let m):
            var o = JSONObject()
            o.setIfPresent("workflow_name", w.map(JSONValue.string))
            o.setIfPresent("group_id", g.map(JSONValue.string))
            o.setIfPresent("metadata", m.map(JSONValue.object))
            return .object(o)
        }
    }
}

/// `prompt`: a reference to a stored prompt template and its variables.
public struct PromptReference: Equatable, Sendable, RealtimeJSONCodable {
    public var id: String
    public var version: String?
    /// Template variables, kept as raw JSON (strings or input content objects).
    public var variables: JSONObject?

    public init(id: String, version: String? = nil, variables: JSONObject? = nil) {
        self.id = id
        self.version = version
        self.variables = variables
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        id = try r.requiredString("id")
        version = try r.string("version")
        variables = try r.object("variables")
        try r.finish()
    }

    public var json: JSONValue {
        var o: JSONObject = ["id": .string(id)]
        o.setIfPresent("version", version.map(JSONValue.string))
        o.setIfPresent("variables", variables.map(JSONValue.object))
        return .object(o)
    }
}

/// Extra data `include`d in server events.
public enum SessionInclude: String, CaseIterable, Sendable {
    case inputAudioTranscriptionLogprobs = "item.input_audio_transcription.logprobs"
}

/// `audio.input.noise_reduction`: a filter applied before VAD and the model.
public struct NoiseReduction: Equatable, Sendable, RealtimeJSONCodable {
    public enum Kind: String, CaseIterable, Sendable {
        case nearField = "near_field"
        case farField = "far_field"
    }
    public var type: Kind
    /// Optional filter strength, 0...1.
    public var strength: Double?

    public init(type: Kind, strength: Double? = nil) {
        self.type = type
        self.strength = strength
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        type = try r.requiredEnumeration("type", Kind.self)
        strength = try r.double("strength")
        if let s = strength { try RangeCheck.decimal(s, 0...1, r.param("strength")) }
        try r.finish()
    }

    public var json: JSONValue {
        var o: JSONObject = ["type": .string(type.rawValue)]
        o.setIfPresent("strength", strength.map(JSONValue.decimal))
        return .object(o)
    }
}

/// `audio.input.transcription`: asynchronous transcription of user audio (a separate model).
public struct AudioTranscription: Equatable, Sendable, RealtimeJSONCodable {
    /// e.g. "whisper-1", "gpt-4o-mini-transcribe".
    public var model: String?
    /// ISO-639-1 language hint, e.g. "en".
    public var language: String?
    public var prompt: String?

    public init(model: String? = nil, language: String? = nil, prompt: String? = nil) {
        self.model = model
        self.language = language
        self.prompt = prompt
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        model = try r.string("model")
        language = try r.string("language")
        prompt = try r.string("prompt")
        try r.finish()
    }

    public var json: JSONValue {
        var o = JSONObject()
        o.setIfPresent("model", model.map(JSONValue.string))
        o.setIfPresent("language", language.map(JSONValue.string))
        o.setIfPresent("prompt", prompt.map(JSONValue.string))
        return .object(o)
    }
}

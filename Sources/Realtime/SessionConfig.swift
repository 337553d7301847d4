/// The effective GA `session` object (`type: "realtime"`): every field resolved, as
/// `session.created` / `session.updated` report it. `SessionConfig()` holds the service's
/// defaults; a `session.update` changes it through `applying(_:)`.
public struct SessionConfig: Equatable, Sendable {
    /// Server-assigned `sess_…` id, and the Unix time (s) the session expires; absent in requests.
    public var id: String?
    public var expiresAt: Int?
    public var model: RealtimeModel = .gpt4oMiniRealtimePreview
    /// `["audio"]` (default: audio plus transcript) or `["text"]`.
    public var outputModalities: [Modality] = [.audio]
    public var instructions: String = ""
    public var audio = Audio()
    public var tools: [FunctionTool] = []
    public var toolChoice: ToolChoice = .auto
    public var maxOutputTokens: MaxOutputTokens = .infinite
    public var truncation: Truncation = .auto
    public var tracing: Tracing? = nil
    public var prompt: PromptReference? = nil
    public var include: [SessionInclude] = []

    public struct Audio: Equatable, Sendable {
        public var input = Input()
        public var output = Output()
        public init() {}
    }

    /// `audio.input`: what the client sends and how turns are detected.
    public struct Input: Equatable, Sendable {
        public var format: AudioFormat = .pcm24k
        public var noiseReduction: NoiseReduction? = nil
        public var transcription: AudioTranscription? = nil
        /// `nil`: manual turns (the client commits and asks for responses).
        public var turnDetection: TurnDetection? = .defaultServerVAD
        public init() {}
    }

    /// `audio.output`: what the model speaks.
    public struct Output: Equatable, Sendable {
        public var format: AudioFormat = .pcm24k
        public var voice: Voice = .alloy
        /// Playback speed multiple, 0.25...1.5 (default 1).
        public var speed: Double = 1.0
        public init() {}
    }

    public init() {}

    /// The allowed `audio.output.speed` values.
    public static let speedRange: ClosedRange<Double> = 0.25...1.5
}

extension SessionConfig: RealtimeJSONCodable {
    /// Reads a full session object (as the server sends it); absent fields take the defaults.
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        let update = try SessionUpdate(json: json, path: path, allowingServerFields: true)
        self = try SessionConfig().applying(update, path: path)
        id = update.id
        expiresAt = update.expiresAt
    }

    /// Every field, with `null` for the unset optional ones, as the service reports a session.
    public var json: JSONValue {
        var o: JSONObject = ["type": "realtime"]
        if id != nil { o["object"] = "realtime.session" }
        o.setIfPresent("id", id.map(JSONValue.string))
        o["model"] = .string(model.rawValue)
        o["output_modalities"] = outputModalities.json
        o["instructions"] = .string(instructions)
        o["audio"] = .object([
            "input": .object([
                "format": audio.input.format.json,
                "noise_reduction": audio.input.noiseReduction?.json ?? .null,
                "transcription": audio.input.transcription?.json ?? .null,
                "turn_detection": audio.input.turnDetection?.json ?? .null,
            ]),
            "output": .object([
                "format": audio.output.format.json,
                "voice": .string(audio.output.voice.rawValue),
                "speed": .decimal(audio.output.speed),
            ]),
        ])
        o["tools"] = .array(tools.map(\.json))
        o["tool_choice"] = toolChoice.json
        o["max_output_tokens"] = maxOutputTokens.json
        o["truncation"] = truncation.json
        o["tracing"] = tracing?.json ?? .null
        o["prompt"] = prompt?.json ?? .null
        o.setIfPresent("expires_at", expiresAt.map(JSONValue.int))
        o["include"] = include.isEmpty ? .null : .array(include.map { .string($0.rawValue) })
        return .object(o)
    }
}

/// The `session` of a `session.update` (and of `POST /v1/realtime/client_secrets` or a call's
/// `session` part): only the fields present change. Beta-only fields (`modalities`,
/// `input_audio_format`, top-level `voice`, ...) are not part of GA and fail with
/// `unknown_parameter`.
public struct SessionUpdate: Equatable, Sendable {
    public var model: RealtimeModel?
    public var outputModalities: [Modality]?
    public var instructions: String?
    public var audio: Audio?
    public var tools: [FunctionTool]?
    public var toolChoice: ToolChoice?
    public var maxOutputTokens: MaxOutputTokens?
    public var truncation: Truncation?
    public var tracing: Nullable<Tracing>?
    public var prompt: Nullable<PromptReference>?
    public var include: [SessionInclude]?

    /// Server-only fields, read only when decoding a session the server sent.
    var id: String?
    var expiresAt: Int?

    public struct Audio: Equatable, Sendable {
        public var input: Input?
        public var output: Output?
        public init(input: Input? = nil, output: Output? = nil) {
            self.input = input
            self.output = output
        }
    }

    public struct Input: Equatable, Sendable {
        public var format: AudioFormat?
        public var noiseReduction: Nullable<NoiseReduction>?
        public var transcription: Nullable<AudioTranscription>?
        /// `.null` switches to manual turns.
        public var turnDetection: Nullable<TurnDetection>?
        public init(
            format: AudioFormat? = nil, noiseReduction: Nullable<NoiseReduction>? = nil,
            transcription: Nullable<AudioTranscription>? = nil, turnDetection: Nullable<TurnDetection>? = nil
        ) {
            self.format = format
            self.noiseReduction = noiseReduction
            self.transcription = transcription
            self.turnDetection = turnDetection
        }
    }

    public struct Output: Equatable, Sendable {
        public var format: AudioFormat?
        public var voice: Voice?
        public var speed: Double?
        public init(format: AudioFormat? = nil, voice: Voice? = nil, speed: Double? = nil) {
            self.format = format
            self.voice = voice
            self.speed = speed
        }
    }

    public init(
        model: RealtimeModel? = nil, outputModalities: [Modality]? = nil, instructions: String? = nil, audio: Audio? = nil,
        tools: [FunctionTool]? = nil, toolChoice: ToolChoice? = nil, maxOutputTokens: MaxOutputTokens? = nil,
        truncation: Truncation? = nil, tracing: Nullable<Tracing>? = nil, prompt: Nullable<PromptReference>? = nil,
        include: [SessionInclude]? = nil
    ) {
        self.model = model
        self.outputModalities = outputModalities
        self.instructions = instructions
        self.audio = audio
        self.tools = tools
        self.toolChoice = toolChoice
        self.maxOutputTokens = maxOutputTokens
        self.truncation = truncation
        self.tracing = tracing
        self.prompt = prompt
        self.include = include
    }

    /// Range and list checks for values built in code (decoding runs them too): voice from the GA
    /// list, speed 0.25...1.5, VAD ranges. `path` is the session's own path ("session").
    public func validate(path: String) throws(RealtimeProtocolError) {
        let p = { (k: String) in path.isEmpty ? k : "\(path).\(k)" }
        if let td = audio?.input?.turnDetection?.wrapped { try td.validate(path: p("audio.input.turn_detection")) }
        if let v = audio?.output?.voice { try v.validate(param: p("audio.output.voice")) }
        if let s = audio?.output?.speed { try RangeCheck.decimal(s, SessionConfig.speedRange, p("audio.output.speed")) }
        if let m = maxOutputTokens { try m.validate(path: p("max_output_tokens")) }
        if let m = outputModalities, m.count != 1 {
            throw RealtimeProtocolError(
                code: .invalidValue, message: "Invalid '\(p("output_modalities"))': expected exactly one of 'text' or 'audio'.",
                param: p("output_modalities"))
        }
    }
}

extension SessionUpdate: RealtimeJSONCodable {
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        try self.init(json: json, path: path, allowingServerFields: false)
    }

    init(json: JSONValue, path: String, allowingServerFields: Bool) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        // GA requires the discriminator; a transcription session ("transcription") is not served here.
        let type = try r.requiredString("type")
        guard type == "realtime" else { throw .invalidValue(r.param("type"), type, supported: ["realtime"]) }
        if allowingServerFields {
            try r.constant("object", "realtime.session")
            id = try r.string("id")
            expiresAt = try r.int("expires_at")
        }
        model = try r.enumeration("model", RealtimeModel.self)
        if let m = r.value("output_modalities") { outputModalities = try [Modality].decode(m, path: r.param("output_modalities")) }
        instructions = try r.string("instructions")
        if let a = r.value("audio") { audio = try Audio(json: a, path: r.param("audio")) }
        tools = try r.array("tools") { (v, p) throws(RealtimeProtocolError) in try FunctionTool(json: v, path: p) }
        if let t = r.value("tool_choice") { toolChoice = try ToolChoice(json: t, path: r.param("tool_choice")) }
        if let m = r.value("max_output_tokens") { maxOutputTokens = try MaxOutputTokens(json: m, path: r.param("max_output_tokens")) }
        if let t = r.value("truncation") { truncation = try Truncation(json: t, path: r.param("truncation")) }
        tracing = try r.nullable("tracing") { (v, p) throws(RealtimeProtocolError) in try Tracing(json: v, path: p) }
        prompt = try r.nullable("prompt") { (v, p) throws(RealtimeProtocolError) in try PromptReference(json: v, path: p) }
        include = try r.array("include") { (v, p) throws(RealtimeProtocolError) in
            try JSONDecoding.enumeration(try JSONDecoding.string(v, p), p, SessionInclude.self)
        }
        try r.finish()
        try validate(path: path)
    }

    /// Only the fields this update sets (`null` where it clears one).
    public var json: JSONValue {
        var o: JSONObject = ["type": "realtime"]
        o.setIfPresent("model", model.map { .string($0.rawValue) })
        o.setIfPresent("output_modalities", outputModalities?.json)
        o.setIfPresent("instructions", instructions.map(JSONValue.string))
        o.setIfPresent("audio", audio?.json)
        o.setIfPresent("tools", tools.map { .array($0.map(\.json)) })
        o.setIfPresent("tool_choice", toolChoice?.json)
        o.setIfPresent("max_output_tokens", maxOutputTokens?.json)
        o.setIfPresent("truncation", truncation?.json)
        o.setIfPresent("tracing", tracing?.json)
        o.setIfPresent("prompt", prompt?.json)
        o.setIfPresent("include", include.map { .array($0.map { .string($0.rawValue) }) })
        return .object(o)
    }
}

extension SessionUpdate.Audio {
    init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        if let i = r.value("input") {
            var ir = try JSONFieldReader(i, path: r.param("input"))
            var input = SessionUpdate.Input()
            if let f = ir.value("format") { input.format = try AudioFormat(json: f, path: ir.param("format")) }
            input.noiseReduction = try ir.nullable("noise_reduction") { (v, p) throws(RealtimeProtocolError) in try NoiseReduction(json: v, path: p) }
            input.transcription = try ir.nullable("transcription") { (v, p) throws(RealtimeProtocolError) in try AudioTranscription(json: v, path: p) }
            input.turnDetection = try ir.nullable("turn_detection") { (v, p) throws(RealtimeProtocolError) in try TurnDetection(json: v, path: p) }
            try ir.finish()
            self.input = input
        }
        if let o = r.value("output") {
            var orr = try JSONFieldReader(o, path: r.param("output"))
            var output = SessionUpdate.Output()
            if let f = orr.value("format") { output.format = try AudioFormat(json: f, path: orr.param("format")) }
            if let v = orr.value("voice") {
                // GA also allows `{"id": ...}` custom voices; none exist here, so only strings pass.
                output.voice = Voice(rawValue: try JSONDecoding.string(v, orr.param("voice")))
            }
            output.speed = try orr.double("speed")
            try orr.finish()
            self.output = output
        }
        try r.finish()
    }

    var json: JSONValue {
        var o = JSONObject()
        if let input {
            var i = JSONObject()
            i.setIfPresent("format", input.format?.json)
            i.setIfPresent("noise_reduction", input.noiseReduction?.json)
            i.setIfPresent("transcription", input.transcription?.json)
            i.setIfPresent("turn_detection", input.turnDetection?.json)
            o["input"] = .object(i)
        }
        if let output {
            var out = JSONObject()
            out.setIfPresent("format", output.format?.json)
            out.setIfPresent("voice", output.voice.map { .string($0.rawValue) })
            out.setIfPresent("speed", output.speed.map(JSONValue.decimal))
            o["output"] = .object(out)
        }
        return .object(o)
    }
}

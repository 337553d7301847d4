/// The `response` of a `response.create`: per-response overrides of the session (instructions,
/// tools, modalities, ...), an out-of-band `conversation: "none"`, or an explicit `input`.
public struct ResponseCreateParams: Equatable, Sendable {
    /// `conversation`: "auto" (default: the session's conversation) or "none" (out of band).
    public enum Conversation: Equatable, Sendable {
        case auto, none
    }

    public var conversation: Conversation?
    /// Items used as the whole input instead of the conversation.
    public var input: [ConversationItem]?
    public var instructions: String?
    public var maxOutputTokens: MaxOutputTokens?
    public var metadata: JSONObject?
    public var outputModalities: [Modality]?
    public var toolChoice: ToolChoice?
    public var tools: [FunctionTool]?
    public var audioOutput: ResponseAudioOutput?
    public var prompt: PromptReference?

    public init(
        conversation: Conversation? = nil, input: [ConversationItem]? = nil, instructions: String? = nil,
        maxOutputTokens: MaxOutputTokens? = nil, metadata: JSONObject? = nil, outputModalities: [Modality]? = nil,
        toolChoice: ToolChoice? = nil, tools: [FunctionTool]? = nil, audioOutput: ResponseAudioOutput? = nil,
        prompt: PromptReference? = nil
    ) {
        self.conversation = conversation
        self.input = input
        self.instructions = instructions
        self.maxOutputTokens = maxOutputTokens
        self.metadata = metadata
        self.outputModalities = outputModalities
        self.toolChoice = toolChoice
        self.tools = tools
        self.audioOutput = audioOutput
        self.prompt = prompt
    }
}

extension ResponseCreateParams: RealtimeJSONCodable {
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        if let c = try r.string("conversation") {
            switch c {
            case "auto": conversation = .auto
            case "none": conversation = ResponseCreateParams.Conversation.none
            default: throw .invalidValue(r.param("conversation"), c, supported: ["auto", "none"])
            }
        }
        input = try r.array("input") { (v, p) throws(RealtimeProtocolError) in try ConversationItem(json: v, path: p) }
        instructions = try r.string("instructions")
        if let m = r.value("max_output_tokens") { maxOutputTokens = try MaxOutputTokens(json: m, path: r.param("max_output_tokens")) }
        metadata = try r.object("metadata")
        if let m = r.value("output_modalities") { outputModalities = try [Modality].decode(m, path: r.param("output_modalities")) }
        if let t = r.value("tool_choice") { toolChoice = try ToolChoice(json: t, path: r.param("tool_choice")) }
        tools = try r.array("tools") { (v, p) throws(RealtimeProtocolError) in try FunctionTool(json: v, path: p) }
        if let a = r.value("audio") { audioOutput = try ResponseAudioOutput(json: a, path: r.param("audio")) }
        if let p = r.value("prompt") { prompt = try PromptReference(json: p, path: r.param("prompt")) }
        try r.finish()
    }

    public var json: JSONValue {
        var o = JSONObject()
        o.setIfPresent("conversation", conversation.map { $0 == .auto ? "auto" : "none" })
        o.setIfPresent("input", input.map { .array($0.map(\.json)) })
        o.setIfPresent("instructions", instructions.map(JSONValue.string))
        o.setIfPresent("max_output_tokens", maxOutputTokens?.json)
        o.setIfPresent("metadata", metadata.map(JSONValue.object))
        o.setIfPresent("output_modalities", outputModalities?.json)
        o.setIfPresent("tool_choice", toolChoice?.json)
        o.setIfPresent("tools", tools.map { .array($0.map(\.json)) })
        o.setIfPresent("audio", audioOutput?.json)
        o.setIfPresent("prompt", prompt?.json)
        return .object(o)
    }
}

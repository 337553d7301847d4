import MediaCore

/// A model that turns conversation input into streamed output: given a `BackendRequest`, it
/// starts a `BackendStream` that the session pulls outputs from as time passes. Sans-IO like the
/// session: nothing here reads a clock or touches the network.
public protocol RealtimeBackend {
    /// Starts one response at `now`. Called once per response; the stream is dropped on cancel.
    mutating func start(_ request: BackendRequest, at now: Instant) -> any BackendStream
}

/// The streamed output of one response, pulled by the session.
public protocol BackendStream {
    /// When the next output is due; nil once the stream has nothing more to give (finished).
    func nextDue() -> Instant?
    /// The next output if it is due at `now`, else nil.
    mutating func next(at now: Instant) -> BackendOutput?
}

/// What a backend is asked to answer: the conversation as input (or the response's own `input`),
/// and the response settings resolved from the session and `response.create`.
public struct BackendRequest: Sendable {
    public var input: [BackendItem]
    public var instructions: String
    public var outputModalities: [Modality]
    public var tools: [FunctionTool]
    public var toolChoice: ToolChoice
    public var maxOutputTokens: Int

    public init(input: [BackendItem], instructions: String = "", outputModalities: [Modality] = [.audio],
                tools: [FunctionTool] = [], toolChoice: ToolChoice = .auto, maxOutputTokens: Int = RealtimeLimits.maximumOutputTokens) {
        self.input = input
        self.instructions = instructions
        self.outputModalities = outputModalities
        self.tools = tools
        self.toolChoice = toolChoice
        self.maxOutputTokens = maxOutputTokens
    }

    /// The most recent user message, the turn a simple backend answers.
    public var lastUserMessage: BackendItem? {
        input.last { if case .message(let m) = $0.item { m.role == .user } else { false } }
    }
}

/// One conversation item as a backend sees it: the item, and its audio decoded to 24 kHz PCM16
/// mono (the committed user audio or spoken assistant audio; empty when it has none).
public struct BackendItem: Equatable, Sendable {
    public var item: ConversationItem
    public var audio: [Int16]

    public init(item: ConversationItem, audio: [Int16] = []) {
        self.item = item
        self.audio = audio
    }

    /// The text of the item's text parts (and known transcripts), joined.
    public var text: String {
        guard case .message(let m) = item else { return "" }
        return m.content.compactMap { part -> String? in
            switch part {
            case .inputText(let t), .outputText(let t): t
            case .inputAudio(_, let t), .outputAudio(_, let t): t
            }
        }.joined(separator: " ")
    }
}

/// One piece of streamed output.
public enum BackendOutput: Equatable, Sendable {
    /// Text: the transcript of the audio when the response speaks, the text when it writes.
    case textDelta(String)
    /// 24 kHz PCM16 mono audio (ignored when the response's modalities are text only).
    case audio([Int16])
    /// A new function call item; its arguments follow as `functionCallArgumentsDelta`.
    case functionCall(name: String, callID: String)
    case functionCallArgumentsDelta(String)
}

/// A stream of outputs each due at a fixed time: what the echo and scripted backends produce.
public struct ScheduledBackendStream: BackendStream, Sendable {
    private var outputs: [(due: Instant, output: BackendOutput)]
    private var index = 0

    /// `outputs` must be in due order (times never decrease).
    public init(_ outputs: [(due: Instant, output: BackendOutput)]) { self.outputs = outputs }

    public func nextDue() -> Instant? { index < outputs.count ? outputs[index].due : nil }

    public mutating func next(at now: Instant) -> BackendOutput? {
        guard index < outputs.count, outputs[index].due <= now else { return nil }
        defer { index += 1 }
        return outputs[index].output
    }
}

/// Output audio format facts shared by the backends and the session.
public enum RealtimeAudio {
    /// The rate of every PCM buffer between backends and the session.
    public static let sampleRate = 24_000
    /// Samples in one paced output chunk (20 ms).
    public static let chunkSamples = 480

    /// Milliseconds of `samples` samples at 24 kHz, rounded down.
    public static func milliseconds(_ samples: Int) -> Int { samples * 1000 / sampleRate }
    /// Samples in `ms` milliseconds at 24 kHz.
    public static func samples(milliseconds ms: Int) -> Int { ms * sampleRate / 1000 }
    public static func duration(_ samples: Int) -> Duration { .nanoseconds(samples * 1_000_000_000 / sampleRate) }
}

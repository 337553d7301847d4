/// Where a streamed piece of a response belongs: `response_id`, `item_id`, `output_index`,
/// `content_index` (shared by the text, audio and transcript delta/done events).
public struct ContentLocation: Equatable, Sendable {
    public var responseID: String
    public var itemID: String
    public var outputIndex: Int
    public var contentIndex: Int

    public init(responseID: String, itemID: String, outputIndex: Int, contentIndex: Int) {
        self.responseID = responseID
        self.itemID = itemID
        self.outputIndex = outputIndex
        self.contentIndex = contentIndex
    }

    init(_ r: inout JSONFieldReader) throws(RealtimeProtocolError) {
        responseID = try r.requiredString("response_id")
        itemID = try r.requiredString("item_id")
        outputIndex = try r.requiredInt("output_index")
        contentIndex = try r.requiredInt("content_index")
    }

    func write(into o: inout JSONObject) {
        o["response_id"] = .string(responseID)
        o["item_id"] = .string(itemID)
        o["output_index"] = .int(outputIndex)
        o["content_index"] = .int(contentIndex)
    }
}

/// The `part` of `response.content_part.added|done`: a text part or an audio part (with transcript).
public struct ResponseContentPart: Equatable, Sendable, RealtimeJSONCodable {
    public enum Kind: String, CaseIterable, Sendable { case text, audio }
    public var type: Kind
    public var text: String?
    public var audio: String?
    public var transcript: String?

    public init(type: Kind, text: String? = nil, audio: String? = nil, transcript: String? = nil) {
        self.type = type
        self.text = text
        self.audio = audio
        self.transcript = transcript
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        let t = try r.requiredString("type")
        // The SDK types say "text"/"audio"; the item vocabulary ("output_text"/"output_audio") is
        // accepted too, since both appear in the wild.
        switch t {
        case "text", "output_text": type = .text
        case "audio", "output_audio": type = .audio
        default: throw .invalidValue(r.param("type"), t, supported: ["text", "audio"])
        }
        text = try r.string("text")
        audio = try r.string("audio")
        transcript = try r.string("transcript")
        try r.finish()
    }

    public var json: JSONValue {
        var o: JSONObject = ["type": .string(type.rawValue)]
        o.setIfPresent("text", text.map(JSONValue.string))
        o.setIfPresent("audio", audio.map(JSONValue.string))
        o.setIfPresent("transcript", transcript.map(JSONValue.string))
        return .object(o)
    }
}

/// A token's log probability, sent with transcription events when the session `include`s it.
public struct LogProb: Equatable, Sendable, RealtimeJSONCodable {
    public var token: String
    public var bytes: [Int]
    public var logprob: Double

    public init(token: String, bytes: [Int], logprob: Double) {
        self.token = token
        self.bytes = bytes
        self.logprob = logprob
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        token = try r.requiredString("token")
        bytes = try r.array("bytes") { (v, p) throws(RealtimeProtocolError) in try JSONDecoding.int(v, p) } ?? []
        logprob = try r.requiredDouble("logprob")
        try r.finish()
    }

    public var json: JSONValue {
        .object(["token": .string(token), "bytes": .array(bytes.map(JSONValue.int)), "logprob": .decimal(logprob)])
    }
}

/// How input transcription was billed: by tokens or by audio duration.
public enum TranscriptionUsage: Equatable, Sendable, RealtimeJSONCodable {
    case tokens(input: Int, output: Int, inputTextTokens: Int?, inputAudioTokens: Int?)
    case duration(seconds: Double)

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        let type = try r.requiredString("type")
        switch type {
        case "tokens":
            let input = try r.requiredInt("input_tokens")
            let output = try r.requiredInt("output_tokens")
            let total = try r.requiredInt("total_tokens")
            // Bounded so `input + output` cannot overflow on hostile input.
            try RangeCheck.integer(input, 0...Usage.maximumCount, r.param("input_tokens"))
            try RangeCheck.integer(output, 0...Usage.maximumCount, r.param("output_tokens"))
            guard total == input + output else {
                throw RealtimeProtocolError(code: .invalidValue, message: "Invalid 'total_tokens': not input + output.", param: r.param("total_tokens"))
            }
            var text: Int?, audio: Int?
            if let d = r.value("input_token_details") {
                var dr = try JSONFieldReader(d, path: r.param("input_token_details"))
                text = try dr.int("text_tokens")
                audio = try dr.int("audio_tokens")
                try dr.finish()
            }
            self = .tokens(input: input, output: output, inputTextTokens: text, inputAudioTokens: audio)
        case "duration":
            self = .duration(seconds: try r.requiredDouble("seconds"))
        default:
            throw .invalidValue(r.param("type"), type, supported: ["tokens", "duration"])
        }
        try r.finish()
    }

    public var json: JSONValue {
        switch self {
        case .tokens(let input, let output, let text, let audio):
            var o: JSONObject = ["type": "tokens", "input_tokens": .int(input), "output_tokens": .int(output), "total_tokens": .int(input + output)]
            if text != nil || audio != nil {
                var d = JSONObject()
                d.setIfPresent("text_tokens", text.map(JSONValue.int))
                d.setIfPresent("audio_tokens", audio.map(JSONValue.int))
                o["input_token_details"] = .object(d)
            }
            return .object(o)
        case .duration(let s):
            return .object(["type": "duration", "seconds": .decimal(s)])
        }
    }
}

/// A diarized piece of an input transcript (`conversation.item.input_audio_transcription.segment`).
public struct TranscriptionSegment: Equatable, Sendable {
    public var id: String
    public var text: String
    public var speaker: String
    /// Start and end in seconds from the start of the item's audio.
    public var start: Double
    public var end: Double

    public init(id: String, text: String, speaker: String, start: Double, end: Double) {
        self.id = id
        self.text = text
        self.speaker = speaker
        self.start = start
        self.end = end
    }
}

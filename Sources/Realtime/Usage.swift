/// Token usage of one response (`response.done` → `response.usage`), in the GA layout.
/// Invariants the accounting keeps: `totalTokens = inputTokens + outputTokens`;
/// `inputTokens = text + audio`; cached tokens are a subset of the input tokens of each kind.
public struct Usage: Equatable, Sendable {
    public struct InputTokenDetails: Equatable, Sendable {
        public var textTokens: Int
        public var audioTokens: Int
        /// Input tokens served from the prompt cache (a subset of text + audio).
        public var cachedTokens: Int { cachedTextTokens + cachedAudioTokens }
        public var cachedTextTokens: Int
        public var cachedAudioTokens: Int

        public init(textTokens: Int = 0, audioTokens: Int = 0, cachedTextTokens: Int = 0, cachedAudioTokens: Int = 0) {
            self.textTokens = textTokens
            self.audioTokens = audioTokens
            self.cachedTextTokens = cachedTextTokens
            self.cachedAudioTokens = cachedAudioTokens
        }
    }

    public struct OutputTokenDetails: Equatable, Sendable {
        public var textTokens: Int
        public var audioTokens: Int
        public init(textTokens: Int = 0, audioTokens: Int = 0) {
            self.textTokens = textTokens
            self.audioTokens = audioTokens
        }
    }

    public var input: InputTokenDetails
    public var output: OutputTokenDetails

    public init(input: InputTokenDetails = .init(), output: OutputTokenDetails = .init()) {
        self.input = input
        self.output = output
    }

    /// The largest token count accepted from the wire (2^40: far beyond any session, small
    /// enough that sums and costs stay in 64 bits).
    public static let maximumCount = 1 << 40

    public var inputTokens: Int { input.textTokens + input.audioTokens }
    public var outputTokens: Int { output.textTokens + output.audioTokens }
    public var totalTokens: Int { inputTokens + outputTokens }

    /// Field-wise sum, for session totals.
    public static func + (a: Usage, b: Usage) -> Usage {
        Usage(
            input: .init(
                textTokens: a.input.textTokens + b.input.textTokens, audioTokens: a.input.audioTokens + b.input.audioTokens,
                cachedTextTokens: a.input.cachedTextTokens + b.input.cachedTextTokens,
                cachedAudioTokens: a.input.cachedAudioTokens + b.input.cachedAudioTokens),
            output: .init(textTokens: a.output.textTokens + b.output.textTokens, audioTokens: a.output.audioTokens + b.output.audioTokens))
    }
}

extension Usage: RealtimeJSONCodable {
    /// Reads the GA layout. Totals are derived, so a `total_tokens` or `input_tokens` that
    /// disagrees with the details is rejected (`invalid_value`) rather than silently dropped.
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        // Counts from the network are bounded so the derived sums cannot overflow.
        func count(_ r: inout JSONFieldReader, _ key: String) throws(RealtimeProtocolError) -> Int? {
            guard let v = try r.int(key) else { return nil }
            try RangeCheck.integer(v, 0...Usage.maximumCount, r.param(key))
            return v
        }
        let total = try count(&r, "total_tokens")
        let inputTotal = try count(&r, "input_tokens")
        let outputTotal = try count(&r, "output_tokens")
        input = InputTokenDetails()
        output = OutputTokenDetails()
        if let d = r.value("input_token_details") {
            var dr = try JSONFieldReader(d, path: r.param("input_token_details"))
            input.textTokens = try count(&dr, "text_tokens") ?? 0
            input.audioTokens = try count(&dr, "audio_tokens") ?? 0
            let cached = try count(&dr, "cached_tokens")
            if let c = dr.value("cached_tokens_details") {
                var cr = try JSONFieldReader(c, path: dr.param("cached_tokens_details"))
                input.cachedTextTokens = try count(&cr, "text_tokens") ?? 0
                input.cachedAudioTokens = try count(&cr, "audio_tokens") ?? 0
                _ = try count(&cr, "image_tokens")
                try cr.finish()
            } else if let cached {
                input.cachedTextTokens = cached  // No split given: count it as text.
            }
            _ = try count(&dr, "image_tokens")
            try dr.finish()
            if let cached, cached != input.cachedTokens { throw Self.mismatch(dr.param("cached_tokens")) }
        }
        if let d = r.value("output_token_details") {
            var dr = try JSONFieldReader(d, path: r.param("output_token_details"))
            output.textTokens = try count(&dr, "text_tokens") ?? 0
            output.audioTokens = try count(&dr, "audio_tokens") ?? 0
            try dr.finish()
        }
        try r.finish()
        if let inputTotal, inputTotal != inputTokens { throw Self.mismatch(r.param("input_tokens")) }
        if let outputTotal, outputTotal != outputTokens { throw Self.mismatch(r.param("output_tokens")) }
        if let total, total != totalTokens { throw Self.mismatch(r.param("total_tokens")) }
    }

    private static func mismatch(_ param: String) -> RealtimeProtocolError {
        RealtimeProtocolError(code: .invalidValue, message: "Invalid '\(param)': does not match the sum of its details.", param: param)
    }

    public var json: JSONValue {
        .object([
            "total_tokens": .int(totalTokens),
            "input_tokens": .int(inputTokens),
            "output_tokens": .int(outputTokens),
            "input_token_details": .object([
                "text_tokens": .int(input.textTokens),
                "audio_tokens": .int(input.audioTokens),
                "cached_tokens": .int(input.cachedTokens),
                "cached_tokens_details": .object([
                    "text_tokens": .int(input.cachedTextTokens), "audio_tokens": .int(input.cachedAudioTokens),
                ]),
            ]),
            "output_token_details": .object([
                "text_tokens": .int(output.textTokens), "audio_tokens": .int(output.audioTokens),
            ]),
        ])
    }
}

/// One piece of a response's input for cache accounting: a content part (or instructions, tools)
/// with its modality, token count and a key that identifies its exact content.
public struct InputSpan: Equatable, Sendable {
    public enum Modality: Sendable, Equatable { case text, audio }
    public var modality: Modality
    public var tokens: Int
    /// Equal keys mean equal content (e.g. item id + content index + a hash of the bytes).
    public var key: String

    public init(modality: Modality, tokens: Int, key: String) {
        self.modality = modality
        self.tokens = tokens
        self.key = key
    }
}

/// Prompt-cache accounting: the input tokens of a response that repeat, from the start, the
/// input of the previous response are `cached_tokens`. Our rule (documented, not the service's
/// block-granular one): the longest common prefix of whole spans counts as cached.
public struct PromptCache: Sendable {
    private var previous: [InputSpan] = []

    public init() {}

    /// The usage input details for `input`, and remembers `input` for the next response.
    public mutating func account(_ input: [InputSpan]) -> Usage.InputTokenDetails {
        var d = Usage.InputTokenDetails()
        var prefix = true
        for (i, span) in input.enumerated() {
            if prefix, i < previous.count, previous[i] == span {
                switch span.modality {
                case .text: d.cachedTextTokens += span.tokens
                case .audio: d.cachedAudioTokens += span.tokens
                }
            } else {
                prefix = false
            }
            switch span.modality {
            case .text: d.textTokens += span.tokens
            case .audio: d.audioTokens += span.tokens
            }
        }
        previous = input
        return d
    }
}

import MediaCore

/// Fixed product limits of gpt-4o-mini-realtime.
public enum RealtimeLimits {
    /// Tokens of context (instructions, tools, conversation and the response together).
    public static let contextWindowTokens = 128_000
    /// The most tokens one response may produce; `max_output_tokens: "inf"` means this.
    public static let maximumOutputTokens = 4_096
    /// A session ends (`session_expired`) after this long.
    public static let maximumSessionDuration: Duration = .seconds(60 * 60)
}

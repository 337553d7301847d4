/// Prices of gpt-4o-mini-realtime in US cents per 1M tokens. Kept as integers so costs are
/// exact: tokens × (cents per 1M) is a cost in micro-cents (1e-8 USD).
public struct Pricing: Equatable, Sendable {
    public var textInput: Int64
    public var textCachedInput: Int64
    public var textOutput: Int64
    public var audioInput: Int64
    public var audioCachedInput: Int64
    public var audioOutput: Int64

    /// Text in $0.60 / cached $0.30 / out $2.40; audio in $10.00 / cached $0.30 / out $20.00 (per 1M).
    public static let gpt4oMiniRealtime = Pricing(
        textInput: 60, textCachedInput: 30, textOutput: 240, audioInput: 1_000, audioCachedInput: 30, audioOutput: 2_000)
}

/// The cost of a `Usage` in USD, split by kind. Cached input is billed at the cached price and
/// the rest of the input at the full price.
public struct Cost: Equatable, Sendable {
    /// Each part in micro-cents (1e-8 USD).
    public var textInput: Int64
    public var textCachedInput: Int64
    public var textOutput: Int64
    public var audioInput: Int64
    public var audioCachedInput: Int64
    public var audioOutput: Int64

    public init(_ usage: Usage, pricing: Pricing = .gpt4oMiniRealtime) {
        let i = usage.input
        // Cached tokens are a subset of each kind's input; clamp so a bad report cannot go negative.
        let cachedText = min(i.cachedTextTokens, i.textTokens), cachedAudio = min(i.cachedAudioTokens, i.audioTokens)
        textInput = Int64(i.textTokens - cachedText) * pricing.textInput
        textCachedInput = Int64(cachedText) * pricing.textCachedInput
        audioInput = Int64(i.audioTokens - cachedAudio) * pricing.audioInput
        audioCachedInput = Int64(cachedAudio) * pricing.audioCachedInput
        textOutput = Int64(usage.output.textTokens) * pricing.textOutput
        audioOutput = Int64(usage.output.audioTokens) * pricing.audioOutput
    }

    public var totalMicroCents: Int64 { textInput + textCachedInput + textOutput + audioInput + audioCachedInput + audioOutput }

    /// The total in USD.
    public var usd: Double { Double(totalMicroCents) / 1e8 }
}

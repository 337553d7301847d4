import MediaCore

/// Token estimates for accounting, since this endpoint has no real tokenizer. The rates are ours,
/// chosen to be near the service's published behaviour and fixed here in one place:
/// - text: ⌈UTF-8 bytes / 4⌉ tokens (the usual ~4 characters per token of English);
/// - input audio: 1 token per 100 ms (10 tokens/s), rounded up;
/// - output audio: 1 token per 50 ms (20 tokens/s), rounded up.
public enum TokenEstimator {
    public static let textBytesPerToken = 4
    public static let inputAudioTokenDuration: Duration = .milliseconds(100)
    public static let outputAudioTokenDuration: Duration = .milliseconds(50)

    public static func textTokens(_ text: String) -> Int { ceilDiv(text.utf8.count, textBytesPerToken) }

    public static func inputAudioTokens(_ d: Duration) -> Int { audioTokens(d, per: inputAudioTokenDuration) }
    public static func outputAudioTokens(_ d: Duration) -> Int { audioTokens(d, per: outputAudioTokenDuration) }

    /// How long `byteCount` bytes of audio in `format` play (PCM16 24 kHz: 48,000 B/s; G.711: 8,000 B/s).
    public static func audioDuration(byteCount: Int, format: AudioFormat) -> Duration {
        Duration(nanoseconds: Int64(byteCount) * 1_000_000_000 / Int64(format.bytesPerSecond))
    }

    private static func audioTokens(_ d: Duration, per unit: Duration) -> Int {
        guard d.nanoseconds > 0 else { return 0 }
        return Int((d.nanoseconds + unit.nanoseconds - 1) / unit.nanoseconds)
    }

    private static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}

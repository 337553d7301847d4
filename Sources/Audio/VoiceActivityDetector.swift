import Glibc

/// Why a voice activity detector could not be configured.
public enum VoiceActivityError: Error, Equatable, Sendable {
    case unsupportedSampleRate(Int)
    case invalidThreshold(Double)
    case invalidDuration(String)
}

/// An energy-based turn detector with the OpenAI Realtime `server_vad` parameters.
///
/// Feed it consecutive mono PCM16 frames (10 or 20 ms suit it best); it returns `.speechStarted`
/// and `.speechStopped` with absolute sample positions from the start of the stream. Pure: no
/// clock, no I/O, no allocation.
///
/// Speech probability per frame: the frame's RMS level L in dBFS is compared with an adaptive noise
/// floor F, and p = 1 / (1 + e^(−(L − F − 12 dB) / 3 dB)). So a frame 12 dB above the floor scores
/// 0.5 (the default threshold), 18 dB scores 0.88, 6 dB scores 0.12. The floor starts at the first
/// frame's level (streams are assumed to open on non-speech), drops at once to any quieter frame,
/// and rises by at most 5 dB/s on non-speech frames and 1 dB/s on speech frames (so a noise source
/// that switches on is eventually absorbed); it never goes below −70 dBFS, so near-digital-silence
/// does not make a whisper of hiss look like speech.
///
/// Turns follow `server_vad`: speech starts on the first frame with p ≥ `threshold`, reported at
/// that frame's start minus `prefixPaddingMs` (clamped at 0, as `audio_start_ms`); it stops once
/// `silenceDurationMs` of frames below threshold have followed, reported at the sample where that
/// silence began (the end of speech, as `audio_end_ms`).
public struct VoiceActivityDetector: Sendable {
    public enum Event: Equatable, Sendable {
        case speechStarted(atSample: Int)
        case speechStopped(atSample: Int)
    }

    public static let supportedSampleRates = [8_000, 12_000, 16_000, 24_000, 48_000]
    /// SNR (dB above the noise floor) where the probability is 0.5, and the logistic's scale.
    public static let midpointDB = 12.0
    public static let slopeDB = 3.0
    public static let minimumFloorDBFS = -70.0

    public let sampleRate: Int
    /// Probability (0...1) at or above which a frame counts as speech. OpenAI default 0.5.
    public let threshold: Double
    /// Audio kept before the detected start, in ms. OpenAI default 300.
    public let prefixPaddingMs: Int
    /// Silence needed to end a turn, in ms. OpenAI default 500.
    public let silenceDurationMs: Int

    /// Samples consumed so far: the position of the next frame's first sample.
    public private(set) var position = 0
    public private(set) var isSpeaking = false
    /// The last frame's speech probability.
    public private(set) var probability = 0.0
    /// The current noise floor estimate in dBFS (nil before the first frame).
    public private(set) var noiseFloorDBFS: Double?
    /// Where the last speech frame ended (the candidate end of the current turn).
    private var speechEnd = 0

    public init(sampleRate: Int, threshold: Double = 0.5, prefixPaddingMs: Int = 300,
                silenceDurationMs: Int = 500) throws(VoiceActivityError) {
        guard Self.supportedSampleRates.contains(sampleRate) else { throw .unsupportedSampleRate(sampleRate) }
        guard (0...1).contains(threshold) else { throw .invalidThreshold(threshold) }
        guard prefixPaddingMs >= 0 else { throw .invalidDuration("prefixPaddingMs \(prefixPaddingMs) < 0") }
        guard silenceDurationMs >= 0 else { throw .invalidDuration("silenceDurationMs \(silenceDurationMs) < 0") }
        self.sampleRate = sampleRate
        self.threshold = threshold
        self.prefixPaddingMs = prefixPaddingMs
        self.silenceDurationMs = silenceDurationMs
    }

    private var prefixSamples: Int { prefixPaddingMs * sampleRate / 1000 }
    private var silenceSamples: Int { silenceDurationMs * sampleRate / 1000 }

    /// Analyses the next frame; returns the turn event it completes, if any.
    public mutating func process(_ frame: UnsafeBufferPointer<Int16>) -> Event? {
        guard !frame.isEmpty else { return nil }
        let start = position
        position += frame.count
        let level = Self.levelDBFS(frame)
        let seconds = Double(frame.count) / Double(sampleRate)

        var floor = max(noiseFloorDBFS ?? level, Self.minimumFloorDBFS)
        probability = 1 / (1 + exp(-(level - floor - Self.midpointDB) / Self.slopeDB))
        let speech = probability >= threshold
        if level < floor {
            floor = max(level, Self.minimumFloorDBFS)
        } else {
            floor += min(level - floor, (speech ? 1.0 : 5.0) * seconds)
        }
        noiseFloorDBFS = floor

        if speech {
            speechEnd = position
            if !isSpeaking {
                isSpeaking = true
                return .speechStarted(atSample: max(0, start - prefixSamples))
            }
        } else if isSpeaking, position - speechEnd >= silenceSamples {
            isSpeaking = false
            return .speechStopped(atSample: speechEnd)
        }
        return nil
    }

    /// Analyses the next frame from an array.
    public mutating func process(_ frame: [Int16]) -> Event? {
        frame.withUnsafeBufferPointer { process($0) }
    }

    /// Forgets the stream (position back to 0, noise floor relearned).
    public mutating func reset() {
        position = 0
        isSpeaking = false
        probability = 0
        noiseFloorDBFS = nil
        speechEnd = 0
    }

    /// RMS level of `frame` in dBFS (full scale = 32768), at least −100.
    static func levelDBFS(_ frame: UnsafeBufferPointer<Int16>) -> Double {
        var sum: Int64 = 0
        for s in frame { sum += Int64(s) * Int64(s) }
        let meanSquare = Double(sum) / Double(frame.count)
        return meanSquare > 0 ? max(-100, 10 * log10(meanSquare / (32_768.0 * 32_768.0))) : -100
    }
}

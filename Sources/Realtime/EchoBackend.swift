import Glibc
import MediaCore

/// The default backend: answers each user turn with the user's own input. An audio turn is
/// answered with the same audio (transcript empty, or "(echo)" when the response is text only).
/// A text turn is answered with the same text; when the response speaks, we have no TTS, so the
/// "speech" is a beep pattern: one 440 Hz beep per word, 60 ms per character of the word (at
/// least 120 ms), 80 ms of silence between words, so its length scales with the text.
public struct EchoBackend: RealtimeBackend, Sendable {
    /// Delay before the first output (a model's "time to first token").
    public var firstOutputDelay: Duration
    /// Delay between successive text deltas (one per word).
    public var textDeltaInterval: Duration

    public init(firstOutputDelay: Duration = .zero, textDeltaInterval: Duration = .zero) {
        self.firstOutputDelay = firstOutputDelay
        self.textDeltaInterval = textDeltaInterval
    }

    public static let beepFrequency = 440.0
    public static let beepMillisecondsPerCharacter = 60
    public static let minimumBeepMilliseconds = 120
    public static let wordGapMilliseconds = 80

    public mutating func start(_ request: BackendRequest, at now: Instant) -> any BackendStream {
        let due = now + firstOutputDelay
        guard let turn = request.lastUserMessage else { return ScheduledBackendStream([]) }
        let speaks = request.outputModalities.contains(.audio)
        var outputs: [(due: Instant, output: BackendOutput)] = []
        let text = turn.text
        if !turn.audio.isEmpty {
            if speaks {
                outputs.append((due, .audio(turn.audio)))
            } else {
                outputs.append((due, .textDelta("(echo)")))
            }
            return ScheduledBackendStream(outputs)
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var t = due
        for (i, w) in words.enumerated() {
            outputs.append((t, .textDelta(i == 0 ? String(w) : " " + w)))
            t += textDeltaInterval
        }
        if speaks, !words.isEmpty {
            outputs.insert((due, .audio(Self.beeps(for: words.map(\.count)))), at: min(1, outputs.count))
        }
        return ScheduledBackendStream(outputs)
    }

    /// The beep pattern for words of `lengths` characters (24 kHz PCM16).
    public static func beeps(for lengths: [Int]) -> [Int16] {
        var out: [Int16] = []
        let rate = Double(RealtimeAudio.sampleRate)
        for (i, n) in lengths.enumerated() {
            if i > 0 { out.append(contentsOf: repeatElement(0, count: RealtimeAudio.samples(milliseconds: wordGapMilliseconds))) }
            let count = RealtimeAudio.samples(milliseconds: max(minimumBeepMilliseconds, n * beepMillisecondsPerCharacter))
            for k in 0..<count {
                out.append(Int16(8_000 * sin(2 * Double.pi * beepFrequency * Double(k) / rate)))
            }
        }
        return out
    }
}

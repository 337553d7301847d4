import Audio

/// Server-side turn detection over the 24 kHz input stream: frames the appended audio into 20 ms
/// pieces for a `VoiceActivityDetector` set from the session's `turn_detection` (`semantic_vad`
/// is treated as `server_vad` with the default parameters), and reports turn events as sample
/// positions from the start of the input stream.
struct TurnDetector {
    static let frameSamples = RealtimeAudio.chunkSamples

    private(set) var detection: TurnDetection
    private var vad: VoiceActivityDetector
    private var partial: [Int16] = []

    init(_ detection: TurnDetection, streamPosition: Int) {
        self.detection = detection
        var threshold = 0.5, prefix = 300, silence = 500
        if case .serverVAD(let v) = detection {
            threshold = v.threshold
            prefix = v.prefixPaddingMs
            silence = v.silenceDurationMs
        }
        // TurnDetection.validate bounds these to what the detector accepts, and 24 kHz is a
        // supported rate: a failure here is a broken invariant.
        guard let vad = try? VoiceActivityDetector(
            sampleRate: RealtimeAudio.sampleRate, threshold: threshold, prefixPaddingMs: prefix, silenceDurationMs: silence)
        else { preconditionFailure("validated server_vad parameters rejected") }
        self.vad = vad
        offset = streamPosition
    }

    /// Stream position where this detector started (it counts from zero internally).
    private let offset: Int

    var createResponse: Bool {
        switch detection {
        case .serverVAD(let v): v.createResponse
        case .semanticVAD(let v): v.createResponse
        }
    }

    var interruptResponse: Bool {
        switch detection {
        case .serverVAD(let v): v.interruptResponse
        case .semanticVAD(let v): v.interruptResponse
        }
    }

    var idleTimeoutMs: Int? {
        if case .serverVAD(let v) = detection { return v.idleTimeoutMs }
        return nil
    }

    var isSpeaking: Bool { vad.isSpeaking }

    /// Feeds samples; returns the events whole frames completed, positions in stream samples.
    mutating func process(_ samples: [Int16]) -> [VoiceActivityDetector.Event] {
        partial.append(contentsOf: samples)
        var events: [VoiceActivityDetector.Event] = []
        var start = 0
        while partial.count - start >= Self.frameSamples {
            let e = partial.withUnsafeBufferPointer { p in
                vad.process(UnsafeBufferPointer(rebasing: p[start..<start + Self.frameSamples]))
            }
            start += Self.frameSamples
            switch e {
            case .speechStarted(let s): events.append(.speechStarted(atSample: s + offset))
            case .speechStopped(let s): events.append(.speechStopped(atSample: s + offset))
            case nil: break
            }
        }
        partial.removeFirst(start)
        return events
    }
}

internal import COpus

/// What the Opus encoder optimizes for (`OPUS_APPLICATION_*`), fixed at creation.
public enum OpusApplication: Sendable, Equatable {
    /// Speech over a network: best intelligibility (`OPUS_APPLICATION_VOIP`).
    case voip
    /// Music and mixed content: best fidelity (`OPUS_APPLICATION_AUDIO`).
    case audio
    /// Lowest delay: CELT only, no SILK look-ahead (`OPUS_APPLICATION_RESTRICTED_LOWDELAY`).
    case restrictedLowDelay

    var rawValue: Int32 {
        switch self {
        case .voip: return OPUS_APPLICATION_VOIP
        case .audio: return OPUS_APPLICATION_AUDIO
        case .restrictedLowDelay: return OPUS_APPLICATION_RESTRICTED_LOWDELAY
        }
    }
}

/// A hint about the content (`OPUS_SET_SIGNAL`).
public enum OpusSignal: Sendable, Equatable {
    case auto, voice, music

    var rawValue: Int32 {
        switch self {
        case .auto: return OPUS_AUTO
        case .voice: return OPUS_SIGNAL_VOICE
        case .music: return OPUS_SIGNAL_MUSIC
        }
    }
}

/// The frame durations Opus can encode: 2.5, 5, 10, 20, 40 and 60 ms.
public enum OpusFrameDuration: Int, Sendable, CaseIterable {
    case ms2_5 = 2_500, ms5 = 5_000, ms10 = 10_000, ms20 = 20_000, ms40 = 40_000, ms60 = 60_000

    /// The duration in microseconds.
    public var microseconds: Int { rawValue }

    /// Samples per channel in one frame at `sampleRate`.
    public func samples(atSampleRate sampleRate: Int) -> Int { sampleRate * rawValue / 1_000_000 }

    /// The duration of a `samples`-long frame at `sampleRate`, or a typed error when Opus cannot
    /// encode a frame of that size.
    public init(samples: Int, sampleRate: Int) throws(AudioCodecError) {
        guard let d = Self.allCases.first(where: { $0.samples(atSampleRate: sampleRate) == samples }) else {
            throw .invalidConfiguration("\(samples) samples at \(sampleRate) Hz is not an Opus frame size (2.5/5/10/20/40/60 ms)")
        }
        self = d
    }

    /// The duration of `microseconds`, or a typed error for any other value.
    public init(microseconds: Int) throws(AudioCodecError) {
        guard let d = Self(rawValue: microseconds) else {
            throw .invalidConfiguration("\(microseconds) µs is not an Opus frame duration (2.5/5/10/20/40/60 ms)")
        }
        self = d
    }
}

/// Encoder settings, applied at creation and by `OpusEncoder.apply(_:)`.
public struct OpusEncoderConfiguration: Sendable, Equatable {
    /// Target bitrate in bits per second (500...512_000), or nil for the codec's default.
    public var bitrate: Int?
    /// 0 (fastest) ... 10 (best quality).
    public var complexity: Int
    /// Carry a low-bitrate copy of each frame in the next packet (LBRR) so a loss can be rebuilt.
    public var inbandFEC: Bool
    /// Expected packet loss in percent (0...100). In-band FEC only activates when this is > 0.
    public var expectedPacketLossPercent: Int
    /// Discontinuous transmission: on silence, emit tiny (≤ 2-byte) packets that need not be sent.
    public var dtx: Bool
    public var signal: OpusSignal

    public init(bitrate: Int? = 32_000, complexity: Int = 5, inbandFEC: Bool = false,
                expectedPacketLossPercent: Int = 0, dtx: Bool = false, signal: OpusSignal = .auto) {
        self.bitrate = bitrate
        self.complexity = complexity
        self.inbandFEC = inbandFEC
        self.expectedPacketLossPercent = expectedPacketLossPercent
        self.dtx = dtx
        self.signal = signal
    }

    /// Checks every field's range, so a bad value is reported by name rather than as a C status.
    func validate() throws(AudioCodecError) {
        if let b = bitrate, !(500...512_000).contains(b) { throw .invalidConfiguration("bitrate \(b) outside 500...512000") }
        guard (0...10).contains(complexity) else { throw .invalidConfiguration("complexity \(complexity) outside 0...10") }
        guard (0...100).contains(expectedPacketLossPercent) else {
            throw .invalidConfiguration("packet loss \(expectedPacketLossPercent)% outside 0...100")
        }
    }
}

/// The sample rates and channel counts libopus accepts.
enum OpusFormat {
    static let sampleRates = [8_000, 12_000, 16_000, 24_000, 48_000]
    /// The largest packet one frame can produce, as libopus documents for `opus_encode`'s buffer.
    static let maxPacketBytes = 4_000

    static func validate(sampleRate: Int, channels: Int) throws(AudioCodecError) {
        guard sampleRates.contains(sampleRate) else {
            throw .invalidConfiguration("sample rate \(sampleRate) Hz (Opus takes 8000/12000/16000/24000/48000)")
        }
        guard channels == 1 || channels == 2 else { throw .invalidConfiguration("\(channels) channels (Opus takes 1 or 2)") }
    }
}

extension AudioCodecError {
    /// Maps a negative libopus status (`opus_strerror` gives the text) to a typed error.
    static func opus(_ status: Int32) -> AudioCodecError {
        let message = String(cString: opus_strerror(status))
        switch status {
        case OPUS_INVALID_PACKET: return .invalidPacket(message)
        case OPUS_BAD_ARG: return .invalidConfiguration(message)
        default: return .codec(code: status, message: message)
        }
    }
}

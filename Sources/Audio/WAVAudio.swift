import MediaCore

/// Interleaved samples of a WAV file, in the encoding it stores.
public enum WAVSamples: Equatable, Sendable {
    /// 16-bit signed integer PCM (`WAVE_FORMAT_PCM`).
    case pcm16([Int16])
    /// 32-bit IEEE float, nominally -1...1 (`WAVE_FORMAT_IEEE_FLOAT`).
    case float32([Float])

    public var count: Int {
        switch self {
        case let .pcm16(s): return s.count
        case let .float32(s): return s.count
        }
    }
}

/// A RIFF/WAVE file's audio: PCM16 or Float32, any channel count and rate.
///
/// Parses from bytes (`init(parsing:)`, skipping unknown chunks and honouring odd-size chunk
/// padding; `WAVE_FORMAT_EXTENSIBLE` carrying PCM or float is accepted) and serializes to bytes.
/// Bad headers, unsupported formats and truncated data throw `ParseError`; nothing traps.
public struct WAVAudio: Equatable, Sendable {
    public var sampleRate: Int
    public var channels: Int
    public var samples: WAVSamples

    public init(sampleRate: Int, channels: Int, samples: WAVSamples) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// Sample frames (one sample per channel each).
    public var frameCount: Int { channels > 0 ? samples.count / channels : 0 }

    /// The samples as PCM16; float samples are scaled by 32767, rounded and clamped.
    public var pcm16: [Int16] {
        switch samples {
        case let .pcm16(s): return s
        case let .float32(f): return f.map { Int16(max(-32_768, min(32_767, ($0 * 32_767).rounded()))) }
        }
    }

    /// The samples as Float32 in -1...1; PCM16 is divided by 32768.
    public var float32: [Float] {
        switch samples {
        case let .pcm16(s): return s.map { Float($0) / 32_768 }
        case let .float32(f): return f
        }
    }
}

/// The `fmt ` chunk's format codes this reader knows.
enum WAVFormatTag {
    static let pcm: UInt16 = 0x0001
    static let ieeeFloat: UInt16 = 0x0003
    static let extensible: UInt16 = 0xFFFE
    /// The 14 bytes after the format code in a KSDATAFORMAT_SUBTYPE GUID (…-0000-0010-8000-00AA00389B71).
    static let subformatGUIDTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
}

/// The audio encoding of the input or output buffer (`audio.input.format`, `audio.output.format`):
/// PCM16 little-endian mono at 24 kHz, or G.711 µ-law / A-law at 8 kHz.
public enum AudioFormat: Equatable, Sendable, RealtimeJSONCodable {
    /// `{"type":"audio/pcm","rate":24000}`; 24000 is the only rate GA accepts.
    case pcm16(rate: Int)
    /// `{"type":"audio/pcmu"}`
    case pcmu
    /// `{"type":"audio/pcma"}`
    case pcma

    public static let pcm24k = AudioFormat.pcm16(rate: 24_000)

    /// The wire `type` strings, in the order error messages list them.
    static let typeNames = ["audio/pcm", "audio/pcmu", "audio/pcma"]

    /// Bytes per second of audio in this format (what base64 audio deltas carry).
    public var bytesPerSecond: Int {
        switch self {
        case .pcm16(let rate): rate * 2
        case .pcmu, .pcma: 8_000
        }
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        let type = try r.requiredString("type")
        switch type {
        case "audio/pcm":
            let rate = try r.int("rate") ?? 24_000
            guard rate == 24_000 else { throw .invalidValue(r.param("rate"), String(rate), supported: ["24000"]) }
            self = .pcm16(rate: rate)
        case "audio/pcmu": self = .pcmu
        case "audio/pcma": self = .pcma
        default: throw .invalidValue(r.param("type"), type, supported: Self.typeNames)
        }
        try r.finish()
    }

    public var json: JSONValue {
        switch self {
        case .pcm16(let rate): .object(["type": "audio/pcm", "rate": .int(rate)])
        case .pcmu: .object(["type": "audio/pcmu"])
        case .pcma: .object(["type": "audio/pcma"])
        }
    }
}

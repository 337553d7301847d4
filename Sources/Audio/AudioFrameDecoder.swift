/// Why a codec call failed. Garbage from the network lands here as `invalidPacket`, never a trap.
public enum AudioCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidConfiguration(String)
    case invalidPacket(String)
    case bufferTooSmall(needed: Int, available: Int)
    /// A libopus (or other C codec) status code with its message.
    case codec(code: Int32, message: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(s): return "invalid codec configuration: \(s)"
        case let .invalidPacket(s): return "invalid packet: \(s)"
        case let .bufferTooSmall(n, a): return "output buffer too small: need \(n) samples, have \(a)"
        case let .codec(code, message): return "codec error \(code): \(message)"
        }
    }
}

/// What the jitter buffer needs from a decoder: decode, recover from the next packet's in-band
/// FEC, and conceal a loss. Samples are interleaved PCM16; counts are per channel.
public protocol AudioFrameDecoder {
    var sampleRate: Int { get }
    var channels: Int { get }

    /// Decodes one packet into `output`; returns samples per channel written.
    mutating func decode(_ packet: ArraySlice<UInt8>, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int

    /// Rebuilds the `samples`-long frame that precedes `nextPacket` from the FEC data carried in
    /// `nextPacket` (Opus LBRR); falls back to concealment inside the codec when there is none.
    mutating func decodeFEC(from nextPacket: ArraySlice<UInt8>, samples: Int,
                            into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int

    /// Synthesizes `samples` per channel of packet-loss concealment.
    mutating func conceal(samples: Int, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int

    /// Samples per channel `packet` decodes to, read from its header without decoding.
    func sampleCount(of packet: ArraySlice<UInt8>) throws(AudioCodecError) -> Int

    /// Drops decoder state (a new stream, or a resync).
    mutating func reset()

    /// Whether `decodeFEC` can rebuild a lost frame from the next packet (Opus LBRR), so waiting
    /// for the next packet after a loss is worth its delay.
    var recoversWithFEC: Bool { get }
}

extension AudioFrameDecoder {
    public var recoversWithFEC: Bool { false }
}

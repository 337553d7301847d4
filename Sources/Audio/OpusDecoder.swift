internal import COpus

/// An Opus decoder over libopus (`opus_decoder_create` / `opus_decode`), PCM16 interleaved out.
///
/// It decodes into caller-provided buffers (no allocation per frame), rebuilds a lost frame from
/// the next packet's in-band FEC, and conceals losses. Malformed packets from the network throw
/// `AudioCodecError.invalidPacket`; they never trap.
public final class OpusDecoder: AudioFrameDecoder {
    public let sampleRate: Int
    public let channels: Int
    private let state: OpaquePointer

    /// Creates a decoder (`opus_decoder_create`) for 8/12/16/24/48 kHz, mono or stereo output.
    public init(sampleRate: Int = 48_000, channels: Int = 1) throws(AudioCodecError) {
        try OpusFormat.validate(sampleRate: sampleRate, channels: channels)
        var error: Int32 = OPUS_OK
        guard let s = opus_decoder_create(Int32(sampleRate), Int32(channels), &error), error == OPUS_OK else {
            throw .opus(error)
        }
        state = s
        self.sampleRate = sampleRate
        self.channels = channels
    }

    deinit { opus_decoder_destroy(state) }

    /// Opus packets may carry the previous frame at a lower bitrate (LBRR, RFC 6716 §4.2.4).
    public var recoversWithFEC: Bool { true }

    /// The most samples per channel one packet can carry (120 ms), for sizing output buffers.
    public var maxFrameSamples: Int { sampleRate * 120 / 1000 }

    /// Decodes `packet` (`opus_decode`, FEC off) into `output`; returns samples per channel.
    public func decode(_ packet: ArraySlice<UInt8>, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        guard !packet.isEmpty else { throw .invalidPacket("empty packet (use conceal for a loss)") }
        let needed = try sampleCount(of: packet)
        return try run(packet, samples: needed, fec: false, into: output)
    }

    /// Rebuilds the `samples`-long frame lost before `nextPacket` from that packet's LBRR data
    /// (`opus_decode` with `decode_fec` = 1). Without LBRR in it, libopus conceals instead.
    public func decodeFEC(from nextPacket: ArraySlice<UInt8>, samples: Int,
                          into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        guard !nextPacket.isEmpty else { throw .invalidPacket("empty packet") }
        try validateConcealment(samples: samples)
        _ = try sampleCount(of: nextPacket)  // rejects a malformed packet before libopus sees it
        return try run(nextPacket, samples: samples, fec: true, into: output)
    }

    /// Synthesizes `samples` per channel of packet-loss concealment (`opus_decode` with no data).
    /// `samples` must be a multiple of 2.5 ms.
    public func conceal(samples: Int, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        try validateConcealment(samples: samples)
        return try run(nil, samples: samples, fec: false, into: output)
    }

    /// Samples per channel in `packet`, from its TOC byte and frame count
    /// (`opus_packet_get_nb_samples`), without decoding.
    public func sampleCount(of packet: ArraySlice<UInt8>) throws(AudioCodecError) -> Int {
        guard !packet.isEmpty else { throw .invalidPacket("empty packet") }
        // 120 ms of maximal 1275-byte frames stays far below this; it also keeps Int32 exact.
        guard packet.count <= 1 << 20 else { throw .invalidPacket("packet of \(packet.count) bytes") }
        let n = packet.withUnsafeBufferPointer { bytes in
            bytes.baseAddress.map { opus_packet_get_nb_samples($0, Int32(bytes.count), Int32(sampleRate)) } ?? OPUS_BAD_ARG
        }
        guard n > 0 else { throw n < 0 ? .opus(n) : .invalidPacket("packet carries no audio") }
        guard Int(n) <= maxFrameSamples else { throw .invalidPacket("packet longer than 120 ms") }
        return Int(n)
    }

    /// Drops decoder state (`OPUS_RESET_STATE`).
    public func reset() { _ = sr_opus_decoder_reset(state) }

    /// Decodes from an array into the front of `output` (which keeps its size).
    public func decode(_ packet: [UInt8], into output: inout [Int16]) throws(AudioCodecError) -> Int {
        try output.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in try decode(packet[...], into: out) }
    }

    private func validateConcealment(samples: Int) throws(AudioCodecError) {
        // libopus only conceals or rebuilds whole 2.5 ms units, up to 120 ms.
        let unit = sampleRate / 400
        guard samples > 0, samples % unit == 0, samples <= maxFrameSamples else {
            throw .invalidConfiguration("\(samples) samples is not a multiple of 2.5 ms up to 120 ms at \(sampleRate) Hz")
        }
    }

    private func run(_ packet: ArraySlice<UInt8>?, samples: Int, fec: Bool,
                     into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        guard output.count >= samples * channels, let out = output.baseAddress else {
            throw .bufferTooSmall(needed: samples * channels, available: output.count)
        }
        let n: Int32
        if let packet {
            n = packet.withUnsafeBufferPointer {
                opus_decode(state, $0.baseAddress, Int32($0.count), out, Int32(samples), fec ? 1 : 0)
            }
        } else {
            n = opus_decode(state, nil, 0, out, Int32(samples), 0)
        }
        guard n >= 0 else { throw .opus(n) }
        return Int(n)
    }
}

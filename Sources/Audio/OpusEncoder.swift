internal import COpus

/// An Opus encoder over libopus (`opus_encoder_create` / `opus_encode`), PCM16 interleaved in.
///
/// Settings go through typed setters (each wraps one `opus_encoder_ctl` request via the COpus
/// shim). Encoding writes into a caller-provided buffer and returns the byte count, so a steady
/// stream allocates nothing. One owner at a time: it is a reference to mutable C state.
public final class OpusEncoder {
    public let sampleRate: Int
    public let channels: Int
    public let application: OpusApplication
    /// The settings last applied.
    public private(set) var configuration: OpusEncoderConfiguration
    private let state: OpaquePointer

    /// Creates an encoder (`opus_encoder_create`) and applies `configuration`.
    public init(sampleRate: Int = 48_000, channels: Int = 1, application: OpusApplication = .voip,
                configuration: OpusEncoderConfiguration = .init()) throws(AudioCodecError) {
        try OpusFormat.validate(sampleRate: sampleRate, channels: channels)
        try configuration.validate()
        var error: Int32 = OPUS_OK
        guard let s = opus_encoder_create(Int32(sampleRate), Int32(channels), application.rawValue, &error), error == OPUS_OK else {
            throw .opus(error)
        }
        state = s
        self.sampleRate = sampleRate
        self.channels = channels
        self.application = application
        self.configuration = configuration
        do { try apply(configuration) } catch { opus_encoder_destroy(s); throw error }
    }

    deinit { opus_encoder_destroy(state) }

    /// The largest packet `encode` can produce; size output buffers with it.
    public static let maxPacketBytes = OpusFormat.maxPacketBytes

    /// Applies every setting in `configuration` (one `opus_encoder_ctl` request each).
    public func apply(_ configuration: OpusEncoderConfiguration) throws(AudioCodecError) {
        try configuration.validate()
        try check(sr_opus_set_bitrate(state, configuration.bitrate.map { Int32($0) } ?? OPUS_AUTO))
        try check(sr_opus_set_complexity(state, Int32(configuration.complexity)))
        try check(sr_opus_set_inband_fec(state, configuration.inbandFEC ? 1 : 0))
        try check(sr_opus_set_packet_loss_perc(state, Int32(configuration.expectedPacketLossPercent)))
        try check(sr_opus_set_dtx(state, configuration.dtx ? 1 : 0))
        try check(sr_opus_set_signal(state, configuration.signal.rawValue))
        self.configuration = configuration
    }

    /// Sets the target bitrate in bits per second (`OPUS_SET_BITRATE`).
    public func setBitrate(_ bitsPerSecond: Int) throws(AudioCodecError) {
        var c = configuration; c.bitrate = bitsPerSecond; try apply(c)
    }
    /// Sets the complexity 0...10 (`OPUS_SET_COMPLEXITY`).
    public func setComplexity(_ complexity: Int) throws(AudioCodecError) {
        var c = configuration; c.complexity = complexity; try apply(c)
    }
    /// Turns in-band FEC on or off (`OPUS_SET_INBAND_FEC`).
    public func setInbandFEC(_ on: Bool) throws(AudioCodecError) {
        var c = configuration; c.inbandFEC = on; try apply(c)
    }
    /// Sets the expected packet loss in percent (`OPUS_SET_PACKET_LOSS_PERC`).
    public func setExpectedPacketLoss(percent: Int) throws(AudioCodecError) {
        var c = configuration; c.expectedPacketLossPercent = percent; try apply(c)
    }
    /// Turns discontinuous transmission on or off (`OPUS_SET_DTX`).
    public func setDTX(_ on: Bool) throws(AudioCodecError) {
        var c = configuration; c.dtx = on; try apply(c)
    }
    /// Sets the content hint (`OPUS_SET_SIGNAL`).
    public func setSignal(_ signal: OpusSignal) throws(AudioCodecError) {
        var c = configuration; c.signal = signal; try apply(c)
    }

    /// The encoder's look-ahead in samples per channel at `sampleRate` (`OPUS_GET_LOOKAHEAD`): how
    /// far decoded audio lags the input.
    public var lookahead: Int {
        var v: Int32 = 0
        // OPUS_GET_LOOKAHEAD cannot fail on a live encoder; 0 would only understate the delay.
        _ = sr_opus_get_lookahead(state, &v)
        return Int(v)
    }

    /// The bitrate the encoder is actually using (`OPUS_GET_BITRATE`), resolving "auto".
    public var effectiveBitrate: Int {
        var v: Int32 = 0
        _ = sr_opus_get_bitrate(state, &v)
        return Int(v)
    }

    /// Drops the encoder's history, keeping its settings (`OPUS_RESET_STATE`).
    public func reset() { _ = sr_opus_encoder_reset(state) }

    /// Encodes one frame of interleaved PCM16 (`opus_encode`) into `packet`; returns the packet
    /// length in bytes. The frame must be 2.5/5/10/20/40/60 ms long. With DTX on, silence yields
    /// packets of 1–2 bytes that the caller need not send.
    public func encode(_ pcm: UnsafeBufferPointer<Int16>, into packet: UnsafeMutableBufferPointer<UInt8>) throws(AudioCodecError) -> Int {
        guard pcm.count % channels == 0 else {
            throw .invalidConfiguration("\(pcm.count) samples is not a whole number of \(channels)-channel frames")
        }
        let frameSize = pcm.count / channels
        _ = try OpusFrameDuration(samples: frameSize, sampleRate: sampleRate)
        guard let input = pcm.baseAddress, let output = packet.baseAddress, packet.count > 0 else {
            throw .bufferTooSmall(needed: 1, available: packet.count)
        }
        let n = opus_encode(state, input, Int32(frameSize), output, Int32(min(packet.count, Int(Int32.max))))
        guard n >= 0 else { throw .opus(n) }
        return Int(n)
    }

    /// Encodes one frame from an array into the front of `packet` (which keeps its size; give it
    /// `OpusEncoder.maxPacketBytes` once and reuse it). Returns the packet length.
    public func encode(_ pcm: [Int16], into packet: inout [UInt8]) throws(AudioCodecError) -> Int {
        try pcm.withUnsafeBufferPointer { (input) throws(AudioCodecError) -> Int in
            try packet.withUnsafeMutableBufferPointer { (output) throws(AudioCodecError) -> Int in
                try encode(input, into: output)
            }
        }
    }

    private func check(_ status: Int32) throws(AudioCodecError) {
        guard status == OPUS_OK else { throw .opus(status) }
    }
}

/// Which G.711 law a PCMU or PCMA stream uses.
public enum G711Law: Sendable, Equatable {
    /// µ-law (PCMU, RTP payload type 0).
    case muLaw
    /// A-law (PCMA, RTP payload type 8).
    case aLaw
}

/// The sending half of G.711 for an engine at `sampleRate` (48 kHz, or 24 or 16): PCM16 in,
/// resampled to 8 kHz (`Resampler`, which keeps its filter history across frames) and companded,
/// one byte per 8 kHz sample (RFC 3551 §4.5.14). Allocates only in `init`.
public final class G711Encoder {
    public let law: G711Law
    /// The engine's PCM rate.
    public let sampleRate: Int
    /// Input samples per 8 kHz output sample.
    public let ratio: Int
    private let resampler: Resampler
    private var narrow: [Int16]

    /// `sampleRate` must be one of `G711Decoder.supportedSampleRates`.
    public init(law: G711Law, sampleRate: Int = 48_000) throws(AudioCodecError) {
        guard G711Decoder.supportedSampleRates.contains(sampleRate) else {
            throw .invalidConfiguration("G.711 at an engine rate of \(sampleRate) Hz (16, 24 or 48 kHz)")
        }
        self.law = law
        self.sampleRate = sampleRate
        ratio = sampleRate / 8_000
        // Both rates are supported resampler rates (checked above): this cannot throw.
        resampler = try! Resampler(from: sampleRate, to: 8_000)
        narrow = [Int16](repeating: 0, count: 960)
    }

    /// The encoder's delay (the resampler's filter), in 8 kHz samples.
    public var delay: Double { resampler.groupDelay }

    /// Encodes `pcm` (mono at `sampleRate`, a multiple of `ratio` samples, at most 120 ms) into
    /// `payload`; returns the byte count (`pcm.count / ratio`).
    public func encode(_ pcm: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableBufferPointer<UInt8>) throws(AudioCodecError) -> Int {
        guard pcm.count % ratio == 0, pcm.count <= narrow.count * ratio else {
            throw .invalidConfiguration("\(pcm.count) samples is not a whole number of 8 kHz samples up to 120 ms")
        }
        guard payload.count >= pcm.count / ratio else { throw .bufferTooSmall(needed: pcm.count / ratio, available: payload.count) }
        let n: Int
        do {
            n = try narrow.withUnsafeMutableBufferPointer { (out) throws(ResamplerError) -> Int in try resampler.process(pcm, into: out) }
        } catch {
            throw .invalidConfiguration("resampler: \(error)")
        }
        return narrow.withUnsafeBufferPointer { samples in
            let input = UnsafeBufferPointer(rebasing: samples[0..<n])
            switch law {
            case .muLaw: return G711.encodeMuLaw(input, into: payload)
            case .aLaw: return G711.encodeALaw(input, into: payload)
            }
        }
    }

    /// Forgets the resampler's history (a new stream).
    public func reset() { resampler.reset() }
}

/// The receiving half of G.711 for an engine at `sampleRate`, shaped for the jitter buffer:
/// expands each byte (table lookup) and resamples from 8 kHz. G.711 carries no FEC and has no codec PLC, so a
/// loss is concealed by repeating the last 10 ms of output, fading to silence over 30 ms.
public final class G711Decoder: AudioFrameDecoder {
    public let law: G711Law
    public let sampleRate: Int
    public let channels = 1
    /// Output samples per 8 kHz sample.
    public let ratio: Int
    private let resampler: Resampler
    private var narrow: [Int16]
    /// The last 10 ms of output, repeated (and faded) by `conceal` over 30 ms.
    private var history: [Int16]
    private var historyPhase = 0
    private var concealed = 0
    private let period: Int
    private let fade: Int

    /// Engine rates G.711 is resampled to and from (whole multiples of 8 kHz).
    public static let supportedSampleRates = [16_000, 24_000, 48_000]

    /// `sampleRate` must be one of `supportedSampleRates`.
    public init(law: G711Law, sampleRate: Int = 48_000) throws(AudioCodecError) {
        guard Self.supportedSampleRates.contains(sampleRate) else {
            throw .invalidConfiguration("G.711 at an engine rate of \(sampleRate) Hz (16, 24 or 48 kHz)")
        }
        self.law = law
        self.sampleRate = sampleRate
        ratio = sampleRate / 8_000
        period = sampleRate / 100
        fade = 3 * period
        // Both rates are supported resampler rates (checked above): this cannot throw.
        resampler = try! Resampler(from: 8_000, to: sampleRate)
        narrow = [Int16](repeating: 0, count: 960)
        history = [Int16](repeating: 0, count: period)
    }

    /// The decoder's delay (the resampler's filter), in samples at `sampleRate`.
    public var delay: Double { resampler.groupDelay }

    /// The longest packet accepted: 120 ms, as for Opus.
    public static let maxPayloadBytes = 960

    public func sampleCount(of packet: ArraySlice<UInt8>) throws(AudioCodecError) -> Int {
        guard !packet.isEmpty else { throw .invalidPacket("empty packet") }
        guard packet.count <= Self.maxPayloadBytes else { throw .invalidPacket("G.711 packet of \(packet.count) bytes (over 120 ms)") }
        return packet.count * ratio
    }

    public func decode(_ packet: ArraySlice<UInt8>, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        let needed = try sampleCount(of: packet)
        guard output.count >= needed else { throw .bufferTooSmall(needed: needed, available: output.count) }
        narrow.withUnsafeMutableBufferPointer { out in
            packet.withUnsafeBufferPointer { bytes in
                switch law {
                case .muLaw: _ = G711.decodeMuLaw(bytes, into: out)
                case .aLaw: _ = G711.decodeALaw(bytes, into: out)
                }
            }
        }
        let n: Int
        do {
            n = try narrow.withUnsafeBufferPointer { (samples) throws(ResamplerError) -> Int in
                try resampler.process(UnsafeBufferPointer(rebasing: samples[0..<packet.count]), into: output)
            }
        } catch {
            throw .bufferTooSmall(needed: needed, available: output.count)
        }
        remember(UnsafeBufferPointer(output), count: n)
        concealed = 0
        return n
    }

    /// No FEC in G.711: conceals instead.
    public func decodeFEC(from nextPacket: ArraySlice<UInt8>, samples: Int,
                          into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        try conceal(samples: samples, into: output)
    }

    public func conceal(samples: Int, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        guard samples > 0 else { throw .invalidConfiguration("\(samples) samples to conceal") }
        guard output.count >= samples else { throw .bufferTooSmall(needed: samples, available: output.count) }
        for i in 0..<samples {
            let gain = max(0, fade - concealed)
            output[i] = Int16(Int(history[historyPhase]) * gain / fade)
            historyPhase = (historyPhase + 1) % period
            concealed += 1
        }
        return samples
    }

    public func reset() {
        resampler.reset()
        for i in history.indices { history[i] = 0 }
        historyPhase = 0
        concealed = 0
    }

    /// Keeps the last `period` samples of `output[0..<count]`, ready to repeat from their start.
    private func remember(_ output: UnsafeBufferPointer<Int16>, count: Int) {
        if count >= period {
            for i in 0..<period { history[i] = output[count - period + i] }
        } else {
            // Shift the older history left and append the short frame.
            for i in 0..<(period - count) { history[i] = history[i + count] }
            for i in 0..<count { history[period - count + i] = output[i] }
        }
        historyPhase = 0
    }
}

import MediaCore

/// Decides, frame by frame, which captured frames a DTX sender leaves out (RFC 7587 §3.1.3).
///
/// libopus 1.3 only leaves frames out in SILK and hybrid modes: in CELT-only mode (our
/// restricted-low-delay default) `OPUS_SET_DTX` changes nothing. So the gate works on the PCM
/// before the encoder, which also saves the encoding: a frame whose peak stays within
/// `silencePeak` (−60 dBFS: inaudible) is silent. After `hangover` of silence (sent, so the
/// receiver's decoder has faded to silence and the talk-spurt's tail is whole) silent frames
/// are left out, except one every `keepAlive` that tells the receiver the stream is alive, as
/// Opus's own comfort-noise updates do. The encoder's history then holds silence too, so the
/// first frame of the next talk-spurt encodes as if nothing had been skipped.
public struct DTXGate: Sendable {
    public static let silencePeak: Int16 = 32
    public static let hangover = Duration.milliseconds(200)
    public static let keepAlive = Duration.milliseconds(400)

    /// Consecutive silent audio so far, in samples at the capture rate.
    private var silentSamples = 0
    /// Silent samples since the last frame sent after the hangover.
    private var sinceKeepAlive = 0
    private let hangoverSamples: Int
    private let keepAliveSamples: Int

    public init(sampleRate: Int) {
        hangoverSamples = sampleRate * Int(Self.hangover.nanoseconds / 1_000_000) / 1000
        keepAliveSamples = sampleRate * Int(Self.keepAlive.nanoseconds / 1_000_000) / 1000
    }

    /// True when `frame` must be sent; false when it may be left out.
    public mutating func admits(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        guard Self.isSilent(frame) else {
            silentSamples = 0
            sinceKeepAlive = 0
            return true
        }
        silentSamples += frame.count
        if silentSamples <= hangoverSamples { return true }
        sinceKeepAlive += frame.count
        if sinceKeepAlive >= keepAliveSamples {
            sinceKeepAlive = 0
            return true
        }
        return false
    }

    /// Every sample within ±`silencePeak`.
    static func isSilent(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        // Speech leaves at its first loud sample; silence is read once.
        for s in frame where s > silencePeak || s < -silencePeak { return false }
        return true
    }
}

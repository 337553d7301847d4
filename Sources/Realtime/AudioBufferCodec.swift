import Audio

/// Converts audio between a session's wire format (`audio/pcm` 24 kHz, `audio/pcmu`, `audio/pcma`)
/// and the 24 kHz PCM16 the engine works in. G.711 is 8 kHz, so it goes through a `Resampler`
/// (kept per direction, so a stream of appends resamples seamlessly).
final class AudioBufferCodec {
    let format: AudioFormat
    private var upsampler: Resampler?
    private var downsampler: Resampler?

    init(format: AudioFormat) {
        self.format = format
        if format != .pcm24k {
            // 8 kHz ↔ 24 kHz are both supported rates; a failure would be a broken Resampler invariant.
            upsampler = try? Resampler(from: 8_000, to: RealtimeAudio.sampleRate)
            downsampler = try? Resampler(from: RealtimeAudio.sampleRate, to: 8_000)
        }
    }

    /// Wire bytes (already base64-decoded) to 24 kHz PCM16; `invalid_value` for half a PCM sample.
    func decode(base64 text: String, param: String) throws(RealtimeProtocolError) -> [Int16] {
        switch format {
        case .pcm16: return try Base64Audio.decodePCM16(text, param: param)
        case .pcmu: return upsample(try Base64Audio.decode(text, param: param).map(G711.decodeMuLaw))
        case .pcma: return upsample(try Base64Audio.decode(text, param: param).map(G711.decodeALaw))
        }
    }

    /// 24 kHz PCM16 to base64 wire audio.
    func encode(_ samples: [Int16]) -> String {
        switch format {
        case .pcm16: return Base64Audio.encodePCM16(samples)
        case .pcmu: return Base64Audio.encode(downsample(samples).map(G711.encodeMuLaw))
        case .pcma: return Base64Audio.encode(downsample(samples).map(G711.encodeALaw))
        }
    }

    private func upsample(_ s: [Int16]) -> [Int16] { Self.run(upsampler, s) }
    private func downsample(_ s: [Int16]) -> [Int16] { Self.run(downsampler, s) }

    private static func run(_ r: Resampler?, _ s: [Int16]) -> [Int16] {
        guard let r else { return s }
        var out = [Int16](repeating: 0, count: r.outputCount(forInput: s.count))
        let n = (try? r.process(s, into: &out)) ?? 0
        return Array(out.prefix(n))
    }
}

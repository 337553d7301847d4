import Audio
import FuzzSupport
import MediaCore

/// Parses any bytes as a WAV file: a bad header must throw, never trap. What parses is converted
/// both ways and written back out, so the sample paths see hostile channel counts and lengths too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let wav = try? WAVAudio(bytes: fuzzBytes(data, size)) else { return 0 }
    _ = wav.frameCount
    _ = wav.pcm16
    _ = wav.float32
    // What we write must parse again with the same shape, plain and EXTENSIBLE.
    for extensible in [false, true] {
        guard let again = try? WAVAudio(bytes: wav.serialized(extensible: extensible)), again.channels == wav.channels,
              again.sampleRate == wav.sampleRate, again.samples.count == wav.samples.count else {
            fatalError("a serialized WAV did not parse back")  // broken invariant: a crash for libFuzzer
        }
    }
    return 0
}

runFuzzer(fuzzOne)

/// The real-time audio path: SPSC frame rings between audio threads and the network
/// (`FrameRing`), the Opus codec (`OpusEncoder`, `OpusDecoder`), the adaptive jitter buffer,
/// resampling (`Resampler`), G.711 (`G711`), WAV files (`WAVAudio`) and voice activity detection
/// (`VoiceActivityDetector`). Nothing here reads a clock or does network I/O; only the WAV file
/// helpers touch the file system.
public enum AudioModule {}

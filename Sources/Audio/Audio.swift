/// The real-time audio path: SPSC frame rings between audio threads and the network, the Opus
/// codec, the adaptive jitter buffer, resampling, G.711, WAV and voice activity detection.
public enum AudioModule {}

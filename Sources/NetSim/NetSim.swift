/// A seeded, simulated datagram link for tests and benchmarks (latency, jitter, Gilbert-Elliott
/// burst loss, reordering, duplication, scripted delay spikes), driven in virtual time: nothing
/// here reads a clock, so every run with the same seed is identical.
public enum NetSimModule {}

/// A seeded, simulated datagram link for tests and benchmarks (latency, jitter, burst loss,
/// reordering, duplication), driven in virtual time.
public enum NetSimModule {}

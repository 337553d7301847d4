/// Placeholder until this suite is written; it reports that nothing was measured.
func jitterSuite() -> BenchSuite {
    BenchSuite(name: "jitter", summary: "adaptive jitter buffer against a fixed 4-packet buffer on NetSim traces") { _ in print("  (not measured yet)") }
}

/// Placeholder until this suite is written; it reports that nothing was measured.
func opusSuite() -> BenchSuite {
    BenchSuite(name: "opus", summary: "Opus encode/decode and wrapper overhead against direct C calls") { _ in print("  (not measured yet)") }
}

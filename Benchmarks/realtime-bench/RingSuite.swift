/// Placeholder until this suite is written; it reports that nothing was measured.
func ringSuite() -> BenchSuite {
    BenchSuite(name: "ring", summary: "SPSC frame ring against a Mutex queue") { _ in print("  (not measured yet)") }
}

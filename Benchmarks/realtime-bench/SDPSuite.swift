/// Placeholder until this suite is written; it reports that nothing was measured.
func sdpSuite() -> BenchSuite {
    BenchSuite(name: "sdp", summary: "SDP parse and negotiation") { _ in print("  (not measured yet)") }
}

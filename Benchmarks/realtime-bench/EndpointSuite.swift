/// Endpoint turn latency and capacity (placeholder until built).
func endpointSuite() -> BenchSuite {
    BenchSuite(name: "endpoint", summary: "end of turn to first output audio; concurrent WebRTC sessions") { _ in }
}

/// Placeholder until this suite is written; it reports that nothing was measured.
func rtpSuite() -> BenchSuite {
    BenchSuite(name: "rtp", summary: "RTP/RTCP/STUN codecs") { _ in print("  (not measured yet)") }
}

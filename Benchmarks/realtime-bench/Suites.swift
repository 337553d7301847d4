/// Every suite, in report order. Each lives in its own `*Suite.swift` file.
func benchSuites() -> [BenchSuite] {
    [ringSuite(), opusSuite(), jitterSuite(), rtpSuite(), sdpSuite(), srtpSuite(), transportSuite(), dataChannelSuite(), endpointSuite(), clientSuite()]
}

/// Every suite, in report order. Each lives in its own `*Suite.swift` file. Capacity runs after
/// transport, whose aiortc CPU figure it puts on its chart.
func benchSuites() -> [BenchSuite] {
    [ringSuite(), opusSuite(), resamplerSuite(), jitterSuite(), rtpSuite(), sdpSuite(), srtpSuite(), transportSuite(), dataChannelSuite(),
     capacitySuite(), endpointSuite(), clientSuite()]
}

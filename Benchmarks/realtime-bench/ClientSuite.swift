/// Client set-up and round trip (placeholder until built).
func clientSuite() -> BenchSuite {
    BenchSuite(name: "client", summary: "client set-up to session.created; end of speech to first reply audio") { _ in }
}

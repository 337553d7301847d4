import Testing
@testable import Audio

@Test func moduleLinks() { _ = AudioModule.self }

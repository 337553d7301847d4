import Testing
@testable import RTP

@Test func moduleLinks() { _ = RTPModule.self }

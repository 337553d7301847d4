import Testing
@testable import STUN

@Test func moduleLinks() { _ = STUNModule.self }

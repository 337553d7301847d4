import Testing
@testable import SDP

@Test func moduleLinks() { _ = SDPModule.self }

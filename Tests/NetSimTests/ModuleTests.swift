import Testing
@testable import NetSim

@Test func moduleLinks() { _ = NetSimModule.self }

import Testing
@testable import DCEP

@Test func moduleLinks() { _ = DCEPModule.self }

import DCEP
import MediaCore
import Testing
@testable import SCTP

@Suite struct AssociationSetupTests {
    @Test func bothSidesConnectAndTheAssociationComesUp() throws {
        let pair = try SCTPPair()
        pair.establish()
        #expect(pair.established)
        #expect(pair.client.state == .established && pair.server.state == .established)
    }
}

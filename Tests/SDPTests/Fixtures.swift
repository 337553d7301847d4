import Foundation
import MediaCore
@testable import SDP

/// The SDP fixtures in Tests/SDPTests/Fixtures (see its README for where each came from).
enum Fixture: String, CaseIterable, CustomStringConvertible {
    case chromiumOffer = "chromium-offer"
    case chromiumAnswer = "chromium-answer"
    case aiortcOffer = "aiortc-offer"
    case aiortcAnswer = "aiortc-answer"
    case firefoxOffer = "firefox-offer"
    case pionOffer = "pion-offer"
    case pionLegacyLF = "pion-legacy-lf"
    case openAIAnswer = "openai-ga-answer"

    var description: String { rawValue }

    var bytes: [UInt8] {
        let url = Bundle.module.url(forResource: rawValue, withExtension: "sdp", subdirectory: "Fixtures")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(rawValue).sdp")
        // A missing fixture is a broken checkout, not an input case.
        return [UInt8]((try? Data(contentsOf: url)) ?? Data())
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    func parsed() throws -> SessionDescription { try SessionDescription(parsing: bytes[...]) }

    static let offers: [Fixture] = [.chromiumOffer, .aiortcOffer, .firefoxOffer, .pionOffer]
}

/// A fixed set of local parameters with a 127.0.0.1 host candidate.
func testLocal(setup: SetupRole = .active, direction: MediaDirection = .sendrecv) -> LocalParameters {
    LocalParameters(
        iceUfrag: "sWft", icePwd: "0123456789abcdefABCDEF",
        fingerprints: [Fingerprint(hashFunction: .sha256, digest: (0..<32).map { UInt8($0 * 7 & 0xFF) })],
        candidates: [ICECandidate(foundation: "1", component: 1, transport: "udp", priority: 2_130_706_431,
                                  address: "127.0.0.1", port: 50000, type: .host)],
        ssrc: 0x1234_5678, cname: "swift-realtime", msid: MSID(streamID: "stream", trackID: "audio"),
        audioDirection: direction, answererSetup: setup, sessionID: 4_242_424_242)
}


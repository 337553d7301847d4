import Testing
import MediaCore
@testable import SDP

/// Seeded random mutations of every fixture: the parser, the typed views and the negotiator must
/// throw or succeed on any bytes, and whatever parses must serialize back to the same bytes.
@Suite struct SDPMutationTests {
    static let alphabet: [UInt8] = Array(" =:/;\r\n\t0123456789aemvcotsAMX-*.\u{7F}".utf8) + [0, 0xC3, 0xFF]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            guard !bytes.isEmpty else { bytes.append(alphabet.randomElement(using: &rng)!); continue }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[i] = alphabet.randomElement(using: &rng)!
            case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
            case 2: bytes.remove(at: i)
            case 3: bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            case 4:  // duplicate a chunk (repeats lines and attributes)
                let end = min(bytes.count, i + Int.random(in: 1...80, using: &rng))
                bytes.insert(contentsOf: bytes[i..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            default: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...40, using: &rng)))
            }
        }
        return bytes
    }

    @Test func fiveThousandMutatedFixturesNeverTrap() throws {
        var rng = SplitMix64(seed: 0x5D9_2026)
        let inputs = Fixture.allCases.map(\.bytes)
        let negotiator = OfferAnswerNegotiator(local: testLocal())
        let ourOffer = negotiator.makeOffer()
        var parsedCount = 0
        for round in 0..<5000 {
            let input = Self.mutate(inputs[round % inputs.count], using: &rng)
            guard let sdp = try? SessionDescription(parsing: input[...]) else { continue }
            parsedCount += 1
            var w = ByteWriter()
            sdp.serialize(into: &w)
            #expect(w.bytes == input, "round \(round)")
            #expect(try SessionDescription(parsing: w.bytes[...]) == sdp)
            for i in sdp.mediaSections.indices {
                let s = sdp.mediaSections[i]
                _ = try? sdp.transport(forSection: i)
                _ = try? s.rtpMaps
                _ = try? s.candidates
                _ = try? s.extMaps
                _ = try? s.ssrcAttributes
                _ = try? s.sctpPort
            }
            _ = try? negotiator.makeAnswer(to: sdp)
            _ = try? negotiator.acceptAnswer(sdp, toOffer: ourOffer)
        }
        // The mutations are small: many inputs must still parse, or the loop tests nothing.
        #expect(parsedCount > 500)
    }
}

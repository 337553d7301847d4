import Testing
@testable import Audio

@Suite struct G711Tests {
    @Test func silenceHasTheStandardCodes() {
        #expect(G711.encodeMuLaw(0) == 0xFF)
        #expect(G711.decodeMuLaw(0xFF) == 0)
        #expect(G711.decodeMuLaw(0x7F) == 0)  // µ-law's "negative zero"
        #expect(G711.encodeALaw(0) == 0xD5)
        #expect(G711.decodeALaw(0xD5) == 8)   // A-law has no zero: the smallest step's midpoint
        #expect(G711.encodeALaw(-1) == 0x55)
        #expect(G711.decodeALaw(0x55) == -8)
    }

    @Test func fullScaleMapsToTheLargestCodes() {
        #expect(G711.encodeMuLaw(.max) == 0x80)
        #expect(G711.encodeMuLaw(.min) == 0x00)
        #expect(G711.decodeMuLaw(0x80) == 32_124)
        #expect(G711.decodeMuLaw(0x00) == -32_124)
        #expect(G711.encodeALaw(.max) == 0xAA)
        #expect(G711.encodeALaw(.min) == 0x2A)
        #expect(G711.decodeALaw(0xAA) == 32_256)
        #expect(G711.decodeALaw(0x2A) == -32_256)
    }

    @Test func everyCodeDecodesAndReencodesToItself() {
        for byte in UInt8.min...UInt8.max {
            // µ-law 0x7F (−0) decodes to 0, which encodes as the canonical +0 code 0xFF.
            if byte != 0x7F { #expect(G711.encodeMuLaw(G711.decodeMuLaw(byte)) == byte) }
            #expect(G711.encodeALaw(G711.decodeALaw(byte)) == byte)
        }
    }

    @Test func decodedValuesAreMonotonicInTheCodeOrder() {
        // Positive µ-law codes 0xFF...0x80 grow in magnitude; A-law positive codes in segment order.
        let mu = (0x80...0xFF).reversed().map { G711.decodeMuLaw(UInt8($0)) }
        #expect(zip(mu, mu.dropFirst()).allSatisfy { $0 < $1 })
        let a = (0...127).map { G711.decodeALaw(UInt8($0) ^ 0xD5) }
        #expect(zip(a, a.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func roundTripErrorStaysWithinHalfAQuantizationStep() {
        // Step sizes double per segment: µ-law from 8 (near zero, 16-bit scale) to 1024; A-law
        // from 16 to 1024. The error is at most half a step except where the top segment clips.
        for value in stride(from: Int(Int16.min), through: Int(Int16.max), by: 7) {
            let x = Int16(value)
            let mu = Int(G711.decodeMuLaw(G711.encodeMuLaw(x)))
            let a = Int(G711.decodeALaw(G711.encodeALaw(x)))
            let magnitude = abs(value)
            let muBound = magnitude > 32_124 ? magnitude - 32_124 + 1 : max(4, (magnitude + 132) / 32 + 1)
            let aBound = magnitude > 32_256 ? magnitude - 32_256 + 1 : max(8, magnitude / 32 + 1)
            #expect(abs(mu - value) <= muBound, "µ-law \(value) → \(mu)")
            #expect(abs(a - value) <= aBound, "A-law \(value) → \(a)")
        }
    }

    @Test func bufferConversionsMatchTheSampleFunctions() {
        let input: [Int16] = [0, 1, -1, 100, -100, 1_000, -1_000, 12_345, -12_345, .max, .min]
        var mu = [UInt8](repeating: 0, count: input.count), a = mu
        var back = [Int16](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in
            #expect(mu.withUnsafeMutableBufferPointer { G711.encodeMuLaw(src, into: $0) } == input.count)
            #expect(a.withUnsafeMutableBufferPointer { G711.encodeALaw(src, into: $0) } == input.count)
        }
        #expect(mu == input.map(G711.encodeMuLaw))
        #expect(a == input.map(G711.encodeALaw))
        mu.withUnsafeBufferPointer { src in _ = back.withUnsafeMutableBufferPointer { G711.decodeMuLaw(src, into: $0) } }
        #expect(back == mu.map(G711.decodeMuLaw))
        a.withUnsafeBufferPointer { src in _ = back.withUnsafeMutableBufferPointer { G711.decodeALaw(src, into: $0) } }
        #expect(back == a.map(G711.decodeALaw))
    }
}

import Foundation
import Testing
import TestSupport
@testable import Audio

@Suite struct G711CodecTests {
    /// 48 kHz in, 8 kHz G.711 on the wire, 48 kHz out: a telephone-band chirp survives both laws.
    @Test(arguments: [G711Law.muLaw, .aLaw])
    func telephoneBandChirpSurvivesTheRoundTrip(law: G711Law) throws {
        let encoder = try G711Encoder(law: law)
        let decoder = try G711Decoder(law: law)
        let signal = chirp(count: 48_000, f0: 300, f1: 3_300)
        var payload = [UInt8](repeating: 0, count: 160)
        var out = [Int16](repeating: 0, count: 960)
        var heard: [Int16] = []
        for start in stride(from: 0, to: signal.count, by: 960) {
            let n = try signal[start..<start + 960].withUnsafeBufferPointer { pcm in
                try payload.withUnsafeMutableBufferPointer { try encoder.encode(pcm, into: $0) }
            }
            #expect(n == 160)
            #expect(try decoder.sampleCount(of: payload[...]) == 960)
            let m = try out.withUnsafeMutableBufferPointer { try decoder.decode(payload[...], into: $0) }
            #expect(m == 960)
            heard += out
        }
        let match = bestAlignment(sent: signal, received: heard, maxLag: 480, window: 4_800..<43_200)
        #expect(match.correlation > 0.95, "correlation \(match.correlation) at lag \(match.lag)")
        // The delay is the two resampling filters' and nothing else.
        let expected = encoder.delay * Double(encoder.ratio) + decoder.delay
        #expect(abs(Double(match.lag) - expected) <= 2, "lag \(match.lag), filters \(expected)")
    }

    /// G.711 has no PLC of its own: concealment repeats the last output and fades to silence.
    @Test func concealmentRepeatsThenFadesToSilence() throws {
        let encoder = try G711Encoder(law: .muLaw)
        let decoder = try G711Decoder(law: .muLaw)
        let tone = (0..<960).map { Int16(8_000 * sin(Double($0) * 2 * .pi * 400 / 48_000)) }
        var payload = [UInt8](repeating: 0, count: 160)
        var out = [Int16](repeating: 0, count: 4_800)
        for _ in 0..<3 {
            _ = try tone.withUnsafeBufferPointer { pcm in try payload.withUnsafeMutableBufferPointer { try encoder.encode(pcm, into: $0) } }
            _ = try out.withUnsafeMutableBufferPointer { try decoder.decode(payload[...], into: $0) }
        }
        let n = try out.withUnsafeMutableBufferPointer { try decoder.conceal(samples: 2_400, into: $0) }
        #expect(n == 2_400)
        let early = out[0..<240].map { abs(Int($0)) }.max() ?? 0
        let late = out[1_440..<2_400].map { abs(Int($0)) }.max() ?? 0
        #expect(early > 4_000, "the first concealed samples continue the tone")
        #expect(late == 0, "after 30 ms concealment is silent")
    }

    /// Payloads from the network that cannot be G.711 frames are typed errors, not traps.
    @Test func emptyOrOversizedPayloadsAreRejected() throws {
        let decoder = try G711Decoder(law: .aLaw)
        var out = [Int16](repeating: 0, count: 10_000)
        #expect(throws: AudioCodecError.self) { try decoder.sampleCount(of: [][...]) }
        #expect(throws: AudioCodecError.self) { try decoder.sampleCount(of: [UInt8](repeating: 0xD5, count: 1_000)[...]) }
        #expect(throws: AudioCodecError.self) {
            _ = try out.withUnsafeMutableBufferPointer { try decoder.decode([UInt8](repeating: 0xD5, count: 1_000)[...], into: $0) }
        }
        let encoder = try G711Encoder(law: .aLaw)
        var payload = [UInt8](repeating: 0, count: 200)
        #expect(throws: AudioCodecError.self) {
            _ = try [Int16](repeating: 0, count: 7).withUnsafeBufferPointer { pcm in
                try payload.withUnsafeMutableBufferPointer { try encoder.encode(pcm, into: $0) }
            }
        }
    }

    /// A 24 kHz engine (the Realtime endpoint's rate): 3 samples per G.711 byte, and the chirp
    /// still survives; rates that are not a whole multiple of 8 kHz are refused.
    @Test func aTwentyFourKilohertzEngineRoundTripsAndOddRatesAreRefused() throws {
        let encoder = try G711Encoder(law: .muLaw, sampleRate: 24_000)
        let decoder = try G711Decoder(law: .muLaw, sampleRate: 24_000)
        #expect(encoder.ratio == 3 && decoder.ratio == 3)
        let signal = chirp(count: 24_000, f0: 300, f1: 3_300, sampleRate: 24_000)
        var payload = [UInt8](repeating: 0, count: 160)
        var out = [Int16](repeating: 0, count: 480)
        var heard: [Int16] = []
        for start in stride(from: 0, to: signal.count, by: 480) {
            let n = try signal[start..<start + 480].withUnsafeBufferPointer { pcm in
                try payload.withUnsafeMutableBufferPointer { try encoder.encode(pcm, into: $0) }
            }
            #expect(n == 160)
            #expect(try out.withUnsafeMutableBufferPointer { try decoder.decode(payload[...], into: $0) } == 480)
            heard += out
        }
        let match = bestAlignment(sent: signal, received: heard, maxLag: 240, window: 2_400..<21_600)
        #expect(match.correlation > 0.95, "correlation \(match.correlation) at lag \(match.lag)")
        #expect(throws: AudioCodecError.self) { try G711Encoder(law: .aLaw, sampleRate: 44_100) }
        #expect(throws: AudioCodecError.self) { try G711Decoder(law: .aLaw, sampleRate: 12_000) }
    }
}

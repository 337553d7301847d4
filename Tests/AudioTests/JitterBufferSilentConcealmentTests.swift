import Glibc
import Testing
import MediaCore
@testable import Audio

/// Real Opus, counting the PLC calls the jitter buffer makes.
private struct CountingOpusDecoder: AudioFrameDecoder {
    var opus: OpusDecoder
    var concealCalls = 0
    var sampleRate: Int { opus.sampleRate }
    var channels: Int { opus.channels }
    mutating func decode(_ packet: ArraySlice<UInt8>, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        try opus.decode(packet, into: output)
    }
    mutating func decodeFEC(from nextPacket: ArraySlice<UInt8>, samples: Int, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        try opus.decodeFEC(from: nextPacket, samples: samples, into: output)
    }
    mutating func conceal(samples: Int, into output: UnsafeMutableBufferPointer<Int16>) throws(AudioCodecError) -> Int {
        concealCalls += 1
        return try opus.conceal(samples: samples, into: output)
    }
    func sampleCount(of packet: ArraySlice<UInt8>) throws(AudioCodecError) -> Int { try opus.sampleCount(of: packet) }
    mutating func reset() { opus.reset() }
}

/// A DTX sender stops sending after silence: the gap is played as silence without the decoder's
/// PLC (which would cost a decode per tick and give silence anyway), while a gap after speech
/// is still concealed by the codec.
@Suite struct JitterBufferSilentConcealmentTests {
    /// 20 ms packets of `pcm` at 20 ms intervals from `start`, then nothing; 600 ms of pulls.
    private func play(_ frames: [[Int16]], configuration: JitterBufferConfiguration = .init()) throws
        -> (out: [Int16], plc: Int, concealed: Int, silent: Int) {
        let encoder = try OpusEncoder(sampleRate: 48_000, channels: 1, application: .restrictedLowDelay)
        var jb = JitterBuffer(decoder: CountingOpusDecoder(opus: try OpusDecoder(sampleRate: 48_000, channels: 1)), configuration: configuration)
        var packet = [UInt8](repeating: 0, count: OpusEncoder.maxPacketBytes)
        var out: [Int16] = [], tick = [Int16](repeating: 0, count: 480)
        let t0 = Instant.zero + .seconds(1)
        for step in 0..<60 {
            let now = t0 + .milliseconds(10 * step)
            if step % 2 == 0, step / 2 < frames.count {
                let f = step / 2
                let n = try frames[f].withUnsafeBufferPointer { pcm in
                    try packet.withUnsafeMutableBufferPointer { try encoder.encode(pcm, into: $0) }
                }
                jb.insert(sequenceNumber: SequenceNumber(UInt16(f)), timestamp: RTPTimestamp(UInt32(f * 960)),
                          payload: Array(packet[..<n]), at: now)
            }
            tick.withUnsafeMutableBufferPointer { jb.pull(at: now, into: $0) }
            out += tick
        }
        return (out, jb.decoder.concealCalls, jb.statistics.concealedSamples, jb.statistics.silentConcealedSamples)
    }

    @Test func aGapAfterSilenceIsSilenceWithoutPLC() throws {
        let r = try play([[Int16]](repeating: [Int16](repeating: 0, count: 960), count: 10))
        #expect(r.concealed > 48_000 / 10, "the gap was concealed: \(r.concealed) samples")
        #expect(r.plc == 0)
        #expect(r.out.allSatisfy { $0 == 0 })
        // getStats counts it as concealment, and as silent concealment.
        #expect(r.silent == r.concealed)
    }

    @Test func aGapAfterSpeechIsConcealedByTheCodec() throws {
        let tone: [Int16] = (0..<9_600).map { (n: Int) -> Int16 in Int16(8_000 * sin(2 * Double.pi * 440 * Double(n) / 48_000)) }
        let frames = (0..<10).map { Array(tone[($0 * 960)..<(($0 + 1) * 960)]) }
        let speech = try play(frames)
        #expect(speech.plc > 0)
        // The codec's PLC after speech is concealment, not silent concealment.
        #expect(speech.concealed > 0 && speech.silent == 0)
        var always = JitterBufferConfiguration()
        always.silentConcealmentPeak = nil
        #expect(try play([[Int16]](repeating: [Int16](repeating: 0, count: 960), count: 10), configuration: always).plc > 0)
    }
}

import Audio
import FuzzSupport
import MediaCore

/// Hostile Opus payloads: `OpusDecoder.sampleCount`, `decode`, `decodeFEC` and `conceal` on any
/// bytes must throw or succeed, never trap; then a `JitterBuffer` is fed packets built from the
/// same bytes (fuzzed sequence and timestamp steps, arrival gaps, payloads) and pulled every tick.
///
/// Input layout for the jitter-buffer part, repeated until the bytes run out:
///   u8 control   bits 0-2 sequence step (-2...+5), bits 3-5 timestamp step in 10 ms (-2...+5),
///                bit 6 adds a 30 000 jump to both, bit 7 pulls a tick before inserting
///   u8 arrival   milliseconds since the previous packet
///   u8 length    then `length` payload bytes (fewer if the input ends)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let decoder = try? OpusDecoder(), let bufferDecoder = try? OpusDecoder() else { return 0 }
    var pcm = [Int16](repeating: 0, count: decoder.maxFrameSamples * decoder.channels)

    // The whole input as one packet.
    let whole = bytes[...]
    if let n = try? decoder.sampleCount(of: whole) {
        let decoded = pcm.withUnsafeMutableBufferPointer { out in try? decoder.decode(whole, into: out) }
        // A decodable packet yields exactly the samples its TOC announces.
        if let decoded, decoded != n { fatalError("decode gave \(decoded) samples, sampleCount said \(n)") }
    }
    let fecSamples = bytes.first.map { Int($0) * 120 } ?? 960
    _ = pcm.withUnsafeMutableBufferPointer { out in try? decoder.decodeFEC(from: whole, samples: fecSamples, into: out) }
    _ = pcm.withUnsafeMutableBufferPointer { out in try? decoder.conceal(samples: fecSamples, into: out) }

    // The input as a packet stream into a jitter buffer.
    var jb = JitterBuffer(decoder: bufferDecoder)
    var tick = [Int16](repeating: 0, count: jb.samplesPerTick * jb.channels)
    var r = ByteReader(bytes)
    var seq: UInt16 = 1_000
    var ts: UInt32 = 50_000
    var now = Instant.zero
    var nextTick = Instant.zero
    func pullDue() {
        while nextTick <= now {
            jb.pull(at: nextTick, into: &tick)
            if tick.count != jb.samplesPerTick * jb.channels { fatalError("pull must write exactly one tick") }
            nextTick = nextTick + .milliseconds(10)
        }
    }
    while let control = try? r.readUInt8() {
        let gap = (try? r.readUInt8()) ?? 0
        let length = Int((try? r.readUInt8()) ?? 0)
        let payload = Array((try? r.readBytes(min(length, r.remaining))) ?? [])
        var seqStep = Int(control & 0x7) - 2
        var tsStep = (Int(control >> 3 & 0x7) - 2) * 480
        if control & 0x40 != 0 { seqStep += 30_000; tsStep += 30_000 }
        seq = seq &+ UInt16(truncatingIfNeeded: seqStep)
        ts = ts &+ UInt32(truncatingIfNeeded: tsStep)
        now = now + .milliseconds(Int(gap))
        if control & 0x80 != 0 { pullDue() }
        jb.insert(sequenceNumber: SequenceNumber(seq), timestamp: RTPTimestamp(ts), payload: payload, at: now)
    }
    // Drain: keep ticking a while after the last packet.
    now = now + .milliseconds(300)
    pullDue()
    return 0
}

runFuzzer(fuzzOne)

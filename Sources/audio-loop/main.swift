// audio-loop: a test signal → real Opus → NetSim → adaptive jitter buffer → WAV, in virtual time,
// with one line of statistics. Argument parsing and wiring only; the parts live in the modules.
import Audio
import Foundation
import MediaCore
import NetSim

struct SimPacket: Sendable {
    var seq: SequenceNumber
    var ts: RTPTimestamp
    var payload: [UInt8]
}

let args: Arguments
switch Arguments.parse(Array(CommandLine.arguments.dropFirst())) {
case let .success(a): args = a
case let .failure(e):
    FileHandle.standardError.write(Data((e.message + "\n").utf8))
    exit(2)
}

do {
    let frame = 48 * args.ptimeMs
    let encoder = try OpusEncoder(configuration: OpusEncoderConfiguration(
        bitrate: 32_000, complexity: 5, inbandFEC: true, expectedPacketLossPercent: 10))
    var buffer = JitterBuffer(decoder: try OpusDecoder())
    var link = SimulatedLink<SimPacket>(profile: args.preset, seed: args.seed)
    let loop = VirtualTimeLoop(duration: .seconds(args.seconds), sendInterval: .milliseconds(args.ptimeMs),
                               senderStart: .zero + .microseconds(3_300))
    var pcm = [Int16](repeating: 0, count: frame)
    var packet = [UInt8](repeating: 0, count: OpusEncoder.maxPacketBytes)
    var tick = [Int16](repeating: 0, count: buffer.samplesPerTick)
    var output: [Int16] = []
    output.reserveCapacity(48_000 * args.seconds)
    var encodeFailures = 0
    loop.run(link: &link, makePacket: { i, _ in
        for k in 0..<frame { pcm[k] = TestSignal.sample(i * frame + k) }
        guard let n = try? encoder.encode(pcm, into: &packet) else { encodeFailures += 1; return nil }
        return SimPacket(seq: SequenceNumber(UInt16(truncatingIfNeeded: 7_000 + i)),
                         ts: RTPTimestamp(UInt32(truncatingIfNeeded: 90_000 + i * frame)),
                         payload: Array(packet[0..<n]))
    }, deliver: { arrival, p in
        buffer.insert(sequenceNumber: p.seq, timestamp: p.ts, payload: p.payload, at: arrival)
    }, tick: { now in
        buffer.pull(at: now, into: &tick)
        output += tick
    })
    try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(output)).write(to: args.output)

    let s = buffer.statistics
    let l = link.statistics
    func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    print("audio-loop \(args.presetName) \(args.seconds)s ptime \(args.ptimeMs)ms: "
        + "loss \(f(100 * l.lossRate))% (sent \(l.sent), reordered \(l.reordered), dup \(l.duplicated)), "
        + "jb delay \(f(1_000 * s.meanJitterBufferDelay)) ms, target \(f(1_000 * s.meanTargetDelay)) ms, "
        + "concealed \(f(100 * s.concealedRatio, 2))% (\(s.concealmentEvents) events), fec \(s.fecDecodes), "
        + "accelerate \(s.accelerates) (-\(f(Double(s.removedSamplesForAcceleration) / 48)) ms), "
        + "preemptive \(s.preemptiveExpands) (+\(f(Double(s.insertedSamplesForDeceleration) / 48)) ms), "
        + "expand \(s.expands), merge \(s.merges), late \(s.packetsLate), dup \(s.packetsDuplicated) -> \(args.output)")
    if encodeFailures > 0 { print("warning: \(encodeFailures) frames failed to encode") }
} catch {
    FileHandle.standardError.write(Data("audio-loop: \(error)\n".utf8))
    exit(1)
}

import Audio
import COpus
import Glibc

/// A second of speech-like test audio at 48 kHz: a gliding harmonic tone under a syllable-rate
/// envelope plus a little noise, so the encoder does real work in every frame.
private func testSignal(count: Int) -> [Int16] {
    var out = [Int16](repeating: 0, count: count)
    var phase = 0.0
    var seed: UInt32 = 1
    for n in 0..<count {
        let t = Double(n) / 48_000
        phase += 2 * .pi * (150 + 80 * sin(2 * .pi * 1.3 * t)) / 48_000
        var v = 0.0
        for h in 1...8 { v += sin(Double(h) * phase) / Double(h) }
        seed = seed &* 1_103_515_245 &+ 12_345
        let noise = Double(Int32(bitPattern: seed) >> 16) / 32_768
        out[n] = Int16(6_000 * (0.6 + 0.4 * sin(2 * .pi * 4 * t)) * v + 300 * noise)
    }
    return out
}

/// A raw libopus encoder set up like the wrapper (the same-run baseline).
private func rawEncoder(complexity: Int32) -> OpaquePointer {
    var error: Int32 = 0
    let e = opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &error)!
    _ = sr_opus_set_bitrate(e, 32_000)
    _ = sr_opus_set_complexity(e, complexity)
    _ = sr_opus_set_inband_fec(e, 1)
    _ = sr_opus_set_packet_loss_perc(e, 10)
    return e
}

func opusSuite() -> BenchSuite {
    BenchSuite(name: "opus", summary: "Opus encode/decode and wrapper overhead against direct C calls") { ctx in
        let pcm = testSignal(count: 48_000)
        let packet = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: OpusEncoder.maxPacketBytes)
        packet.initialize(repeating: 0)
        let decoded = UnsafeMutableBufferPointer<Int16>.allocate(capacity: 5_760)
        decoded.initialize(repeating: 0)
        defer { packet.deallocate(); decoded.deallocate() }
        let batches = ctx.iterations(15, quick: 4)

        for (complexity, frameMs) in [(0, 20), (5, 20), (10, 20), (5, 10)] {
            let frame = 48 * frameMs
            let frames = pcm.count / frame
            let config = OpusEncoderConfiguration(bitrate: 32_000, complexity: complexity, inbandFEC: true, expectedPacketLossPercent: 10)
            guard let encoder = try? OpusEncoder(sampleRate: 48_000, channels: 1, application: .voip, configuration: config),
                  let decoder = try? OpusDecoder(sampleRate: 48_000, channels: 1) else {
                print("  opus: could not create the codec"); return
            }
            let raw = rawEncoder(complexity: Int32(complexity))
            var error: Int32 = 0
            let rawDecoder = opus_decoder_create(48_000, 1, &error)!
            defer { opus_encoder_destroy(raw); opus_decoder_destroy(rawDecoder) }

            // Packets to decode: this configuration's own output for the whole second.
            var packets: [[UInt8]] = []
            pcm.withUnsafeBufferPointer { input in
                for f in 0..<frames {
                    let slice = UnsafeBufferPointer(rebasing: input[(f * frame)..<((f + 1) * frame)])
                    let n = (try? encoder.encode(slice, into: packet)) ?? 0
                    packets.append(Array(packet[..<n]))
                }
            }
            encoder.reset()

            let enc = pcm.withUnsafeBufferPointer { input in
                timeInterleaved(batches: batches, opsPerBatch: frames, {
                    for f in 0..<frames {
                        let slice = UnsafeBufferPointer(rebasing: input[(f * frame)..<((f + 1) * frame)])
                        blackHole((try? encoder.encode(slice, into: packet)) ?? 0)
                    }
                }, {
                    for f in 0..<frames {
                        blackHole(opus_encode(raw, input.baseAddress! + f * frame, Int32(frame), packet.baseAddress!, Int32(packet.count)))
                    }
                })
            }
            let dec = timeInterleaved(batches: batches, opsPerBatch: frames, {
                for p in packets { blackHole((try? decoder.decode(p[...], into: decoded)) ?? 0) }
            }, {
                for p in packets {
                    blackHole(p.withUnsafeBufferPointer { opus_decode(rawDecoder, $0.baseAddress, Int32($0.count), decoded.baseAddress!, Int32(frame), 0) })
                }
            })
            let label = "\(frameMs) ms c\(complexity)"
            for (what, r, cName) in [("encode", enc, "opus_encode"), ("decode", dec, "opus_decode")] {
                ctx.add(BenchRow(suite: "opus", name: "\(what) \(label) (48k mono 32k FEC 10%)", unit: "µs", value: r.a.p50 / 1000,
                                 summary: scaled(r.a), baselineName: cName, baseline: r.b.p50 / 1000,
                                 target: "≤ 1.03 × C", meetsTarget: r.ratio.p50 <= 1.03,
                                 note: "paired ratio p50 \(format(r.ratio.p50))"))
            }
        }
    }
}

/// A nanosecond summary in microseconds.
private func scaled(_ s: Summary) -> Summary {
    var m = s
    m.min /= 1000; m.p50 /= 1000; m.p95 /= 1000; m.p99 /= 1000; m.max /= 1000; m.mean /= 1000
    return m
}

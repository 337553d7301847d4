import Audio
import TestSupport

/// A 48 kHz appliance's resampling against a 24 kHz Realtime session (the client over WebSocket,
/// or an endpoint call whose PeerConnection runs at 48 kHz): every 10 ms a 48 kHz frame goes
/// down to 24 kHz (speech, and the digital silence a DTX caller leaves between turns), and the
/// session's 24 kHz output comes back up to 48 kHz in 20 ms chunks. The endpoint's own calls run
/// at 24 kHz and skip both.
func resamplerSuite() -> BenchSuite {
    BenchSuite(name: "resample", summary: "48 ↔ 24 kHz resampling per 10 ms frame (a 48 kHz appliance against a 24 kHz session)") { ctx in
        let batches = ctx.iterations(100, quick: 10)
        let speech = chirp(count: 48_000, amplitude: 8_000)
        let silence = [Int16](repeating: 0, count: 48_000)
        var out = [Int16](repeating: 0, count: 4_096)
        for (label, input, quality) in [("speech", speech, Resampler.Quality.high), ("speech", speech, .voice), ("digital silence", silence, .voice)] {
            guard let down = try? Resampler(from: 48_000, to: 24_000, quality: quality) else { return }
            let frames = input.count / 480
            let s = input.withUnsafeBufferPointer { pcm in
                out.withUnsafeMutableBufferPointer { o in
                    timeBatches(batches: batches, opsPerBatch: frames) {
                        for f in 0..<frames {
                            blackHole((try? down.process(UnsafeBufferPointer(rebasing: pcm[(f * 480)..<((f + 1) * 480)]), into: o)) ?? 0)
                        }
                    }
                }
            }
            ctx.add(BenchRow(suite: "resample", name: "48 → 24 kHz, 10 ms frame, \(label), \(quality)", unit: "ns", value: s.p50, summary: s,
                             note: "\(down.tapsPerPhase) taps per output sample"))
        }
        let speech24 = chirp(count: 24_000, amplitude: 8_000)
        let chunks = speech24.count / 480
        for quality in [Resampler.Quality.high, .voice] {
        guard let up = try? Resampler(from: 24_000, to: 48_000, quality: quality) else { return }
        let s = speech24.withUnsafeBufferPointer { pcm in
            out.withUnsafeMutableBufferPointer { o in
                timeBatches(batches: batches, opsPerBatch: chunks) {
                    for c in 0..<chunks {
                        blackHole((try? up.process(UnsafeBufferPointer(rebasing: pcm[(c * 480)..<((c + 1) * 480)]), into: o)) ?? 0)
                    }
                }
            }
        }
        ctx.add(BenchRow(suite: "resample", name: "24 → 48 kHz, 20 ms chunk, speech, \(quality)", unit: "ns", value: s.p50, summary: s,
                         note: "\(up.tapsPerPhase) taps per output sample"))
        }
    }
}

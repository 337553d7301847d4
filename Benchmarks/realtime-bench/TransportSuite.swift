import Foundation
import MediaCore
import Runtime
import TestSupport

/// Call set-up phases and mouth-to-ear latency through the whole stack on 127.0.0.1, and CPU per
/// call-second; set-up also against aiortc in the same run.
func transportSuite() -> BenchSuite {
    BenchSuite(name: "transport", summary: "call set-up, mouth-to-ear and CPU per call on loopback (Swift and aiortc peers)") { ctx in
        let glib = GLibLoop()
        measureSetup(ctx, glib: glib)
        measureSetupAgainstAiortc(ctx, glib: glib)
        for ptime: UInt32 in [20, 10] { measureMouthToEar(ctx, glib: glib, ptime: ptime) }
        glib.stop()
    }
}

private func configuration(ptime: UInt32 = 20) -> PeerConnection.Configuration {
    var c = PeerConnection.Configuration()
    c.localAddresses = ["127.0.0.1"]
    c.ptime = ptime
    return c
}

private func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
    for _ in 0..<Int(seconds * 1_000) {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

private func ms(_ from: Instant?, _ to: Instant?) -> Double? {
    guard let from, let to else { return nil }
    return (to - from).milliseconds
}

/// Offer → ICE connected → DTLS connected → first decoded audio, Swift ↔ Swift.
private func measureSetup(_ ctx: BenchContext, glib: GLibLoop) {
    var gathered: [Double] = [], ice: [Double] = [], dtls: [Double] = [], audio: [Double] = []
    let calls = ctx.iterations(20, quick: 6)
    for i in 0..<(calls + 1) {
        let a = PeerConnection(configuration: configuration(), glib: glib)
        let b = PeerConnection(configuration: configuration(), glib: glib)
        let t0 = RuntimeClock.now()
        guard let offer = try? a.createOffer(), let answer = try? b.createAnswer(offer: offer),
              (try? a.setRemoteAnswer(answer)) != nil else { print("  transport: set-up failed"); return }
        guard let pa = a.takeAudioPorts(), let pb = b.takeAudioPorts() else { return }
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: chirp(count: 48_000), recordSeconds: 1)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: [], recordSeconds: 1)
        da.start(); db.start()
        _ = waitFor(seconds: 3) { b.stats()?.timeline.firstAudio != nil }
        let ta = a.stats()?.timeline, tb = b.stats()?.timeline
        da.stop(); db.stop(); a.close(); b.close()
        if i == 0 { continue }   // warm-up: certificate, contexts, first libnice sockets
        if let v = ms(t0, ta?.gathered) { gathered.append(v) }
        if let v = ms(t0, ta?.iceConnected) { ice.append(v) }
        if let v = ms(t0, ta?.dtlsConnected) { dtls.append(v) }
        if let v = ms(t0, tb?.firstAudio) { audio.append(v) }
    }
    for (name, values) in [("set-up: offer → gathered (Swift↔Swift)", gathered), ("set-up: offer → ICE connected", ice)] {
        let s = Summary(values)
        ctx.add(BenchRow(suite: "transport", name: name, unit: "ms", value: s.p50, summary: s))
    }
    let d = Summary(dtls)
    ctx.add(BenchRow(suite: "transport", name: "set-up: offer → DTLS connected", unit: "ms", value: d.p50, summary: d,
                     target: "≤ 15 p50", meetsTarget: d.p50 <= 15, note: "\(dtls.count) calls"))
    let f = Summary(audio)
    ctx.add(BenchRow(suite: "transport", name: "set-up: offer → first audio at the answerer", unit: "ms", value: f.p50, summary: f))
    swiftSetupP50 = d.p50
}

nonisolated(unsafe) private var swiftSetupP50 = Double.nan

/// The same offer → DTLS connected, with aiortc answering.
private func measureSetupAgainstAiortc(_ ctx: BenchContext, glib: GLibLoop) {
    guard let python = interopPython() else { print("  transport: no interop venv (scripts/setup.sh interop); aiortc rows skipped"); return }
    let script = packageRoot(file: #filePath).appendingPathComponent("Tests/Interop/aiortc_peer.py").path
    var dtls: [Double] = []
    let calls = ctx.iterations(10, quick: 3)
    for _ in 0..<calls {
        guard let peer = try? LineProcess(executable: python, arguments: [script, "--role", "answer", "--seconds", "0.5"]) else { return }
        usleep(1_500_000)   // let Python import aiortc before the clock starts
        let a = PeerConnection(configuration: configuration(), glib: glib)
        let t0 = RuntimeClock.now()
        guard let offer = try? a.createOffer(), (try? peer.send(["type": "offer", "sdp": offer])) != nil,
              let answer = peer.receive(seconds: 10)?["sdp"] as? String, (try? a.setRemoteAnswer(answer)) != nil else {
            peer.terminate(); a.close(); continue
        }
        _ = waitFor(seconds: 5) { a.stats()?.timeline.dtlsConnected != nil }
        if let v = ms(t0, a.stats()?.timeline.dtlsConnected) { dtls.append(v) }
        a.close(); peer.terminate()
    }
    let s = Summary(dtls)
    ctx.add(BenchRow(suite: "transport", name: "set-up: offer → DTLS connected (Swift↔aiortc)", unit: "ms", value: s.p50, summary: s,
                     baselineName: "Swift↔Swift", baseline: swiftSetupP50, note: "\(dtls.count) calls; ratio aiortc path / ours"))
}

/// PCM in at one device → PCM out at the other, through capture ring, encoder, SRTP, UDP, ICE,
/// jitter buffer, decoder and playout ring; from the lag of an injected chirp. Also CPU per
/// call-second of the whole process (two full-duplex peers).
private func measureMouthToEar(_ ctx: BenchContext, glib: GLibLoop, ptime: UInt32) {
    let a = PeerConnection(configuration: configuration(ptime: ptime), glib: glib)
    let b = PeerConnection(configuration: configuration(ptime: ptime), glib: glib)
    guard let offer = try? a.createOffer(), let answer = try? b.createAnswer(offer: offer),
          (try? a.setRemoteAnswer(answer)) != nil,
          waitFor(seconds: 3, { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil }),
          let pa = a.takeAudioPorts(), let pb = b.takeAudioPorts() else { print("  transport: call failed"); return }
    let seconds = ctx.quick ? 4 : 12
    // A 0.5 s chirp every second: each gives one mouth-to-ear sample.
    let burst = chirp(count: 24_000)
    var source: [Int16] = []
    for _ in 0..<seconds { source += burst + [Int16](repeating: 0, count: 24_000) }
    let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: source, recordSeconds: Double(seconds))
    let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: source, recordSeconds: Double(seconds) + 0.5)
    let cpu0 = processCPUNanoseconds(), wall0 = nowNanoseconds()
    da.start(); db.start()
    usleep(UInt32(seconds) * 1_000_000 + 500_000)
    let heardByB = db.stop(); da.stop()
    let cpu = Double(processCPUNanoseconds() - cpu0), wall = Double(nowNanoseconds() - wall0)
    guard let startA = da.startedAt, let startB = db.startedAt else { return }
    let offset = Double((startB - startA).nanoseconds) / 1e6
    var samples: [Double] = []
    for k in 0..<seconds {
        let start = k * 48_000
        guard start + 24_000 + 9_600 <= heardByB.count else { break }
        // Where does chirp k start in B's recording? Search 0…200 ms after it was spoken.
        let spoken = Array(source[start..<start + 24_000])
        let tail = Array(heardByB[max(0, start - Int(offset * 48))...])
        let match = segmentedMatch(sent: spoken, received: tail, maxLag: 9_600, window: 2_400..<21_600, segment: 19_200, slack: 0)
        if match.medianCorrelation > 0.5 {
            // + 10 ms: a device hands over a frame after its 10 ms were captured.
            samples.append(Double(match.lag) / 48 + 10)
        }
    }
    let jb = b.stats()?.inboundRTP
    let jbMean = jb.map { $0.jitterBufferEmittedCount > 0 ? $0.jitterBufferDelay / Double($0.jitterBufferEmittedCount) * 1_000 : .nan } ?? .nan
    let underflows = db.playoutUnderflows
    a.close(); b.close()
    let s = Summary(samples)
    let target = ptime == 20 ? 40.0 : 25.0
    ctx.add(BenchRow(suite: "transport", name: "mouth-to-ear \(ptime) ms ptime (Swift↔Swift)", unit: "ms", value: s.p50, summary: s,
                     target: "≤ \(Int(target)) p50", meetsTarget: s.p50 <= target,
                     note: "\(samples.count) chirps; jitter buffer mean \(format(jbMean)) ms; playout underflows \(underflows)"))
    if ptime == 20 {
        ctx.add(BenchRow(suite: "transport", name: "CPU per call-second (two full-duplex peers / 2)", unit: "µs",
                         value: cpu / 1_000 / (wall / 1e9) / 2, note: "whole process incl. libnice and device threads"))
    }
}

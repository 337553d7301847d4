import Foundation
import MediaCore
import Runtime
import TestSupport

/// Call set-up phases, mouth-to-ear latency through the whole stack on 127.0.0.1 and CPU per
/// call-second, each beside aiortc measured in the same run.
func transportSuite() -> BenchSuite {
    BenchSuite(name: "transport", summary: "call set-up, mouth-to-ear and CPU per call on loopback (Swift and aiortc peers)") { ctx in
        let glib = GLibLoop()
        measureSetup(ctx, glib: glib)
        measureSetupAgainstAiortc(ctx, glib: glib)
        for ptime: UInt32 in [20, 10] { measureMouthToEar(ctx, glib: glib, ptime: ptime) }
        measureEchoRoundTrips(ctx, glib: glib)
        measureCPUAgainstAiortc(ctx)
        glib.stop()
    }
}

let setupChart = ChartSpec(id: "setup-cdf", title: "Call set-up: offer → DTLS connected (loopback)",
                           xLabel: "ms", yLabel: "fraction of calls", steps: true)
let mouthToEarChart = ChartSpec(id: "mouth-to-ear-cdf", title: "Mouth-to-ear and echo round trip (loopback, 20 ms ptime unless noted)",
                                xLabel: "ms", yLabel: "fraction of chirps", steps: true)

/// Offer → gathered → ICE connected → DTLS connected → first decoded audio, Swift ↔ Swift; the
/// same offer → DTLS connected for aiortc ↔ aiortc in one Python process.
private func measureSetup(_ ctx: BenchContext, glib: GLibLoop) {
    var gathered: [Double] = [], ice: [Double] = [], dtls: [Double] = [], audio: [Double] = []
    let calls = ctx.iterations(40, quick: 8)
    for i in 0..<(calls + 1) {
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let t0 = RuntimeClock.now()
        guard let offer = try? a.createOffer(), let answer = try? b.createAnswer(offer: offer),
              (try? a.setRemoteAnswer(answer)) != nil else { print("  transport: set-up failed"); a.close(); b.close(); continue }
        guard let pa = a.takeAudioPorts(), let pb = b.takeAudioPorts() else { return }
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: chirp(count: 48_000), recordSeconds: 1)
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: [], recordSeconds: 1)
        da.start(); db.start()
        _ = waitFor(seconds: 3) { b.stats()?.timeline.firstAudio != nil }
        let ta = a.stats()?.timeline, tb = b.stats()?.timeline
        da.stop(); db.stop(); a.close(); b.close()
        if i == 0 { continue }   // warm-up: certificate, contexts, first libnice sockets
        if let v = milliseconds(t0, ta?.gathered) { gathered.append(v) }
        if let v = milliseconds(t0, ta?.iceConnected) { ice.append(v) }
        if let v = milliseconds(t0, ta?.dtlsConnected) { dtls.append(v) }
        if let v = milliseconds(t0, tb?.firstAudio) { audio.append(v) }
    }
    let peer = AiortcBench.measure(["setup", "--calls", "\(ctx.iterations(30, quick: 6))"], timeout: 120)
    let peerICE = Summary(doubles(peer, "ice_ms")), peerDTLS = Summary(doubles(peer, "dtls_ms"))
    let peerNote = peer == nil ? AiortcBench.skipped : nil

    for (name, values) in [("set-up: offer → gathered (Swift↔Swift)", gathered)] {
        let s = Summary(values)
        ctx.add(BenchRow(suite: "transport", name: name, unit: "ms", value: s.p50, summary: s))
    }
    let i = Summary(ice)
    ctx.add(BenchRow(suite: "transport", name: "set-up: offer → ICE connected (Swift↔Swift)", unit: "ms", value: i.p50, summary: i,
                     baselineName: "aiortc↔aiortc", baseline: peer == nil ? nil : peerICE.p50, note: peerNote))
    let d = Summary(dtls)
    ctx.add(BenchRow(suite: "transport", name: "set-up: offer → DTLS connected (Swift↔Swift)", unit: "ms", value: d.p50, summary: d,
                     baselineName: "aiortc↔aiortc", baseline: peer == nil ? nil : peerDTLS.p50,
                     target: "≤ 15 p50", meetsTarget: d.p50 <= 15, note: peerNote ?? "\(dtls.count) calls"))
    let f = Summary(audio)
    ctx.add(BenchRow(suite: "transport", name: "set-up: offer → first audio at the answerer (Swift↔Swift)", unit: "ms", value: f.p50, summary: f))
    if peer != nil {
        ctx.add(BenchRow(suite: "transport", name: "set-up: offer → DTLS connected (aiortc↔aiortc)", unit: "ms", value: peerDTLS.p50,
                         summary: peerDTLS, note: "peer figure: one Python process, in-process signalling, like ours"))
    } else {
        ctx.add(BenchRow(suite: "transport", name: "set-up: offer → DTLS connected (aiortc↔aiortc)", unit: "ms", value: .nan, note: AiortcBench.skipped))
    }
    ctx.addCDF(setupChart, name: "Swift↔Swift", samples: dtls)
    ctx.addCDF(setupChart, name: "aiortc↔aiortc", samples: doubles(peer, "dtls_ms"))
    swiftSetupP50 = d.p50
}

nonisolated(unsafe) private var swiftSetupP50 = Double.nan

/// Offer → DTLS connected with a Swift offerer and an aiortc answerer (interop, mixed stacks).
private func measureSetupAgainstAiortc(_ ctx: BenchContext, glib: GLibLoop) {
    let name = "set-up: offer → DTLS connected (Swift offers, aiortc answers)"
    guard AiortcBench.python != nil else {
        ctx.add(BenchRow(suite: "transport", name: name, unit: "ms", value: .nan, note: AiortcBench.skipped)); return
    }
    var dtls: [Double] = []
    for _ in 0..<ctx.iterations(8, quick: 1) {
        guard let peer = AiortcBench.echoPeer() else { continue }   // waits until Python has imported aiortc
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        let t0 = RuntimeClock.now()
        if let offer = try? a.createOffer(), (try? peer.send(["type": "offer", "sdp": offer])) != nil,
           let answer = peer.receive(seconds: 10)?["sdp"] as? String, (try? a.setRemoteAnswer(answer)) != nil {
            _ = waitFor(seconds: 5) { a.stats()?.timeline.dtlsConnected != nil }
            if let v = milliseconds(t0, a.stats()?.timeline.dtlsConnected) { dtls.append(v) }
        }
        a.close(); peer.terminate()
    }
    let s = Summary(dtls)
    ctx.add(BenchRow(suite: "transport", name: name, unit: "ms", value: s.p50, summary: s,
                     baselineName: "Swift↔Swift", baseline: swiftSetupP50, note: "\(dtls.count) calls; interop figure (mixed stacks)"))
}

nonisolated(unsafe) private var swiftCPUPerCallSecond = Double.nan

/// One call's mouth-to-ear chirps, B's playout grid `phase` after A's capture grid, with B's
/// receive-side figures and the CPU the process spent over the call.
private struct MouthToEarCall {
    var samples: [Double] = []
    var cpuNanoseconds = 0.0, wallNanoseconds = 0.0
    var jitterBufferDelay = 0.0, jitterBufferTarget = 0.0, jitterBufferMinimum = 0.0, emitted = 0
    var ringDelay = 0.0, ringSamples = 0, underflows = 0

    init?(glib: GLibLoop, ptime: UInt32, seconds: Int, phase: Duration) {
        guard let (a, b) = connectedPair(glib: glib, configuration: loopbackConfiguration(ptime: ptime)),
              let pa = a.takeAudioPorts(), let pb = b.takeAudioPorts() else { return nil }
        defer { a.close(); b.close() }
        let source = chirpTrain(seconds: seconds)
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: source, recordSeconds: Double(seconds))
        let db = SimulatedAudioDevice(capture: pb.capture, playout: pb.playout, source: source, recordSeconds: Double(seconds) + 0.5)
        let cpu0 = processCPUNanoseconds(), wall0 = nowNanoseconds()
        let grid = RuntimeClock.now() + .milliseconds(20)
        da.start(firstFrameAt: grid); db.start(firstFrameAt: grid + phase)
        usleep(UInt32(seconds) * 1_000_000 + 500_000)
        let heardByB = db.stop(); da.stop()
        cpuNanoseconds = Double(processCPUNanoseconds() - cpu0); wallNanoseconds = Double(nowNanoseconds() - wall0)
        guard let startA = da.startedAt, let startB = db.startedAt else { return nil }
        // The first chirp plays during the jitter buffer's start delay: start-up, not steady state.
        samples = Array(chirpDelays(source: source, recording: heardByB, offsetMs: (startB - startA).milliseconds, maxLagMs: 200).dropFirst())
        if let stats = b.stats() {
            jitterBufferDelay = stats.inboundRTP.jitterBufferDelay
            jitterBufferTarget = stats.inboundRTP.jitterBufferTargetDelay
            jitterBufferMinimum = stats.inboundRTP.jitterBufferMinimumDelay
            emitted = stats.inboundRTP.jitterBufferEmittedCount
            ringDelay = stats.mediaPlayout.totalPlayoutDelay; ringSamples = stats.mediaPlayout.totalSamplesCount
        }
        underflows = db.playoutUnderflows
    }

    /// The receive-side figures for a row's note.
    var receiveNote: String {
        func mean(_ sum: Double, _ count: Int) -> Double { count > 0 ? sum / Double(count) * 1_000 : .nan }
        return "jitter buffer mean \(format(mean(jitterBufferDelay, emitted))) ms (target \(format(mean(jitterBufferTarget, emitted))), "
            + "jitter alone \(format(mean(jitterBufferMinimum, emitted)))); playout ring wait \(format(mean(ringDelay, ringSamples))) ms; "
            + "underflows \(underflows)"
    }
}

/// PCM in at one device → PCM out at the other, through capture ring, encoder, SRTP, UDP, ICE,
/// jitter buffer, decoder and playout ring; from the lag of a chirp spoken every second. At 20 ms
/// also CPU per call-second of the whole process (two full-duplex peers, halved).
///
/// The figure depends on where B's playout grid sits against A's capture grid: a frame that
/// reaches B's ring later than the jitter buffer's and the ring's headroom before a pop waits for
/// the next pop. The target row runs both devices on one grid (phase 0, as one sound card with
/// two channels would), fixed rather than left to how late each device thread starts, which on a
/// loaded machine moved the figure by up to a frame from run to run. Devices on independent
/// clocks meet at any phase and drift through all of them, so a second row sweeps B's grid
/// 0, 2.5, 5 and 7.5 ms after A's and gives each phase's p50.
private func measureMouthToEar(_ ctx: BenchContext, glib: GLibLoop, ptime: UInt32) {
    guard let call = MouthToEarCall(glib: glib, ptime: ptime, seconds: ctx.quick ? 5 : 30, phase: .zero) else {
        print("  transport: call failed"); return
    }
    let s = Summary(call.samples)
    let target = ptime == 20 ? 40.0 : 25.0
    ctx.add(BenchRow(suite: "transport", name: "mouth-to-ear \(ptime) ms ptime (Swift↔Swift)", unit: "ms", value: s.p50, summary: s,
                     target: "≤ \(Int(target)) p50", meetsTarget: s.p50 <= target,
                     note: "\(call.samples.count) chirps, both devices on one 10 ms grid; " + call.receiveNote))
    ctx.addCDF(mouthToEarChart, name: "one-way Swift→Swift \(ptime) ms ptime", samples: call.samples)
    if ptime == 20 { swiftCPUPerCallSecond = call.cpuNanoseconds / 1_000 / (call.wallNanoseconds / 1e9) / 2 }

    var swept: [Double] = [], perPhase: [String] = []
    for phase in [0.0, 2.5, 5, 7.5] {
        guard let c = MouthToEarCall(glib: glib, ptime: ptime, seconds: ctx.quick ? 3 : 8,
                                     phase: .microseconds(Int(phase * 1_000))) else { continue }
        swept += c.samples
        perPhase.append("\(format(phase)): \(format(Summary(c.samples).p50))")
    }
    let w = Summary(swept)
    ctx.add(BenchRow(suite: "transport", name: "mouth-to-ear \(ptime) ms ptime, playout phase swept (Swift↔Swift)", unit: "ms",
                     value: w.p50, summary: w,
                     note: "\(swept.count) chirps over \(perPhase.count) calls; p50 by B's grid phase after A's (ms): " + perPhase.joined(separator: ", ")))
}

/// Round trip A → B → A where B echoes what it hears: B a Swift peer whose device plays straight
/// back into its microphone, or aiortc relaying the received track into its sender. A (Swift, the
/// offerer) speaks and listens on one device, so no clock offset enters; the two round trips
/// differ only in B's receive-and-send path: ours (jitter buffer, decoder, playout ring, capture
/// ring, encoder) against aiortc's (its 4-packet jitter buffer, decoder, relay, encoder).
private func measureEchoRoundTrips(_ ctx: BenchContext, glib: GLibLoop) {
    let seconds = ctx.quick ? 5 : 20
    let source = chirpTrain(seconds: seconds)

    func roundTrip(through b: () -> (offerAnswer: (String) -> String?, start: () -> Void, stop: () -> Void)?) -> [Double]? {
        guard let b = b() else { return nil }
        let a = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        defer { a.close(); b.stop() }
        guard let offer = try? a.createOffer(), let answer = b.offerAnswer(offer), (try? a.setRemoteAnswer(answer)) != nil,
              waitFor(seconds: 5, { a.stats()?.timeline.dtlsConnected != nil }), let pa = a.takeAudioPorts() else { return nil }
        b.start()
        let da = SimulatedAudioDevice(capture: pa.capture, playout: pa.playout, source: source, recordSeconds: Double(seconds) + 0.5)
        da.start()
        usleep(UInt32(seconds) * 1_000_000 + 500_000)
        let heard = da.stop()
        return chirpDelays(source: source, recording: heard, offsetMs: 0, maxLagMs: 400)
    }

    // B = a Swift PeerConnection with an echo device.
    let swiftB = Box<PeerConnection>(), echo = Box<EchoDevice>()
    let ours = roundTrip {
        let b = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
        swiftB.value = b
        return ({ offer in
            guard let answer = try? b.createAnswer(offer: offer), let pb = b.takeAudioPorts() else { return nil }
            echo.value = EchoDevice(capture: pb.capture, playout: pb.playout)
            return answer
        }, { echo.value?.start() }, { echo.value?.stop(); b.close() })
    } ?? []
    // B = aiortc relaying its received track.
    let peer = roundTrip {
        guard let p = AiortcBench.echoPeer() else { return nil }
        return ({ offer in
            guard (try? p.send(["type": "offer", "sdp": offer])) != nil else { return nil }
            return p.receive(seconds: 10)?["sdp"] as? String
        }, {}, { try? p.send(["type": "bye"]); _ = p.receive(seconds: 3); p.terminate() })
    }
    let s = Summary(ours)
    let p = peer.map(Summary.init)
    ctx.add(BenchRow(suite: "transport", name: "echo round trip via a Swift peer (20 ms ptime)", unit: "ms", value: s.p50, summary: s,
                     baselineName: "via aiortc", baseline: p?.p50,
                     note: (peer == nil ? AiortcBench.skipped + "; " : "") + "\(ours.count) of \(seconds) chirps matched; Swift A → B echoes → A; ratio ours / through aiortc"))
    ctx.addCDF(mouthToEarChart, name: "round trip via Swift", samples: ours)
    if let p, let peer {
        ctx.add(BenchRow(suite: "transport", name: "echo round trip via aiortc (20 ms ptime)", unit: "ms", value: p.p50, summary: p,
                         note: "\(peer.count) of \(seconds) chirps matched; B's leg costs \(format(p.p50 - s.p50)) ms more (+) or less (−) than ours"))
        ctx.addCDF(mouthToEarChart, name: "round trip via aiortc", samples: peer)
    }
}

/// CPU per call-second: ours from the 20 ms mouth-to-ear call, aiortc from a full-duplex
/// aiortc ↔ aiortc call in one process (both halved: per call end).
private func measureCPUAgainstAiortc(_ ctx: BenchContext) {
    let peer = AiortcBench.measure(["cpu", "--seconds", ctx.quick ? "3" : "15"], timeout: 60)
    var aiortc: Double?
    if let peer, let cpu = (peer["cpu_ns"] as? NSNumber)?.doubleValue, let wall = (peer["wall_ns"] as? NSNumber)?.doubleValue, wall > 0 {
        aiortc = cpu / 1_000 / (wall / 1e9) / 2
    }
    aiortcCPUPerCallSecond = aiortc ?? .nan
    ctx.add(BenchRow(suite: "transport", name: "CPU per call-second (two full-duplex peers / 2)", unit: "µs",
                     value: swiftCPUPerCallSecond, baselineName: "aiortc", baseline: aiortc,
                     note: aiortc == nil ? AiortcBench.skipped
                         : "process CPU (CLOCK_PROCESS_CPUTIME_ID) over a call, both ends in one process; ours incl. libnice and device threads"))
}

/// aiortc's CPU per call end, for the capacity chart.
nonisolated(unsafe) var aiortcCPUPerCallSecond = Double.nan

/// A reference cell the closures above fill in.
final class Box<T>: @unchecked Sendable {
    var value: T?
    init() {}
}

import Audio
import Foundation
import MediaCore
import Realtime
import RealtimeClient
import RealtimeServer
import Runtime
import TestSupport

/// Client set-up to `session.created` (WebRTC, WebSocket) and end of user speech → first reply
/// audio out of the playout ring with the echo backend, each beside an aiortc client
/// (Tests/Interop/client_aiortc_caller.py) on the same local endpoint in the same run.
func clientSuite() -> BenchSuite {
    BenchSuite(name: "client", summary: "client set-up to session.created; end of speech to first reply audio") { ctx in
        guard let endpoint = try? RealtimeEndpoint(.init(host: "127.0.0.1", port: 0, log: { _ in })),
              let port = try? endpoint.start() else {
            ctx.add(BenchRow(suite: "client", name: "local endpoint", unit: "ms", value: .nan, note: "could not start"))
            return
        }
        defer { endpoint.stop() }
        let url = "http://127.0.0.1:\(port)"
        let glib = GLibLoop()
        defer { glib.stop() }
        let setupRuns = ctx.iterations(30, quick: 6)
        let turnRuns = ctx.iterations(10, quick: 3)

        // Set-up: ours over both transports, aiortc over WebRTC.
        var ours: [TransportKind: [Double]] = [:]
        for _ in 0..<setupRuns {
            for kind in TransportKind.allCases {
                var c = RealtimeClient.Configuration()
                c.url = url
                c.transport = kind
                c.glib = glib
                guard let client = try? RealtimeClient(configuration: c) else { continue }
                let t0 = RuntimeClock.now()
                if (try? client.connect()) != nil { ours[kind, default: []].append((RuntimeClock.now() - t0).milliseconds) }
                client.close()
            }
        }
        let aiortcSetup = aiortcCaller(url: url, ["--mode", "setup", "--runs", "\(setupRuns)"])?["setup_ms"]
        for kind in TransportKind.allCases {
            let s = Summary(ours[kind] ?? [])
            let base = kind == .webrtc ? aiortcSetup.map { Summary($0).p50 } : nil
            ctx.add(BenchRow(suite: "client", name: "set-up to session.created, \(kind.rawValue) (p50)", unit: "ms", value: s.p50, summary: s,
                             baselineName: base == nil ? nil : "aiortc", baseline: base,
                             target: "≤ 250", meetsTarget: s.p95 <= 250, note: String(format: "p95 %.1f ms", s.p95)))
        }

        // End of speech → first reply audio out of the playout ring (echo), ours over WebRTC and
        // WebSocket, aiortc over WebRTC.
        let utterance = TestUtterance.speechLike(bursts: 2, burstMs: 350, trailingSilenceMs: 0)
        var turns: [TransportKind: [Double]] = [:]
        for _ in 0..<turnRuns {
            for kind in TransportKind.allCases {
                if let ms = clientTurn(url: url, kind: kind, glib: glib, utterance: utterance) { turns[kind, default: []].append(ms) }
            }
        }
        let wav = FileManager.default.temporaryDirectory.appendingPathComponent("client-bench-\(getpid()).wav").path
        try? WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(utterance)).write(to: wav)
        let aiortcTurn = aiortcCaller(url: url, ["--mode", "turn", "--runs", "\(turnRuns)", "--wav", wav])?["turn_ms"]
        for kind in TransportKind.allCases {
            let s = Summary(turns[kind] ?? [])
            let base = kind == .webrtc ? aiortcTurn.map { Summary($0).p50 } : nil
            ctx.add(BenchRow(suite: "client", name: "end of speech → first reply audio, \(kind.rawValue) (p50)", unit: "ms", value: s.p50, summary: s,
                             baselineName: base == nil ? nil : "aiortc", baseline: base,
                             target: "≤ 800", meetsTarget: s.p95 <= 800,
                             note: String(format: "p95 %.0f ms; includes server VAD's 500 ms end-of-turn silence", s.p95)))
        }
    }
}

/// One echo turn: the paced device speaks `utterance`, then silence; returns the time from the
/// end of the utterance to the first audible frame the device popped.
private func clientTurn(url: String, kind: TransportKind, glib: GLibLoop, utterance: [Int16]) -> Double? {
    var c = RealtimeClient.Configuration()
    c.url = url
    c.transport = kind
    c.glib = glib
    guard let client = try? RealtimeClient(configuration: c), (try? client.connect()) != nil, let ports = client.takeAudioPorts() else { return nil }
    defer { client.close() }
    let device = PacedAudioDevice(ports: ports, source: utterance, maxSeconds: 15)
    device.start()
    let deadline = RuntimeClock.now() + .seconds(10)
    var result: Double?
    while RuntimeClock.now() < deadline, result == nil {
        usleep(10_000)
        if let end = device.sourceEndedAt, let onset = device.onsets.first(where: { end < $0 }) { result = (onset - end).milliseconds }
    }
    device.stop()
    return result
}

/// Runs the aiortc caller and returns its JSON line (nil without the interop venv).
private func aiortcCaller(url: String, _ arguments: [String]) -> [String: [Double]]? {
    guard let python = interopPython(file: #filePath) else { return nil }
    let script = packageRoot(file: #filePath).appendingPathComponent("Tests/Interop/client_aiortc_caller.py").path
    guard let peer = try? LineProcess(executable: python, arguments: ["-u", script, "--url", url] + arguments) else { return nil }
    defer { peer.terminate() }
    guard let line = peer.receive(seconds: 120) else { return nil }
    var out: [String: [Double]] = [:]
    for (k, v) in line { if let a = v as? [Double] { out[k] = a } else if let a = v as? [NSNumber] { out[k] = a.map(\.doubleValue) } }
    return out
}

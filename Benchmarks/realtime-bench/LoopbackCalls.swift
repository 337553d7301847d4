import Audio
import Foundation
import MediaCore
import Runtime
import Synchronization
import TestSupport

/// Shared plumbing of the suites that place real calls on 127.0.0.1 (transport, datachannel,
/// capacity): configuration, waiting, connected pairs, chirp timing, and the aiortc bench peer.

func loopbackConfiguration(ptime: UInt32 = 20) -> PeerConnection.Configuration {
    var c = PeerConnection.Configuration()
    c.localAddresses = ["127.0.0.1"]
    c.ptime = ptime
    return c
}

/// Polls `condition` every millisecond for up to `seconds`.
func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
    for _ in 0..<Int(seconds * 1_000) {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

func milliseconds(_ from: Instant?, _ to: Instant?) -> Double? {
    guard let from, let to else { return nil }
    return (to - from).milliseconds
}

/// Offer/answer between two in-process peers; nil if either never reaches DTLS connected.
func connectedPair(glib: GLibLoop, configuration: PeerConnection.Configuration,
                   onEventA: @escaping @Sendable (PeerConnection.Event) -> Void = { _ in },
                   onEventB: @escaping @Sendable (PeerConnection.Event) -> Void = { _ in }) -> (a: PeerConnection, b: PeerConnection)? {
    let a = PeerConnection(configuration: configuration, glib: glib, onEvent: onEventA)
    let b = PeerConnection(configuration: configuration, glib: glib, onEvent: onEventB)
    guard let offer = try? a.createOffer(), let answer = try? b.createAnswer(offer: offer),
          (try? a.setRemoteAnswer(answer)) != nil,
          waitFor(seconds: 5, { a.stats()?.timeline.dtlsConnected != nil && b.stats()?.timeline.dtlsConnected != nil }) else {
        a.close(); b.close()
        return nil
    }
    return (a, b)
}

/// A source of one `burst`-sample chirp at the start of every second, `seconds` long.
func chirpTrain(seconds: Int, burst: Int = 24_000) -> [Int16] {
    let c = chirp(count: burst)
    var source: [Int16] = []
    source.reserveCapacity(seconds * 48_000)
    for _ in 0..<seconds { source += c + [Int16](repeating: 0, count: 48_000 - burst) }
    return source
}

/// For each second's chirp of `source`, the milliseconds until it starts in `recording`
/// (cross-correlation at one overall lag; each 100 ms segment may sit ±5 ms off it, so a jitter
/// buffer stretching time inside a chirp still matches; median segment correlation > 0.5), searched
/// up to `maxLagMs` after it was spoken. `offsetMs` is how much later the recording device started
/// than the speaking one. + 10 ms: a device hands a frame over only after its 10 ms were captured.
func chirpDelays(source: [Int16], recording: [Int16], offsetMs: Double, maxLagMs: Int, burst: Int = 24_000) -> [Double] {
    var delays: [Double] = []
    let maxLag = maxLagMs * 48
    for k in 0..<(source.count / 48_000) {
        let start = k * 48_000
        let from = max(0, start - Int(offsetMs * 48))
        guard from + burst + maxLag <= recording.count else { break }
        let spoken = Array(source[start..<start + burst])
        let heard = Array(recording[from...])
        let match = segmentedMatch(sent: spoken, received: heard, maxLag: maxLag, window: burst / 10..<burst * 9 / 10,
                                   segment: burst / 5, slack: 240)
        if match.medianCorrelation > 0.5 { delays.append(Double(match.lag) / 48 + 10) }
    }
    return delays
}

/// A device that plays back into its microphone with no delay: each 10 ms it pops the frame the
/// call hands it and pushes that same frame into capture. It turns a PeerConnection into an echo,
/// the counterpart of aiortc relaying a received track straight into its sender.
final class EchoDevice: @unchecked Sendable {
    private var capture: RingProducer?
    private var playout: RingConsumer?
    private let running = Atomic<Bool>(false)
    private var thread: pthread_t?

    init(capture: consuming RingProducer, playout: consuming RingConsumer) {
        self.capture = Optional(capture)
        self.playout = Optional(playout)
    }

    func start() {
        running.store(true, ordering: .releasing)
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            let device = Unmanaged<EchoDevice>.fromOpaque(arg!).takeRetainedValue()
            device.run()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        thread = t
    }

    func stop() {
        running.store(false, ordering: .releasing)
        if let t = thread { pthread_join(t, nil) }
        thread = nil
    }

    private func run() {
        var frame = [Int16](repeating: 0, count: SimulatedAudioDevice.frameSamples)
        var next = RuntimeClock.now()
        while running.load(ordering: .acquiring) {
            frame.withUnsafeMutableBufferPointer { buf in
                if !playout!.pop(into: buf) { buf.update(repeating: 0) }
            }
            frame.withUnsafeBufferPointer { _ = capture!.push($0) }
            next = next + .milliseconds(10)
            RuntimeClock.sleep(until: next)
        }
    }
}

/// aiortc measured in the same run: Benchmarks/peers/aiortc_bench.py in the interop venv.
enum AiortcBench {
    static let skipped = "skipped: no venv (scripts/setup.sh interop)"

    /// The venv's Python; nil without one, or when REALTIME_BENCH_NO_AIORTC is set (to check
    /// that a machine without the venv still runs every suite).
    static var python: String? {
        getenv("REALTIME_BENCH_NO_AIORTC") == nil ? interopPython(file: #filePath) : nil
    }
    static var script: String { benchPackageRoot().appendingPathComponent("Benchmarks/peers/aiortc_bench.py").path }

    /// Runs one measuring command and returns its JSON result, or nil (no venv, crash, timeout).
    static func measure(_ arguments: [String], timeout: Double) -> [String: Any]? {
        guard let python, let peer = try? LineProcess(executable: python, arguments: [script] + arguments) else { return nil }
        defer { peer.terminate() }
        return peer.receive(seconds: timeout)
    }

    /// Starts the echo peer (answers one offer, relays audio back); nil without a venv.
    static func echoPeer() -> LineProcess? {
        guard let python, let peer = try? LineProcess(executable: python, arguments: [script, "echo"]) else { return nil }
        guard peer.receive(seconds: 20)?["type"] as? String == "ready" else { peer.terminate(); return nil }
        return peer
    }
}

/// Doubles from a JSON array field.
func doubles(_ object: [String: Any]?, _ key: String) -> [Double] {
    (object?[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
}

import Audio
import Glibc  // sin, for the test utterances
import MediaCore
import Runtime
import Synchronization

/// A stand-in for an appliance's sound card, for the headless tool, tests and benchmarks: a
/// runtime thread on a 10 ms clock (`RuntimeThread.paced`) pushes the next frame of
/// `source` into the capture ring (silence once it is used up) and pops a playout frame into a
/// recording (silence when there is none). It notes when the source ended and when reply audio
/// began after a quiet spell, for latency figures.
public final class PacedAudioDevice: @unchecked Sendable {
    // @unchecked: the ports, recording and tick state belong to the device's clock thread until
    // `stop` joins it.
    public static let frameSamples = 480

    private var ports: ClientAudioPorts?
    private let source: [Int16]
    private var recording: [Int16]
    private var recorded = 0
    private var clock: RuntimeThread?
    private let marks = Mutex<Marks>(Marks())
    private var frame = [Int16](repeating: 0, count: PacedAudioDevice.frameSamples)
    private var position = 0
    private var quietFrames = 20

    struct Marks {
        var sourceEnded: Instant?
        var onsets: [Instant] = []
        var framesPushed = 0
    }

    /// `source` is 48 kHz mono PCM16; the recording holds up to `maxSeconds` of playout.
    public init(ports: consuming ClientAudioPorts, source: [Int16], maxSeconds: Int = 120) {
        self.ports = Optional(ports)
        self.source = source
        recording = [Int16](repeating: 0, count: maxSeconds * 48_000)
    }

    deinit { _ = stop() }

    /// Starts the device's 10 ms clock (a runtime thread; after a stall of over 100 ms it drops
    /// the missed frames rather than rushing through them).
    public func start() {
        guard clock == nil else { return }
        clock = RuntimeThread.paced(period: .milliseconds(10), resyncAfter: .milliseconds(100)) { [self] due in tick(at: due) }
    }

    /// Stops the clock and returns what was played (48 kHz mono).
    @discardableResult
    public func stop() -> [Int16] {
        clock?.stop()
        clock = nil
        return Array(recording.prefix(recorded))
    }

    /// When the last source frame went into the capture ring (nil while it still plays).
    public var sourceEndedAt: Instant? { marks.withLock { $0.sourceEnded } }
    /// When reply audio began after at least 200 ms of silence, in order.
    public var onsets: [Instant] { marks.withLock { $0.onsets } }
    /// Frames the device has captured and played so far.
    public var framesElapsed: Int { marks.withLock { $0.framesPushed } }

    /// One 10 ms frame due at `now`: capture the next source frame (silence once it is used up),
    /// play one frame into the recording (silence when there is none).
    private func tick(at now: Instant) {
        if position < source.count {
            let end = min(source.count, position + Self.frameSamples)
            for i in 0..<Self.frameSamples { frame[i] = position + i < end ? source[position + i] : 0 }
            position = end
            _ = ports!.capture.push(frame)
            if position >= source.count { marks.withLock { $0.sourceEnded = now } }
        } else {
            for i in 0..<Self.frameSamples { frame[i] = 0 }
            _ = ports!.capture.push(frame)
        }
        let got = ports!.playout.pop(into: &frame)
        let audible = got && frame.contains { $0 > 64 || $0 < -64 }
        if audible, quietFrames >= 20 { marks.withLock { $0.onsets.append(now) } }
        quietFrames = audible ? 0 : quietFrames + 1
        if recorded + Self.frameSamples <= recording.count {
            for i in 0..<Self.frameSamples { recording[recorded + i] = got ? frame[i] : 0 }
            recorded += Self.frameSamples
        }
        marks.withLock { $0.framesPushed += 1 }
    }
}

/// Built-in test audio.
public enum TestUtterance {
    /// Something speech-like at 48 kHz: voiced bursts (a gliding 110-220 Hz fundamental with
    /// decaying harmonics and a syllable envelope) separated by short pauses (shorter than a
    /// server VAD's 500 ms end-of-turn silence, so they make one turn), then `trailingSilence`
    /// so the turn ends.
    public static func speechLike(bursts: Int = 4, burstMs: Int = 450, pauseMs: Int = 180, trailingSilenceMs: Int = 1_200,
                                  amplitude: Double = 9_000) -> [Int16] {
        var out: [Int16] = []
        let rate = 48_000.0
        var phase = 0.0
        for b in 0..<bursts {
            let n = burstMs * 48
            for k in 0..<n {
                let t = Double(k) / Double(n)
                let f0 = 110 + 110 * (0.5 + 0.5 * sin(2 * Double.pi * (t + Double(b) * 0.3)))
                phase += 2 * Double.pi * f0 / rate
                var v = 0.0
                for h in 1...8 { v += sin(Double(h) * phase) / Double(h * h) * (h == 1 ? 1.0 : 1.6) }
                let envelope = sin(Double.pi * t)
                out.append(Int16(max(-32_000, min(32_000, amplitude * 0.7 * envelope * v))))
            }
            if b < bursts - 1 { out += repeatElement(0, count: pauseMs * 48) }
        }
        out += repeatElement(0, count: trailingSilenceMs * 48)
        return out
    }

    /// A steady 440 Hz tone of `ms` then `trailingSilenceMs` of silence (48 kHz).
    public static func tone(ms: Int = 1_500, frequency: Double = 440, trailingSilenceMs: Int = 1_200) -> [Int16] {
        var out = (0..<(ms * 48)).map { Int16(8_000 * sin(2 * Double.pi * frequency * Double($0) / 48_000)) }
        out += repeatElement(0, count: trailingSilenceMs * 48)
        return out
    }
}

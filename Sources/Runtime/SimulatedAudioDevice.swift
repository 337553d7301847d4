import Audio
import MediaCore
import Synchronization

/// A stand-in for a sound card on its own real-time thread: every 10 ms of *its* clock (which may
/// run fast or slow by `driftPPM`) it pushes the next 10 ms of a source signal into the capture
/// ring and pops 10 ms from the playout ring into a recording. Like a real audio callback it never
/// blocks, locks or allocates in its loop; what it records is read after `stop()`.
public final class SimulatedAudioDevice: @unchecked Sendable {
    public static let frameSamples = 480   // 10 ms at 48 kHz

    // Owned by the device thread until stop() joins it; read only after that.
    private var capture: RingProducer?
    private var playout: RingConsumer?
    private let source: [Int16]
    private var recording: [Int16]
    private var recorded = 0
    private let driftPPM: Double
    private var clock: RuntimeThread?
    private var sent = 0
    private var silence = [Int16](repeating: 0, count: SimulatedAudioDevice.frameSamples)
    /// Device time of the first frame, for mouth-to-ear measurements.
    public private(set) var startedAt: Instant?

    /// - Parameters:
    ///   - source: samples to "speak" (48 kHz mono); silence after it ends.
    ///   - seconds: how much to record at most.
    public init(capture: consuming RingProducer, playout: consuming RingConsumer, source: [Int16],
                recordSeconds: Double, driftPPM: Double = 0) {
        self.capture = Optional(capture)
        self.playout = Optional(playout)
        self.source = source
        recording = [Int16](repeating: 0, count: Int(recordSeconds * 48_000))
        self.driftPPM = driftPPM
    }

    /// Starts the device's clock (a runtime thread). `firstFrameAt` puts the first frame (and so
    /// the whole 10 ms grid) at that instant instead of whenever the thread first runs: devices
    /// given grid instants a known distance apart keep that phase however late their threads
    /// start on a loaded machine. A late frame is caught up, never dropped.
    public func start(firstFrameAt: Instant? = nil) {
        guard clock == nil else { return }
        let period = Duration(nanoseconds: Int64(10_000_000.0 * (1 + driftPPM / 1_000_000)))
        clock = RuntimeThread.paced(period: period, firstTick: firstFrameAt) { [self] due in tick(at: due) }
    }

    /// Stops the device's clock and returns what it played out.
    @discardableResult
    public func stop() -> [Int16] {
        clock?.stop()
        clock = nil
        return Array(recording[0..<recorded])
    }

    public var captureOverflows: Int { capture?.ring.overflowCount ?? 0 }
    public var playoutUnderflows: Int { playout?.ring.underflowCount ?? 0 }

    /// One 10 ms frame of the device's clock, due at `due`.
    private func tick(at due: Instant) {
        if startedAt == nil { startedAt = due }
        let n = SimulatedAudioDevice.frameSamples
        if sent + n <= source.count {
            source[sent..<sent + n].withUnsafeBufferPointer { _ = capture!.push($0) }
        } else {
            silence.withUnsafeBufferPointer { _ = capture!.push($0) }
        }
        sent += n
        if recorded + n <= recording.count {
            recording.withUnsafeMutableBufferPointer { buf in
                let slice = UnsafeMutableBufferPointer(rebasing: buf[recorded..<recorded + n])
                if !playout!.pop(into: slice) { slice.update(repeating: 0) }
            }
            recorded += n
        } else {
            silence.withUnsafeMutableBufferPointer { _ = playout!.pop(into: $0) }
        }
    }
}

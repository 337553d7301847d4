import Audio
import Dispatch
import MediaCore
import Realtime
import Runtime
import SCTP
import Synchronization

/// One WebRTC call's bridge between its `PeerConnection` and its `RealtimeSession`, driven by the
/// endpoint thread (nothing here is touched elsewhere; events and the close are handed to the
/// call's own thread without waiting, `PeerConnection.sendWithoutWaiting`):
///
/// - every 10 ms (`tick`) one playout frame (the caller's voice) is given to the session, so
///   server VAD hears the caller;
/// - the session's output (already paced in real time by the session) is pushed to the capture
///   ring as soon as it comes out, so at most one 20 ms chunk is queued ahead of the wire; when
///   the session is silent a silence frame keeps the RTP stream continuous (one frame per tick
///   on average: `credit`);
///
/// The session's audio is 24 kHz. The endpoint's PeerConnections run at that rate (Opus decodes
/// and encodes it natively); a PeerConnection at another rate gets a resampler each way.
/// - barge-in or `output_audio_buffer.clear` drops the output not yet pushed (`clearOutput`).
final class CallMedia {
    let callID: String
    let peer: PeerConnection
    private var capture: RingProducer?
    private var playout: RingConsumer?
    /// Peer rate → 24 kHz for the caller's voice, 24 kHz → peer rate for the session's voice
    /// (`.voice` filters: the audio arrives and leaves as Opus at 32 kb/s); nil at 24 kHz.
    private let down: Resampler?
    private let up: Resampler?
    /// Events the call thread could not send (the channel or call closed under them), for the
    /// call's log line.
    let eventsNotSent = Counter()
    /// A count bumped on a call thread and read on the endpoint's.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }
    /// Signalled once the call's PeerConnection is closed (`close`).
    private let closed = DispatchSemaphore(value: 0)

    /// The `oai-events` channel once open; events wait in the session until then.
    var channel: UInt16?
    /// Set-up phases (monotonic): the offer arrived, DTLS connected, the channel opened.
    let offeredAt: Instant
    var dtlsConnectedAt: Instant?
    var channelOpenedAt: Instant?
    /// Next 10 ms media tick, from DTLS connected on.
    var nextTick: Instant?

    /// Frames pushed minus ticks elapsed: negative when output ran ahead, positive when a
    /// silence frame is owed.
    private var credit = 0
    /// One ring frame at the peer's rate, and the caller's 10 ms at 24 kHz.
    private var frame: [Int16]
    private var voice24 = [Int16](repeating: 0, count: 240)
    /// Session output at the peer's rate not yet pushed (less than a frame, or a cut-off tail),
    /// from `pendingHead` on.
    private var pending: [Int16] = []
    private var pendingHead = 0
    private var upScratch = [Int16](repeating: 0, count: 2048)
    private let silence: [Int16]
    /// Samples in one 10 ms ring frame at the peer's rate.
    let frameSamples: Int

    /// Counters for the call's log line and the bench.
    private(set) var framesIn = 0
    private(set) var framesOut = 0
    private(set) var voiceFramesOut = 0
    /// Ticks that ran more than one period late (the endpoint thread could not keep up).
    private(set) var lateTicks = 0
    /// A capture frame could not be pushed (the ring was full).
    private(set) var droppedFrames = 0

    static let period = Duration.milliseconds(10)

    private let metrics: EndpointMetrics

    init(callID: String, peer: PeerConnection, capture: consuming RingProducer, playout: consuming RingConsumer,
         offeredAt: Instant, metrics: EndpointMetrics) {
        self.metrics = metrics
        self.callID = callID
        self.peer = peer
        self.capture = Optional(capture)
        self.playout = Optional(playout)
        let rate = peer.configuration.session.sampleRate
        frameSamples = peer.configuration.samplesPerFrame
        frame = [Int16](repeating: 0, count: frameSamples)
        silence = [Int16](repeating: 0, count: frameSamples)
        // A PeerSession runs only at supported resampler rates (16, 24, 48 kHz): cannot fail.
        down = rate == 24_000 ? nil : try! Resampler(from: rate, to: 24_000, quality: .voice)
        up = rate == 24_000 ? nil : try! Resampler(from: 24_000, to: rate, quality: .voice)
        self.offeredAt = offeredAt
    }

    /// The media clock starts when DTLS is up (before that nothing flows), on the process's
    /// 10 ms grid: every call ticks in the same endpoint wake-up, as do the call threads.
    func start(at now: Instant) {
        guard nextTick == nil else { return }
        nextTick = now.roundedUp(toMultipleOf: Self.period)
    }

    /// One 10 ms period: the caller's frame into the session. Returns false when the tick is
    /// not due. Output is pushed by `pushOutput` (called after the session was driven).
    func tick(session: any EndpointSessionCore, at now: Instant) -> Bool {
        guard let due = nextTick, due <= now else { return false }
        metrics.mediaTicks.add(1, ordering: .relaxed)
        if now - due > Self.period {
            lateTicks += 1
            metrics.lateMediaTicks.add(1, ordering: .relaxed)
        }
        var next = due + Self.period
        // After a long stall resume from now (on the grid) rather than replaying a burst of ticks.
        if next < now - .milliseconds(100) { next = now.roundedUp(toMultipleOf: Self.period) + Self.period }
        nextTick = next
        credit += 1
        let got = frame.withUnsafeMutableBufferPointer { playout!.pop(into: $0) }
        if got {
            framesIn += 1
            guard let down else {
                session.appendInputAudio(frame, at: now)
                return true
            }
            let n = frame.withUnsafeBufferPointer { f in
                voice24.withUnsafeMutableBufferPointer { v in (try? down.process(f, into: v)) ?? 0 }
            }
            session.appendInputAudio(n == voice24.count ? voice24 : Array(voice24[0..<n]), at: now)
        }
        return true
    }

    /// Moves the session's paced output to the capture ring; pays a silence frame owed by a tick.
    /// Returns true when voice (not only silence) was pushed.
    func pushOutput(session: any EndpointSessionCore) -> Bool {
        while let chunk = session.pollOutputAudio() {
            if let up {
                let n = chunk.withUnsafeBufferPointer { c in
                    upScratch.withUnsafeMutableBufferPointer { o in (try? up.process(c, into: o)) ?? 0 }
                }
                pending.append(contentsOf: upScratch[0..<n])
            } else {
                pending.append(contentsOf: chunk)
            }
        }
        var pushedVoice = false
        while pending.count - pendingHead >= frameSamples {
            push(pending[pendingHead..<pendingHead + frameSamples])
            pendingHead += frameSamples
            voiceFramesOut += 1
            pushedVoice = true
        }
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        } else if pendingHead >= 4_096 {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        if credit > 0 {
            // A tail shorter than a frame (the end of a response) goes out padded with silence.
            if pending.count > pendingHead {
                let tail = pending[pendingHead...] + silence[0..<(frameSamples - (pending.count - pendingHead))]
                clearOutput()
                push(tail[...])
                voiceFramesOut += 1
                pushedVoice = true
            }
            while credit > 0 { push(silence[...]) }
        }
        return pushedVoice
    }

    private func push(_ frame: ArraySlice<Int16>) {
        credit -= 1
        framesOut += 1
        let ok = frame.withUnsafeBufferPointer { capture!.push($0) }
        metrics.framesOut.add(1, ordering: .relaxed)
        if !ok {
            droppedFrames += 1
            metrics.framesDropped.add(1, ordering: .relaxed)
        }
    }

    /// Barge-in or `output_audio_buffer.clear`: what was not pushed yet is never sent.
    func clearOutput() {
        pending.removeAll(keepingCapacity: true)
        pendingHead = 0
    }

    /// Sends one event on the channel, in order, without blocking the endpoint thread; one that
    /// cannot be sent is counted for the call's log line.
    func send(_ text: String) {
        guard let channel else { return }
        peer.sendWithoutWaiting(.text(text), on: channel) { [eventsNotSent] _ in eventsNotSent.add() }
    }

    /// Closes the call after the events queued before, without blocking the endpoint thread;
    /// `done` gets its final statistics on the call's thread.
    func close(_ done: @escaping @Sendable (PeerConnectionStats?) -> Void) {
        peer.closeWithoutWaiting { [closed] stats in
            done(stats)
            closed.signal()
        }
    }

    /// Waits (at most `seconds`) until `close` has finished.
    func waitUntilClosed(seconds: Double) {
        _ = closed.wait(timeout: .now() + seconds)
    }
}

import Audio
import MediaCore
import Realtime
import Runtime

/// The client thread's audio pump between the application's rings and the transport, and the
/// barge-in that stops playout.
extension RealtimeClient {
    /// A frame is "audible" above this peak: the reply has started (or still plays).
    static let audiblePeak: Int16 = 64

    struct AudioState {
        /// End of the user's turn, waiting for the first audible reply frame (turn latency).
        var turnEndedAt: Instant?
        var frame = [Int16](repeating: 0, count: 480)
        /// WebSocket: 48 → 24 kHz for `input_audio_buffer.append`, 24 → 48 kHz for playout.
        let down: Resampler?
        let up: Resampler?
        var downScratch = [Int16](repeating: 0, count: 480)
        var appendBuffer: [Int16] = []
        /// WebSocket: 48 kHz reply samples waiting for room in the playout ring.
        var pending: [Int16] = []
        var pendingHead = 0
        /// The assistant audio item being played and the playout-ring index of its first frame.
        var itemID: String?
        var itemStart: Int?
        var itemFrames = 0
        /// WebRTC: a response began; its first audible frame marks the item's start.
        var armed = false
        /// Ring index of the latest audible frame queued.
        var lastAudible = -1
        var truncated: Set<String> = []

        init(websocket: Bool) {
            // 48/24 kHz are supported rates: a failure is a broken invariant of `Resampler`.
            down = websocket ? (try? Resampler(from: 48_000, to: 24_000)) : nil
            up = websocket ? (try? Resampler(from: 24_000, to: 48_000)) : nil
        }

        var pendingFrames: Int { (pending.count - pendingHead) / 480 }
    }

    /// Moves captured frames to the transport and reply frames into the playout ring.
    func pumpAudio(now: Instant) {
        let websocket = configuration.transport == .websocket
        // Capture: everything the application pushed since the last tick.
        while (captureConsumer?.availableFrames ?? 0) > 0 {
            audio.frame.withUnsafeMutableBufferPointer { _ = captureConsumer!.pop(into: $0) }
            guard let transport else { continue }   // reconnecting: captured audio is dropped
            if websocket {
                if let down = audio.down, let n = try? down.process(audio.frame, into: &audio.downScratch) {
                    audio.appendBuffer += audio.downScratch[..<n]
                }
                if audio.appendBuffer.count >= 480 {
                    sendEvent(ClientEvent(.inputAudioBufferAppend(audio: Base64Audio.encodePCM16(audio.appendBuffer))))
                    audio.appendBuffer.removeAll(keepingCapacity: true)
                }
            } else {
                audio.frame.withUnsafeBufferPointer { transport.pushCapture($0) }
            }
        }
        // Playout.
        if gate.muted.load(ordering: .acquiring) {
            // Barge-in: the rest of the interrupted reply is dropped, not queued.
            if !websocket, let transport { while audio.frame.withUnsafeMutableBufferPointer({ transport.pullPlayout(into: $0) }) {} }
            return
        }
        let target = websocket ? configuration.playoutQueueFrames + 2 : configuration.playoutQueueFrames
        let ring = playoutRing
        while ring.framesWritten - ring.framesRead < target {
            if websocket {
                guard audio.pendingFrames > 0 else { break }
                for i in 0..<480 { audio.frame[i] = audio.pending[audio.pendingHead + i] }
                audio.pendingHead += 480
                if audio.pendingHead >= 48_000 {
                    audio.pending.removeFirst(audio.pendingHead)
                    audio.pendingHead = 0
                }
            } else {
                guard let transport, audio.frame.withUnsafeMutableBufferPointer({ transport.pullPlayout(into: $0) }) else { break }
            }
            let index = ring.framesWritten
            if Self.peak(audio.frame) > Self.audiblePeak {
                audio.lastAudible = index
                if let end = audio.turnEndedAt {
                    metrics.turnLatenciesMs.append((RuntimeClock.now() - end).milliseconds)
                    audio.turnEndedAt = nil
                }
                if audio.armed, audio.itemStart == nil {
                    audio.itemStart = index
                    audio.armed = false
                }
            }
            audio.frame.withUnsafeBufferPointer { _ = playoutProducer!.push($0) }
        }
    }

    /// WebSocket: queues one `response.output_audio.delta` (24 kHz) for playout at 48 kHz.
    func queueReplyAudio(itemID: String, base64: String) {
        guard !audio.truncated.contains(itemID), let up = audio.up else { return }
        guard let samples = try? Base64Audio.decodePCM16(base64) else {
            metrics.errors.append("undecodable audio delta for \(itemID)")
            return
        }
        if audio.itemID != itemID {
            // A new item starts on a frame boundary: pad the previous item's last frame.
            let partial = (audio.pending.count - audio.pendingHead) % 480
            if partial > 0 { audio.pending.append(contentsOf: [Int16](repeating: 0, count: 480 - partial)) }
            audio.itemID = itemID
            audio.itemStart = playoutRing.framesWritten + audio.pendingFrames
            audio.itemFrames = 0
        }
        var out = [Int16](repeating: 0, count: up.outputCount(forInput: samples.count) + 16)
        guard let n = try? up.process(samples, into: &out) else { return }
        let before: Int = audio.pending.count - audio.pendingHead
        audio.pending.append(contentsOf: out[..<n])
        let after: Int = before + n
        audio.itemFrames += after / 480 - before / 480
    }

    /// True while the reply item still plays (queued frames not yet played).
    var replyPlaying: Bool {
        guard audio.itemID != nil, let start = audio.itemStart else { return false }
        let read = playoutRing.framesRead
        if configuration.transport == .websocket {
            return read < start + audio.itemFrames || audio.pendingFrames > 0
        }
        return state.responseActive || read <= audio.lastAudible
    }

    /// `speech_started` during playback: mute at once, learn how much of the item was played
    /// (the audio thread records its ring position when it takes the mute), and truncate the
    /// item there so the model's memory matches what the user heard.
    func bargeIn() {
        guard replyPlaying, let itemID = audio.itemID, let start = audio.itemStart else { return }
        let request = gate.muteRequest.load(ordering: .relaxed) &+ 1
        gate.muted.store(true, ordering: .releasing)
        gate.muteRequest.store(request, ordering: .releasing)
        // The audio thread takes the mute on its next pop (≤ 10 ms); if it is not pulling at all,
        // the ring position cannot move, so reading it directly is exact.
        let deadline = RuntimeClock.now() + .milliseconds(30)
        var readAt = playoutRing.framesRead
        while RuntimeClock.now() < deadline {
            if gate.acknowledged.load(ordering: .acquiring) == request {
                readAt = gate.readAtMute.load(ordering: .relaxed)
                break
            }
            RuntimeClock.sleep(until: RuntimeClock.now() + .microseconds(500))
        }
        var frames = max(0, readAt - start)
        if configuration.transport == .websocket { frames = min(frames, audio.itemFrames) }
        let audioEndMs = frames * 10
        audio.pending.removeAll(keepingCapacity: true)
        audio.pendingHead = 0
        audio.truncated.insert(itemID)
        audio.itemID = nil
        audio.itemStart = nil
        sendEvent(ClientEvent(.conversationItemTruncate(itemID: itemID, contentIndex: 0, audioEndMs: audioEndMs)))
        metrics.bargeIns.append((itemID: itemID, audioEndMs: audioEndMs))
        onEvent(.bargeIn(itemID: itemID, audioEndMs: audioEndMs))
    }

    /// A new response may play: lift the barge-in mute and wait for its audio.
    func replyStarting() {
        gate.muted.store(false, ordering: .releasing)
        if configuration.transport == .webrtc {
            audio.itemID = nil
            audio.itemStart = nil
            audio.armed = true
        }
    }

    static func peak(_ frame: [Int16]) -> Int16 {
        var m: Int16 = 0
        for s in frame { m = max(m, s == .min ? .max : abs(s)) }
        return m
    }
}

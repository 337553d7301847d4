import Audio
import Synchronization

/// Shared between the client thread and the application's audio thread: the barge-in mute, its
/// acknowledgement, and the playout position the audio thread saw when it took the mute.
final class PlayoutGate: Sendable {
    /// Bumped by the client thread for each barge-in.
    let muteRequest = Atomic<Int>(0)
    /// The last request the audio thread has seen (after recording `readAtMute`).
    let acknowledged = Atomic<Int>(0)
    /// Frames the audio thread had played when it saw the latest request.
    let readAtMute = Atomic<Int>(0)
    let muted = Atomic<Bool>(false)
    /// Frames handed to the application (not discarded by a mute).
    let framesPlayed = Atomic<Int>(0)
}

/// The application's end of the playout ring: 10 ms frames of 48 kHz mono PCM16 to play. Wraps a
/// `RingConsumer` with the barge-in gate: once the client mutes (the user spoke over the reply),
/// the very next `pop` discards what is queued and returns false, so playout stops within one
/// frame. Wait-free like the ring: the audio thread never blocks, locks or allocates here.
public struct PlayoutPort: ~Copyable, @unchecked Sendable {
    // @unchecked: the consumer is single-owner (noncopyable) and the gate is atomics only.
    var consumer: RingConsumer
    let gate: PlayoutGate
    var seenRequest = 0
    var played = 0

    init(consumer: consuming RingConsumer, gate: PlayoutGate) {
        self.consumer = consumer
        self.gate = gate
    }

    /// The ring, for its counters (`framesRead` is the playout position).
    public var ring: FrameRing { consumer.ring }

    /// Copies the next frame to play into `frame` (480 samples). Returns false, leaving `frame`
    /// untouched, when there is nothing to play (empty, or muted by a barge-in): play silence then.
    @discardableResult
    public mutating func pop(into frame: UnsafeMutableBufferPointer<Int16>) -> Bool {
        if !checkGate() { return false }
        guard consumer.availableFrames > 0, consumer.pop(into: frame) else { return false }
        played &+= 1
        gate.framesPlayed.store(played, ordering: .relaxed)
        return true
    }

    @discardableResult
    public mutating func pop(into frame: inout [Int16]) -> Bool {
        frame.withUnsafeMutableBufferPointer { pop(into: $0) }
    }

    /// Takes a pending mute (recording the position reached) and drops frames while muted.
    /// Returns false while muted.
    mutating func checkGate() -> Bool {
        let request = gate.muteRequest.load(ordering: .acquiring)
        if request != seenRequest {
            seenRequest = request
            gate.readAtMute.store(consumer.framesRead, ordering: .relaxed)
            gate.acknowledged.store(request, ordering: .releasing)
        }
        guard gate.muted.load(ordering: .acquiring) else { return true }
        while consumer.availableFrames > 0 { consumer.pop(reading: { _ in }) }
        return false
    }
}

/// The application's two audio ends: push captured 10 ms frames (48 kHz mono PCM16, 480 samples)
/// into `capture`; pop frames to play from `playout`. Both live as long as the client, across
/// reconnects and session rollovers.
@frozen public struct ClientAudioPorts: ~Copyable, Sendable {
    public var capture: RingProducer
    public var playout: PlayoutPort
}

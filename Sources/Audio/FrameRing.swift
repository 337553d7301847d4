import Synchronization

/// A single-producer single-consumer ring of fixed-size PCM16 frames between a real-time audio
/// thread and the rest of the engine.
///
/// Lock-free and wait-free: one `Atomic` index per side (release on publish, acquire on observe),
/// storage allocated once in `make`, frames copied in and out with `memcpy`-style moves. Nothing on
/// the push/pop path allocates, locks, makes a syscall or logs. Overflow (push when full: the new
/// frame is dropped) and underflow (pop when empty) are counted, never silent.
///
/// The `FrameRing` object itself can only be observed: pushing needs the `RingProducer` and popping
/// the `RingConsumer` that `make` returns, and both are noncopyable, so each side has one owner.
/// Its counters may be read from any thread.
public final class FrameRing: @unchecked Sendable {
    // @unchecked: `storage` is written only by the producer in slots the consumer has released,
    // and read only by the consumer in slots the producer has published (the acquire/release pair
    // on `writeIndex`/`readIndex` orders those accesses); every other stored property is immutable
    // or atomic.

    /// Frames the ring holds: the requested count rounded up to a power of two.
    public let capacity: Int
    /// Samples in every frame (interleaved channels count as separate samples).
    public let samplesPerFrame: Int
    @usableFromInline let mask: Int
    @usableFromInline let storage: UnsafeMutablePointer<Int16>

    // Keeps the producer's index off the cache line of the fields above.
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Frames published by the producer since creation (monotonic; the slot is `writeIndex & mask`).
    @usableFromInline let writeIndex = Atomic<Int>(0)
    // Keeps the two indices on separate cache lines so the sides do not false-share.
    private let padding0: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Frames released by the consumer since creation (monotonic): the playout position.
    @usableFromInline let readIndex = Atomic<Int>(0)
    private let padding1: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline let overflows = Atomic<Int>(0)
    @usableFromInline let underflows = Atomic<Int>(0)
    /// Called by the producer after every push, and by the consumer after every pop (an underflow
    /// too): how the other side learns without polling that a frame arrived or was taken. Runs on
    /// the pushing or popping thread, which may be a real-time audio thread, so it must neither
    /// block nor allocate (a non-blocking one-byte pipe write to wake the engine qualifies).
    @usableFromInline let onPush: (@Sendable () -> Void)?
    @usableFromInline let onPop: (@Sendable () -> Void)?

    init(capacity: Int, samplesPerFrame: Int, onPush: (@Sendable () -> Void)? = nil, onPop: (@Sendable () -> Void)? = nil) {
        self.capacity = capacity
        self.samplesPerFrame = samplesPerFrame
        self.onPush = onPush
        self.onPop = onPop
        mask = capacity - 1
        storage = .allocate(capacity: capacity * samplesPerFrame)
        storage.initialize(repeating: 0, count: capacity * samplesPerFrame)
    }

    deinit { storage.deallocate() }

    /// Creates a ring of at least `frames` frames of `samplesPerFrame` samples and returns its two
    /// ends. `frames` is rounded up to a power of two so a slot is an index mask, not a division.
    /// Both counts must be positive: they come from the engine's configuration, not the network.
    /// Take the two ends apart with `let ends = FrameRing.make(…); var p = ends.producer`.
    /// `onPush` / `onPop` (see the properties) let the engine sleep until the device acts.
    public static func make(frames: Int, samplesPerFrame: Int, onPush: (@Sendable () -> Void)? = nil,
                            onPop: (@Sendable () -> Void)? = nil) -> RingEnds {
        // A non-positive size is a programming error in the caller's set-up, not runtime input.
        precondition(frames > 0 && samplesPerFrame > 0, "FrameRing needs a positive frame count and frame size")
        let ring = FrameRing(capacity: roundedCapacity(frames), samplesPerFrame: samplesPerFrame, onPush: onPush, onPop: onPop)
        return RingEnds(producer: RingProducer(ring: ring), consumer: RingConsumer(ring: ring))
    }

    /// The smallest power of two ≥ `frames` (and ≥ 1).
    public static func roundedCapacity(_ frames: Int) -> Int {
        var c = 1
        while c < frames { c <<= 1 }
        return c
    }

    /// Pushes that failed because the ring was full (each dropped one frame).
    public var overflowCount: Int { overflows.load(ordering: .relaxed) }
    /// Pops that failed because the ring was empty.
    public var underflowCount: Int { underflows.load(ordering: .relaxed) }
    /// Frames the producer has published since creation.
    public var framesWritten: Int { writeIndex.load(ordering: .acquiring) }
    /// Frames the consumer has taken since creation: the playout position, from which a barge-in's
    /// `audio_end_ms` is computed (`framesRead × frame duration`).
    public var framesRead: Int { readIndex.load(ordering: .acquiring) }
    /// Pops tried since creation, empty ones included: one per device period on the playout side.
    public var popAttempts: Int { framesRead + underflowCount }
    /// Frames waiting to be read, as seen from any thread (a snapshot: either side may move).
    public var availableFrames: Int {
        let r = readIndex.load(ordering: .acquiring)
        let w = writeIndex.load(ordering: .acquiring)
        return max(0, min(capacity, w - r))
    }
}

/// The two ends of a new `FrameRing` (a tuple cannot hold noncopyable values). Consume each field
/// into the thread that owns that side.
@frozen public struct RingEnds: ~Copyable, Sendable {
    public var producer: RingProducer
    public var consumer: RingConsumer
}

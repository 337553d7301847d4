import Synchronization

/// The read end of a `FrameRing`: only its single owner can pop. Noncopyable so the ring stays
/// single-consumer; move it to the thread that consumes (playout thread or encoder side).
public struct RingConsumer: ~Copyable, @unchecked Sendable {
    // @unchecked: `storage` points into the ring, whose slots the SPSC protocol hands between the
    // two sides; being noncopyable, this end is used by one thread at a time.
    /// The shared ring, for its counters (readable from any thread).
    public let ring: FrameRing
    /// This side's own index (only the consumer writes `readIndex`).
    @usableFromInline var read: Int = 0
    /// The producer's index as last observed; refreshed only when the ring looks empty.
    @usableFromInline var observedWritten: Int = 0

    // The ring's constants, copied so the hot path never reads the cache line holding the
    // other side's index.
    @usableFromInline let storage: UnsafeMutablePointer<Int16>
    @usableFromInline let mask: Int
    @usableFromInline let capacity: Int
    @usableFromInline let samplesPerFrame: Int

    init(ring: FrameRing) {
        self.ring = ring
        storage = ring.storage
        mask = ring.mask
        capacity = ring.capacity
        samplesPerFrame = ring.samplesPerFrame
    }

    /// Frames ready to pop (a lower bound: the producer may publish more meanwhile).
    public var availableFrames: Int { ring.writeIndex.load(ordering: .acquiring) &- read }

    /// Frames taken so far: the playout position in frames.
    public var framesRead: Int { read }

    /// Copies the oldest frame into `frame` (exactly `ring.samplesPerFrame` samples). Returns false
    /// and counts an underflow, leaving `frame` untouched, when the ring is empty.
    @inlinable @discardableResult
    public mutating func pop(into frame: UnsafeMutableBufferPointer<Int16>) -> Bool {
        // A wrong frame size is a caller bug (frame sizes are fixed at set-up), not runtime input.
        precondition(frame.count == samplesPerFrame, "frame size differs from the ring's samplesPerFrame")
        guard let slot = nextSlot() else { ring.onPop?(); return false }
        if let base = frame.baseAddress { base.update(from: slot, count: samplesPerFrame) }
        release()
        return true
    }

    /// Copies the oldest frame into `frame`, an array of exactly `ring.samplesPerFrame` samples
    /// (it is not resized, so a uniquely owned array is not reallocated).
    @inlinable @discardableResult
    public mutating func pop(into frame: inout [Int16]) -> Bool {
        frame.withUnsafeMutableBufferPointer { pop(into: $0) }
    }

    /// Lets `read` look at the oldest frame in place, then releases its slot. Returns false and
    /// counts an underflow, without calling `read`, when the ring is empty.
    @inlinable @discardableResult
    public mutating func pop(reading body: (UnsafeBufferPointer<Int16>) -> Void) -> Bool {
        guard let slot = nextSlot() else { ring.onPop?(); return false }
        body(UnsafeBufferPointer(start: slot, count: samplesPerFrame))
        release()
        return true
    }

    /// The oldest published slot, or nil (counting an underflow) when the ring is empty.
    @inlinable mutating func nextSlot() -> UnsafeMutablePointer<Int16>? {
        if read == observedWritten {
            // Acquire: the producer's writes of the frame happened before its index store.
            observedWritten = ring.writeIndex.load(ordering: .acquiring)
            if read == observedWritten {
                // Only this side writes `underflows`, so a load and a store suffice (no RMW).
                ring.underflows.store(ring.underflows.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
                return nil
            }
        }
        return storage + (read & mask) * samplesPerFrame
    }

    /// Hands the slot back to the producer.
    @inlinable mutating func release() {
        read &+= 1
        // Release: our reads of the slot finish before the producer may overwrite it.
        ring.readIndex.store(read, ordering: .releasing)
        ring.onPop?()
    }
}

import Synchronization

/// The write end of a `FrameRing`: only its single owner can push. Noncopyable so the ring stays
/// single-producer; move it to the thread that produces (capture thread or network side).
public struct RingProducer: ~Copyable, @unchecked Sendable {
    // @unchecked: `storage` points into the ring, whose slots the SPSC protocol hands between the
    // two sides; being noncopyable, this end is used by one thread at a time.
    /// The shared ring, for its counters (readable from any thread).
    public let ring: FrameRing
    /// This side's own index (only the producer writes `writeIndex`, so no reload is needed).
    @usableFromInline var written: Int = 0
    /// The consumer's index as last observed; refreshed only when the ring looks full, so a
    /// non-full push touches no cache line the consumer writes.
    @usableFromInline var observedRead: Int = 0

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

    /// Frames that can be pushed before the ring is full (a lower bound: the consumer may free more).
    public var freeFrames: Int { capacity - (written - ring.readIndex.load(ordering: .acquiring)) }

    /// Copies one frame into the ring. Returns false, counts an overflow and drops the frame when
    /// the ring is full. `frame.count` must equal `ring.samplesPerFrame`.
    @inlinable @discardableResult
    public mutating func push(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        // A wrong frame size is a caller bug (frame sizes are fixed at set-up), not runtime input.
        precondition(frame.count == samplesPerFrame, "frame size differs from the ring's samplesPerFrame")
        guard let slot = reserveSlot() else { return false }
        if let base = frame.baseAddress { slot.update(from: base, count: samplesPerFrame) }
        publish()
        return true
    }

    /// Copies one frame (an array of exactly `ring.samplesPerFrame` samples) into the ring.
    @inlinable @discardableResult
    public mutating func push(_ frame: [Int16]) -> Bool {
        frame.withUnsafeBufferPointer { push($0) }
    }

    /// Lets `fill` write the next frame directly into the ring's slot (no intermediate copy).
    /// Returns false and counts an overflow, without calling `fill`, when the ring is full.
    @inlinable @discardableResult
    public mutating func push(writing fill: (UnsafeMutableBufferPointer<Int16>) -> Void) -> Bool {
        guard let slot = reserveSlot() else { ring.onPush?(); return false }
        fill(UnsafeMutableBufferPointer(start: slot, count: samplesPerFrame))
        publish()
        return true
    }

    /// The slot the next frame goes to, or nil (counting an overflow) when the ring is full.
    @inlinable mutating func reserveSlot() -> UnsafeMutablePointer<Int16>? {
        if written &- observedRead == capacity {
            // Acquire: the consumer's reads of the slot we are about to reuse happened before.
            observedRead = ring.readIndex.load(ordering: .acquiring)
            if written &- observedRead == capacity {
                // Only this side writes `overflows`, so a load and a store suffice (no RMW).
                ring.overflows.store(ring.overflows.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
                return nil
            }
        }
        return storage + (written & mask) * samplesPerFrame
    }

    /// Makes the frame in the reserved slot visible to the consumer.
    @inlinable mutating func publish() {
        written &+= 1
        // Release: the frame's samples are written before the consumer can see the new index.
        ring.writeIndex.store(written, ordering: .releasing)
        ring.onPush?()
    }
}

import Glibc
import Synchronization
import Testing
@testable import Audio

/// Moves a noncopyable ring end into another thread's closure (escaping closures cannot consume).
private final class Handoff<T: ~Copyable & Sendable>: Sendable {
    private let slot: Mutex<T?>
    init(_ value: consuming sending T) { slot = Mutex(Optional(value)) }
    func take() -> T { slot.withLock { $0.take()! } }
}

private final class Counter: Sendable { let value = Atomic<Int>(0) }

/// Runs `body` on a new POSIX thread; join with `pthread_join`.
private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    let rc = pthread_create(&thread, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, context)
    precondition(rc == 0, "pthread_create failed")
    return thread
}

@Suite struct FrameRingTests {
    @Test func capacityRoundsUpToAPowerOfTwo() {
        for (asked, expected) in [(1, 1), (3, 4), (8, 8), (9, 16), (1000, 1024)] {
            let ends = FrameRing.make(frames: asked, samplesPerFrame: 960)
            let ring = ends.producer.ring
            #expect(ring.capacity == expected)
            #expect(ring.samplesPerFrame == 960)
        }
    }

    @Test func fullRingHoldsExactlyCapacityFramesAndCountsEachRejectedPush() {
        let ends = FrameRing.make(frames: 3, samplesPerFrame: 2)
        var producer = ends.producer
        let ring = producer.ring
        var accepted: [Bool] = []
        for i in 0..<4 { accepted.append(producer.push([Int16(i), 0])) }
        accepted.append(producer.push([99, 0]))
        accepted.append(producer.push([98, 0]))
        #expect(accepted == [true, true, true, true, false, false])
        #expect(ring.overflowCount == 2)
        #expect(ring.framesWritten == 4)
        #expect(ring.availableFrames == 4)
    }

    @Test func popOnEmptyRingCountsAnUnderflowAndLeavesTheBufferAlone() {
        let ends = FrameRing.make(frames: 4, samplesPerFrame: 3)
        var producer = ends.producer
        var consumer = ends.consumer
        var frame: [Int16] = [7, 7, 7]
        let ring = consumer.ring
        let first = consumer.pop(into: &frame)
        #expect(!first)
        #expect(frame == [7, 7, 7])
        #expect(ring.underflowCount == 1)
        producer.push([1, 2, 3])
        let second = consumer.pop(into: &frame)
        #expect(second)
        #expect(frame == [1, 2, 3])
        let third = consumer.pop(into: &frame)
        #expect(!third)
        #expect(ring.underflowCount == 2)
        #expect(ring.framesRead == 1)
    }

    @Test func framesComeOutInOrderAcrossWrapAround() {
        let ends = FrameRing.make(frames: 4, samplesPerFrame: 2)
        var producer = ends.producer
        var consumer = ends.consumer
        var out: [Int16] = [0, 0]
        var next: Int16 = 0
        for round in 0..<10 {
            for k in 0..<3 {
                let ok = producer.push([Int16(round * 3 + k), -Int16(round * 3 + k)])
                #expect(ok)
            }
            for _ in 0..<3 {
                let ok = consumer.pop(into: &out)
                #expect(ok)
                #expect(out == [next, -next])
                next += 1
            }
        }
        let position = consumer.framesRead
        #expect(position == 30)
        let ring = consumer.ring
        #expect(ring.overflowCount == 0 && ring.underflowCount == 0)
    }

    @Test func inPlaceWriteAndReadSeeTheSameSamples() {
        let ends = FrameRing.make(frames: 2, samplesPerFrame: 4)
        var producer = ends.producer
        var consumer = ends.consumer
        let pushed = producer.push { slot in for i in slot.indices { slot[i] = Int16(10 + i) } }
        #expect(pushed)
        var seen: [Int16] = []
        let read = consumer.pop { frame in seen = Array(frame) }
        #expect(read)
        #expect(seen == [10, 11, 12, 13])
        let popped = consumer.pop { _ in Issue.record("called on an empty ring") }
        #expect(!popped)
    }

    @Test func tenMillionFramesCrossThreadsWithoutLossDuplicationOrReordering() {
        let total = 10_000_000
        let ends = FrameRing.make(frames: 64, samplesPerFrame: 4)
        let ring = ends.producer.ring
        let producerEnd = Handoff(ends.producer)
        let failedPushes = Counter()
        let producerThread = startThread {
            var producer = producerEnd.take()
            var frame: [Int16] = [0, 0, 0, 0]
            var misses = 0
            for seq in 0..<total {
                // The sequence number rides in the first two samples; the rest check integrity.
                frame[0] = Int16(truncatingIfNeeded: seq)
                frame[1] = Int16(truncatingIfNeeded: seq >> 16)
                frame[2] = Int16(truncatingIfNeeded: seq &* 7)
                frame[3] = ~frame[0]
                while !producer.push(frame) {
                    misses += 1
                    sched_yield()  // on a loaded machine, let the consumer run
                }
            }
            failedPushes.value.store(misses, ordering: .relaxed)
        }
        var consumer = ends.consumer
        var frame: [Int16] = [0, 0, 0, 0]
        var expected = 0
        var bad = 0
        var emptyPops = 0
        while expected < total {
            guard consumer.pop(into: &frame) else {
                emptyPops += 1
                sched_yield()
                continue
            }
            let seq = Int(UInt16(bitPattern: frame[0])) | Int(UInt16(bitPattern: frame[1])) << 16
            if seq != expected || frame[2] != Int16(truncatingIfNeeded: seq &* 7) || frame[3] != ~frame[0] { bad += 1 }
            expected += 1
        }
        pthread_join(producerThread, nil)
        #expect(bad == 0)
        let position = consumer.framesRead
        #expect(position == total)
        #expect(ring.framesWritten == total)
        #expect(ring.underflowCount == emptyPops)
        let ok = consumer.pop(into: &frame)
        #expect(!ok)
        #expect(ring.underflowCount == emptyPops + 1)
        // Every push that found the ring full was retried and counted once.
        #expect(ring.overflowCount == failedPushes.value.load(ordering: .relaxed))
    }
}

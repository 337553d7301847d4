import Audio
import Glibc
import Synchronization

/// The baseline: a preallocated array-backed frame queue behind `Synchronization.Mutex`.
private final class MutexFrameQueue: Sendable {
    private struct State: ~Copyable {
        var storage: [Int16]
        var head = 0, count = 0
    }
    private let state: Mutex<State>
    private let capacity: Int, frameSize: Int

    init(frames: Int, samplesPerFrame: Int) {
        capacity = frames
        frameSize = samplesPerFrame
        state = Mutex(State(storage: [Int16](repeating: 0, count: frames * samplesPerFrame)))
    }

    func push(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        state.withLock { s in
            guard s.count < capacity else { return false }
            let slot = (s.head + s.count) % capacity * frameSize
            s.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: slot).update(from: frame.baseAddress!, count: frameSize) }
            s.count += 1
            return true
        }
    }

    func pop(into frame: UnsafeMutableBufferPointer<Int16>) -> Bool {
        state.withLock { s in
            guard s.count > 0 else { return false }
            let slot = s.head * frameSize
            s.storage.withUnsafeBufferPointer { frame.baseAddress!.update(from: $0.baseAddress!.advanced(by: slot), count: frameSize) }
            s.head = (s.head + 1) % capacity
            s.count -= 1
            return true
        }
    }
}

/// Moves a noncopyable ring end into the echo thread.
private final class Handoff<T: ~Copyable & Sendable>: Sendable {
    private let slot: Mutex<T?>
    init(_ value: consuming sending T) { slot = Mutex(Optional(value)) }
    func take() -> T { slot.withLock { $0.take()! } }
}

private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    guard pthread_create(&thread, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, context) == 0 else { fatalError("pthread_create failed") }
    return thread
}

/// What the echo thread serves: 0 the rings, 1 the mutex queues, 2 exit.
private final class EchoMode: Sendable { let value = Atomic<Int>(0) }

func ringSuite() -> BenchSuite {
    BenchSuite(name: "ring", summary: "SPSC frame ring against a Mutex queue") { ctx in
        let frameSize = 960
        let frame = UnsafeMutableBufferPointer<Int16>.allocate(capacity: frameSize)
        frame.initialize(repeating: 7)
        let out = UnsafeMutableBufferPointer<Int16>.allocate(capacity: frameSize)
        out.initialize(repeating: 0)
        defer { frame.deallocate(); out.deallocate() }

        // One thread: push one frame then pop it.
        do {
            let ends = FrameRing.make(frames: 8, samplesPerFrame: frameSize)
            var producer = ends.producer
            var consumer = ends.consumer
            let queue = MutexFrameQueue(frames: 8, samplesPerFrame: frameSize)
            let ops = ctx.iterations(200_000, quick: 20_000)
            let input = UnsafeBufferPointer(frame)
            let r = timeInterleaved(batches: ctx.iterations(30, quick: 8), opsPerBatch: ops, {
                for _ in 0..<ops { producer.push(input); consumer.pop(into: out) }
            }, {
                for _ in 0..<ops { _ = queue.push(input); _ = queue.pop(into: out) }
            })
            blackHole(out[0])
            ctx.add(BenchRow(suite: "ring", name: "push+pop 960-sample frame, one thread", unit: "ns", value: r.a.p50,
                             summary: r.a, baselineName: "Mutex queue", baseline: r.b.p50,
                             target: "≤ 100", meetsTarget: r.a.p50 <= 100))
        }

        // Two threads: a frame goes out on one ring, the echo thread sends it back on another.
        do {
            let there = FrameRing.make(frames: 4, samplesPerFrame: frameSize)
            let back = FrameRing.make(frames: 4, samplesPerFrame: frameSize)
            var send = there.producer
            var receive = back.consumer
            let echoIn = Handoff(there.consumer), echoOut = Handoff(back.producer)
            let queueThere = MutexFrameQueue(frames: 4, samplesPerFrame: frameSize)
            let queueBack = MutexFrameQueue(frames: 4, samplesPerFrame: frameSize)
            let mode = EchoMode()
            let echo = startThread {
                var input = echoIn.take()
                var output = echoOut.take()
                let buffer = UnsafeMutableBufferPointer<Int16>.allocate(capacity: frameSize)
                buffer.initialize(repeating: 0)
                defer { buffer.deallocate() }
                while true {
                    switch mode.value.load(ordering: .relaxed) {
                    case 0:
                        if input.pop(into: buffer) { while !output.push(UnsafeBufferPointer(buffer)) {} }
                    case 1:
                        if queueThere.pop(into: buffer) { while !queueBack.push(UnsafeBufferPointer(buffer)) {} }
                    default:
                        return
                    }
                }
            }
            let trips = ctx.iterations(50_000, quick: 5_000)
            let input = UnsafeBufferPointer(frame)
            let r = timeInterleaved(batches: ctx.iterations(20, quick: 6), opsPerBatch: trips, {
                mode.value.store(0, ordering: .relaxed)
                for _ in 0..<trips {
                    send.push(input)
                    while !receive.pop(into: out) {}
                }
            }, {
                mode.value.store(1, ordering: .relaxed)
                for _ in 0..<trips {
                    _ = queueThere.push(input)
                    while !queueBack.pop(into: out) {}
                }
            })
            mode.value.store(2, ordering: .relaxed)
            pthread_join(echo, nil)
            blackHole(out[0])
            ctx.add(BenchRow(suite: "ring", name: "ping-pong round trip, two threads", unit: "ns", value: r.a.p50,
                             summary: r.a, baselineName: "Mutex queue", baseline: r.b.p50,
                             target: "≤ 300", meetsTarget: r.a.p50 <= 300,
                             note: "spin-waiting both sides; cross-core figures vary with vCPU placement"))
        }
    }
}

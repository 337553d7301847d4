import MediaCore

/// Decoded PCM waiting for output (NetEq's "sync buffer"), with where each run of samples came
/// from, so emission can charge every sample its time in the buffer.
///
/// Samples are interleaved; counts are per channel. Time stretching edits the pending region in
/// place through `withPending`.
struct JitterBufferSampleQueue {
    let channels: Int
    private var storage: [Int16] = []
    private var head = 0
    /// Consecutive pending samples sharing one origin: a packet's arrival, or nil for concealment.
    private var runs: [Run] = []

    struct Run {
        var count: Int
        var arrival: Instant?
    }

    init(channels: Int) { self.channels = channels }

    /// Pending samples per channel.
    var count: Int { (storage.count - head) / channels }

    mutating func append(_ pcm: UnsafeBufferPointer<Int16>, arrival: Instant?) {
        let frames = pcm.count / channels
        guard frames > 0 else { return }
        storage.append(contentsOf: pcm)
        if let last = runs.last, last.arrival == arrival { runs[runs.count - 1].count += frames } else {
            runs.append(Run(count: frames, arrival: arrival))
        }
    }

    /// Lets `edit` change the pending samples (`storage[head...]`); it returns the change in
    /// samples per channel, which is charged to the newest runs.
    mutating func withPending(_ edit: (inout [Int16], Int) -> Int) -> Int {
        compact()
        let delta = edit(&storage, head)
        if delta > 0, !runs.isEmpty {
            runs[runs.count - 1].count += delta
        } else if delta < 0 {
            var remove = -delta
            while remove > 0, let last = runs.last {
                if last.count > remove { runs[runs.count - 1].count -= remove; remove = 0 } else {
                    remove -= last.count
                    runs.removeLast()
                }
            }
        }
        return delta
    }

    /// Moves `frames` samples per channel to `output` (zeros past the end: never happens when the
    /// caller filled first). Returns (samples from packets, Σ seconds they were buffered).
    mutating func emit(into output: UnsafeMutableBufferPointer<Int16>, frames: Int, at now: Instant) -> (fromPackets: Int, delaySeconds: Double) {
        let available = min(frames, count)
        let n = available * channels
        storage.withUnsafeBufferPointer { src in
            for i in 0..<n { output[i] = src[head + i] }
        }
        for i in n..<min(output.count, frames * channels) { output[i] = 0 }
        head += n
        var left = available, fromPackets = 0, delay = 0.0
        var consumed = 0
        while left > 0, consumed < runs.count {
            let take = min(left, runs[consumed].count)
            if let arrival = runs[consumed].arrival {
                fromPackets += take
                delay += Double(take) * (now - arrival).seconds
            }
            runs[consumed].count -= take
            left -= take
            if runs[consumed].count == 0 { consumed += 1 }
        }
        if consumed > 0 { runs.removeFirst(consumed) }
        if head > 16_384 { compact() }
        return (fromPackets, delay)
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
        runs.removeAll(keepingCapacity: true)
    }

    private mutating func compact() {
        guard head > 0 else { return }
        storage.removeFirst(head)
        head = 0
    }
}

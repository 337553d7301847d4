/// Samples waiting to leave in chunks from the front: a read offset instead of `removeFirst`,
/// which moved everything behind each 20 ms chunk (a long reply, queued whole by the backend,
/// was copied once per chunk).
struct AudioBacklog {
    private var storage: [Int16] = []
    private var start = 0

    var count: Int { storage.count - start }
    var isEmpty: Bool { start == storage.count }

    mutating func append(contentsOf samples: [Int16]) {
        storage.append(contentsOf: samples)
    }

    /// Removes and returns up to `n` samples from the front.
    mutating func take(upTo n: Int) -> [Int16] {
        let k = min(n, count)
        let chunk = Array(storage[start..<start + k])
        start += k
        if start == storage.count {
            storage.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 4_096, start * 2 >= storage.count {
            // Compact once the consumed head is at least as long as what is left: amortized O(1).
            storage.removeSubrange(0..<start)
            start = 0
        }
        return chunk
    }

    mutating func removeAll() {
        storage.removeAll()
        start = 0
    }
}

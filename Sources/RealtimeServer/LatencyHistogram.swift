import MediaCore

/// A Prometheus histogram of durations in seconds: cumulative `_bucket{le=…}`, `_sum`, `_count`.
struct LatencyHistogram: Sendable {
    /// Upper bounds in seconds, ascending; `+Inf` is implied.
    let bounds: [Double]
    private(set) var counts: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = [Int](repeating: 0, count: bounds.count)
    }

    mutating func observe(_ d: Duration) {
        let s = Double(d.nanoseconds) / 1e9
        sum += s
        count += 1
        if let i = bounds.firstIndex(where: { s <= $0 }) { counts[i] += 1 }
    }

    /// The exposition lines for `name`, every sample carrying `labels` (`key="value"`, may be empty).
    func render(name: String, labels: String) -> String {
        let sep = labels.isEmpty ? "" : ","
        var out = ""
        var cumulative = 0
        for (bound, n) in zip(bounds, counts) {
            cumulative += n
            out += "\(name)_bucket{\(labels)\(sep)le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{\(labels)\(sep)le=\"+Inf\"} \(count)\n"
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        out += "\(name)_sum\(braces) \(sum)\n\(name)_count\(braces) \(count)\n"
        return out
    }
}

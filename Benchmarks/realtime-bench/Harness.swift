import Glibc

/// Reads the monotonic clock. Benchmarks are the runtime's peer here: the only code that does.
@inline(__always) func nowNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// CPU time of this process (user + system), for per-call CPU figures.
func processCPUNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Keeps a value alive so the optimizer cannot delete the work that produced it.
@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

/// Percentiles and spread of a sample set.
struct Summary: Sendable {
    var count: Int
    var min: Double, p50: Double, p95: Double, p99: Double, max: Double, mean: Double

    init(_ values: [Double]) {
        let s = values.sorted()
        count = s.count
        func q(_ p: Double) -> Double {
            guard !s.isEmpty else { return .nan }
            return s[Swift.min(s.count - 1, Int((p * Double(s.count - 1)).rounded()))]
        }
        min = s.first ?? .nan
        max = s.last ?? .nan
        p50 = q(0.50)
        p95 = q(0.95)
        p99 = q(0.99)
        mean = s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count)
    }

    /// (max - min) / median: how noisy the repeated batches were.
    var relativeSpread: Double { p50 > 0 ? (max - min) / p50 : 0 }
}

/// Times `body` (which performs `opsPerBatch` operations) over `batches` batches after `warmup`
/// batches; returns nanoseconds per operation for each batch.
func timeBatches(warmup: Int = 3, batches: Int, opsPerBatch: Int, _ body: () -> Void) -> Summary {
    for _ in 0..<warmup { body() }
    var samples: [Double] = []
    samples.reserveCapacity(batches)
    for _ in 0..<batches {
        let t0 = nowNanoseconds()
        body()
        let t1 = nowNanoseconds()
        samples.append(Double(t1 - t0) / Double(opsPerBatch))
    }
    return Summary(samples)
}

/// Times two bodies interleaved batch by batch (A B A B …) so machine drift hits both equally;
/// returns both summaries and the per-pair ratio A/B.
func timeInterleaved(warmup: Int = 3, batches: Int, opsPerBatch: Int,
                     _ a: () -> Void, _ b: () -> Void) -> (a: Summary, b: Summary, ratio: Summary) {
    for _ in 0..<warmup { a(); b() }
    var sa: [Double] = [], sb: [Double] = [], r: [Double] = []
    for _ in 0..<batches {
        let t0 = nowNanoseconds(); a(); let t1 = nowNanoseconds(); b(); let t2 = nowNanoseconds()
        let na = Double(t1 - t0) / Double(opsPerBatch), nb = Double(t2 - t1) / Double(opsPerBatch)
        sa.append(na); sb.append(nb); r.append(na / nb)
    }
    return (Summary(sa), Summary(sb), Summary(r))
}

/// One line of the report: a measured figure, how it spread, and what it is held against.
struct BenchRow: Sendable {
    var suite: String
    var name: String
    var unit: String
    var value: Double
    /// Optional extra percentiles for the JSON (p95, p99, min, max).
    var summary: Summary?
    /// A peer or baseline measured in the same run, with its name.
    var baselineName: String?
    var baseline: Double?
    /// The target, as text ("≤ 100"), and whether the figure meets it.
    var target: String?
    var meetsTarget: Bool?
    var note: String?

    var ratio: Double? { baseline.map { value / $0 } }

    /// The spread in words: p95/p99 when there are enough samples for them, else min–max.
    var spread: String? {
        guard let s = summary, s.count > 0 else { return nil }
        if s.count >= 20 { return "p95 \(format(s.p95)) · p99 \(format(s.p99)) (n=\(s.count))" }
        return "min–max \(format(s.min))–\(format(s.max)) (n=\(s.count))"
    }
}

/// One line (or step curve) of a chart: `points` are (x, y) in the chart's units.
struct BenchSeries: Sendable {
    var chart: String
    var name: String
    var points: [(x: Double, y: Double)]
}

/// What a chart shows; the first suite to add a series to `id` describes it.
struct ChartSpec: Sendable {
    var id: String
    var title: String
    var xLabel: String
    var yLabel: String
    /// Draw each series as steps (a CDF) rather than straight segments.
    var steps = false
}

/// What a suite gets: the run mode and a place to put its rows and chart series.
final class BenchContext {
    let quick: Bool
    private(set) var rows: [BenchRow] = []
    private(set) var charts: [ChartSpec] = []
    private(set) var series: [BenchSeries] = []
    init(quick: Bool) { self.quick = quick }

    /// Adds a series to the chart `spec.id` (declaring the chart if it is new).
    func addSeries(_ spec: ChartSpec, name: String, points: [(x: Double, y: Double)]) {
        if !charts.contains(where: { $0.id == spec.id }) { charts.append(spec) }
        series.append(BenchSeries(chart: spec.id, name: name, points: points))
    }

    /// Adds the empirical CDF of `samples` to the chart `spec.id`.
    func addCDF(_ spec: ChartSpec, name: String, samples: [Double]) {
        let s = samples.filter(\.isFinite).sorted()
        guard !s.isEmpty else { return }
        var pts: [(x: Double, y: Double)] = [(s[0], 0)]
        for (i, v) in s.enumerated() { pts.append((v, Double(i + 1) / Double(s.count))) }
        addSeries(spec, name: "\(name) (n=\(s.count))", points: pts)
    }

    /// Scales an iteration count down in `--quick` mode.
    func iterations(_ full: Int, quick q: Int) -> Int { quick ? q : full }

    func add(_ row: BenchRow) {
        rows.append(row)
        printRow(row)
    }

    private func printRow(_ r: BenchRow) {
        var line = "  \(pad(r.name, 44)) \(pad(format(r.value), 10)) \(pad(r.unit, 6))"
        if let s = r.spread { line += " \(s)" }
        if let b = r.baseline, let n = r.baselineName { line += "  vs \(n) \(format(b)) (×\(format(r.ratio ?? .nan)))" }
        if let t = r.target { line += "  target \(t) \((r.meetsTarget ?? false) ? "met" : "MISSED")" }
        if let n = r.note { line += "  [\(n)]" }
        print(line)
    }
}

/// A named group of measurements.
struct BenchSuite {
    let name: String
    let summary: String
    let run: (BenchContext) -> Void
}

func format(_ v: Double) -> String {
    if v.isNaN { return "-" }
    let a = abs(v)
    let digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3
    var s = String(v.rounded(toPlaces: digits))
    if digits == 0, s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

extension Double {
    func rounded(toPlaces p: Int) -> Double {
        var m = 1.0
        for _ in 0..<p { m *= 10 }
        return (self * m).rounded() / m
    }
}

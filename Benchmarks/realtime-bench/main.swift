import Foundation

/// realtime-bench: latency and cost figures for the media engine, each beside a peer or baseline
/// measured in the same run. Usage: realtime-bench [--quick] [--out DIR] [--list] [SUITE ...]
///
/// Output: a full run of every suite writes Benchmarks/results/<date>/ (the record to commit); a
/// quick or partial run writes Benchmarks/results/scratch/<date>-<mode>/ (ignored by git), so it
/// never overwrites a full record. `--out DIR` overrides both.
let allSuites: [BenchSuite] = benchSuites()

var quick = false
var outDir: String? = nil
var selected: [String] = []
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--quick": quick = true
    case "--out":
        guard let d = args.popFirst() else { print("realtime-bench: --out needs a directory"); exit(2) }
        outDir = d
    case "--list":
        for s in allSuites { print("\(pad(s.name, 12)) \(s.summary)") }
        exit(0)
    case "-h", "--help":
        print("usage: realtime-bench [--quick] [--out DIR] [--list] [SUITE ...]\nsuites: \(allSuites.map(\.name).joined(separator: " "))")
        exit(0)
    default:
        guard allSuites.contains(where: { $0.name == a }) else {
            print("realtime-bench: unknown suite '\(a)' (have: \(allSuites.map(\.name).joined(separator: ", ")))")
            exit(2)
        }
        selected.append(a)
    }
}

#if DEBUG
print("realtime-bench: warning: debug build; figures are meaningless (use swift build -c release)")
#endif

var machine = MachineInfo.probe()
print("realtime-bench \(quick ? "--quick " : "")on \(machine.summaryLine)")

let ctx = BenchContext(quick: quick)
for suite in allSuites where selected.isEmpty || selected.contains(suite.name) {
    let t0 = nowNanoseconds()
    print("\n[\(suite.name)] \(suite.summary)")
    suite.run(ctx)
    print("  (\(suite.name): \(format(Double(nowNanoseconds() - t0) / 1e9)) s)")
}
machine.finish()

let results = benchPackageRoot().appendingPathComponent("Benchmarks/results").path
let record = !quick && selected.isEmpty
let dir = outDir ?? (record ? "\(results)/\(machine.date)" : "\(results)/scratch/\(machine.date)-\(quick ? "quick" : "partial")")
Report.makeDirectories(dir)
let ok = Report.writeAll(ctx, machine: machine, to: dir)
print("\nrealtime-bench: \(machine.summaryLine)")
print(ok ? "wrote \(dir)/report.json, report.md and \(ctx.charts.count) charts" : "realtime-bench: could not write to \(dir)")

import Glibc

/// realtime-bench: latency and cost figures for the media engine, each beside a baseline measured
/// in the same run. Usage: realtime-bench [--quick] [--out DIR] [SUITE ...]
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

let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
var load = [Double](repeating: 0, count: 3)
getloadavg(&load, 3)
let machine = "\(cores) cores, load average \(format(load[0])) at start"
print("realtime-bench \(quick ? "--quick " : "")on \(machine)")

let ctx = BenchContext(quick: quick)
for suite in allSuites where selected.isEmpty || selected.contains(suite.name) {
    print("\n[\(suite.name)] \(suite.summary)")
    suite.run(ctx)
}

let dir = outDir ?? "Benchmarks/results/latest"
_ = mkdir(dir, 0o755)
let okJSON = Report.write(Report.json(rows: ctx.rows, quick: quick, machine: machine), to: dir + "/report.json")
let okMD = Report.write(Report.markdown(rows: ctx.rows, quick: quick, machine: machine), to: dir + "/report.md")
print(okJSON && okMD ? "\nwrote \(dir)/report.json and report.md" : "\nrealtime-bench: could not write to \(dir)")

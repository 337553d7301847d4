import Glibc

/// Writes the rows as JSON (machine-readable, for comparing runs by ratio) and Markdown.
enum Report {
    static func json(rows: [BenchRow], quick: Bool, machine: String) -> String {
        var out = "{\n  \"mode\": \"\(quick ? "quick" : "full")\",\n  \"machine\": \(quote(machine)),\n  \"rows\": [\n"
        for (i, r) in rows.enumerated() {
            var fields = ["\"suite\": \(quote(r.suite))", "\"name\": \(quote(r.name))",
                          "\"unit\": \(quote(r.unit))", "\"value\": \(num(r.value))"]
            if let s = r.summary {
                fields.append("\"p50\": \(num(s.p50)), \"p95\": \(num(s.p95)), \"p99\": \(num(s.p99)), \"min\": \(num(s.min)), \"max\": \(num(s.max)), \"samples\": \(s.count)")
            }
            if let b = r.baseline { fields.append("\"baseline\": \(num(b)), \"baselineName\": \(quote(r.baselineName ?? "")), \"ratio\": \(num(r.ratio ?? .nan))") }
            if let t = r.target { fields.append("\"target\": \(quote(t)), \"meetsTarget\": \(r.meetsTarget ?? false)") }
            if let n = r.note { fields.append("\"note\": \(quote(n))") }
            out += "    {" + fields.joined(separator: ", ") + "}" + (i == rows.count - 1 ? "\n" : ",\n")
        }
        return out + "  ]\n}\n"
    }

    static func markdown(rows: [BenchRow], quick: Bool, machine: String) -> String {
        var out = "# realtime-bench (\(quick ? "quick" : "full"))\n\n\(machine)\n\n"
        out += "| suite | figure | value | unit | p95 | baseline | ratio | target |\n|---|---|---|---|---|---|---|---|\n"
        for r in rows {
            let base = r.baseline.map { "\(r.baselineName ?? "") \(format($0))" } ?? ""
            let target = r.target.map { "\($0) \((r.meetsTarget ?? false) ? "✓" : "✗")" } ?? ""
            out += "| \(r.suite) | \(r.name) | \(format(r.value)) | \(r.unit) | \(r.summary.map { format($0.p95) } ?? "") | \(base) | \(r.ratio.map { "×" + format($0) } ?? "") | \(target) |\n"
        }
        return out
    }

    static func write(_ text: String, to path: String) -> Bool {
        guard let f = fopen(path, "w") else { return false }
        defer { fclose(f) }
        return fputs(text, f) >= 0
    }

    private static func num(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
    private static func quote(_ s: String) -> String {
        var o = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            default: o.unicodeScalars.append(c)
            }
        }
        return o + "\""
    }
}

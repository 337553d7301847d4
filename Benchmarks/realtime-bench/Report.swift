import Foundation

/// Writes the rows as JSON (machine-readable, for comparing runs by ratio), Markdown, and one SVG
/// per chart.
enum Report {
    static func json(_ ctx: BenchContext, machine m: MachineInfo) -> String {
        var out = "{\n  \"mode\": \"\(ctx.quick ? "quick" : "full")\",\n  \"date\": \(quote(m.date)),\n"
        out += "  \"commit\": \(quote(m.commit)),\n  \"uncommittedChanges\": \(m.dirty),\n"
        out += "  \"machine\": {\"cores\": \(m.cores), \"model\": \(quote(m.model)), "
        out += "\"loadAverageStart\": [\(m.loadAtStart.map(num).joined(separator: ", "))], "
        out += "\"loadAverageEnd\": [\(m.loadAtEnd.map(num).joined(separator: ", "))]},\n"
        out += "  \"wallSeconds\": \(num(m.wallSeconds)),\n  \"rows\": [\n"
        for (i, r) in ctx.rows.enumerated() {
            var fields = ["\"suite\": \(quote(r.suite))", "\"name\": \(quote(r.name))",
                          "\"unit\": \(quote(r.unit))", "\"value\": \(num(r.value))"]
            if let s = r.summary {
                fields.append("\"p50\": \(num(s.p50)), \"p95\": \(num(s.p95)), \"p99\": \(num(s.p99)), \"min\": \(num(s.min)), \"max\": \(num(s.max)), \"samples\": \(s.count)")
            }
            if let b = r.baseline { fields.append("\"baseline\": \(num(b)), \"baselineName\": \(quote(r.baselineName ?? "")), \"ratio\": \(num(r.ratio ?? .nan))") }
            if let t = r.target { fields.append("\"target\": \(quote(t)), \"meetsTarget\": \(r.meetsTarget ?? false)") }
            if let n = r.note { fields.append("\"note\": \(quote(n))") }
            out += "    {" + fields.joined(separator: ", ") + "}" + (i == ctx.rows.count - 1 ? "\n" : ",\n")
        }
        out += "  ],\n  \"series\": [\n"
        for (i, s) in ctx.series.enumerated() {
            let pts = s.points.map { "[\(num($0.x)), \(num($0.y))]" }.joined(separator: ", ")
            out += "    {\"chart\": \(quote(s.chart)), \"name\": \(quote(s.name)), \"points\": [\(pts)]}"
            out += i == ctx.series.count - 1 ? "\n" : ",\n"
        }
        return out + "  ]\n}\n"
    }

    static func markdown(_ ctx: BenchContext, machine m: MachineInfo) -> String {
        var out = "# realtime-bench (\(ctx.quick ? "quick" : "full") mode)\n\n"
        out += "- machine: \(m.cores) cores, \(m.model)\n"
        out += "- load average (1/5/15 min): \(m.loadAtStart.map(format).joined(separator: " ")) at start, "
        out += "\(m.loadAtEnd.map(format).joined(separator: " ")) at end\n"
        out += "- commit \(m.commit)\(m.dirty ? " (with uncommitted changes)" : ""), \(m.date) (UTC), wall time \(format(m.wallSeconds)) s\n"
        out += "- value: the median (per-call figures: over calls; tight loops: of batch means); spread: p95 · p99 "
        out += "over the samples, or min–max when there are fewer than 20; ratio = ours / the peer or baseline measured in this run\n\n"
        out += "| suite | figure | value | unit | spread | peer / baseline | ratio | target |\n|---|---|---|---|---|---|---|---|\n"
        for r in ctx.rows {
            let base = r.baseline.map { "\(r.baselineName ?? "") \(format($0))" } ?? ""
            let target = r.target.map { "\($0) \((r.meetsTarget ?? false) ? "✓" : "✗")" } ?? ""
            let note = r.note.map { " <br><sub>\(cell($0))</sub>" } ?? ""
            out += "| \(r.suite) | \(cell(r.name))\(note) | \(format(r.value)) | \(r.unit) | \(r.spread ?? "") | \(cell(base)) | \(r.ratio.map { "×" + format($0) } ?? "") | \(cell(target)) |\n"
        }
        if !ctx.charts.isEmpty {
            out += "\n## Charts\n\n"
            for c in ctx.charts { out += "### \(c.title)\n\n![\(c.title)](\(c.id).svg)\n\n" }
        }
        return out
    }

    /// Writes report.json, report.md and the charts into `dir`; false if any write failed.
    static func writeAll(_ ctx: BenchContext, machine: MachineInfo, to dir: String) -> Bool {
        var ok = write(json(ctx, machine: machine), to: dir + "/report.json")
        ok = write(markdown(ctx, machine: machine), to: dir + "/report.md") && ok
        for c in ctx.charts {
            let svg = SVGChart(spec: c, series: ctx.series.filter { $0.chart == c.id }).render()
            if !svg.isEmpty { ok = write(svg, to: "\(dir)/\(c.id).svg") && ok }
        }
        return ok
    }

    static func write(_ text: String, to path: String) -> Bool {
        guard let f = fopen(path, "w") else { return false }
        defer { fclose(f) }
        return fputs(text, f) >= 0
    }

    /// Creates `path` and its parents (mkdir -p).
    static func makeDirectories(_ path: String) {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            _ = mkdir(partial, 0o755)
        }
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
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

/// A small SVG line-chart writer (no packages): axes with round-number ticks, one coloured
/// polyline per series (steps for a CDF), a legend. Enough for the report's four charts.
struct SVGChart {
    let spec: ChartSpec
    let series: [BenchSeries]
    var width = 720.0, height = 420.0
    private let left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
    private static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    init(spec: ChartSpec, series: [BenchSeries]) {
        self.spec = spec
        self.series = series
    }

    func render() -> String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard !all.isEmpty else { return "" }
        let xs = Self.niceRange(all.map(\.x).min()!, all.map(\.x).max()!, includeZero: !spec.steps)
        let ys = Self.niceRange(all.map(\.y).min()!, all.map(\.y).max()!, includeZero: true)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xs.lo) / (xs.hi - xs.lo) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - ys.lo) / (ys.hi - ys.lo) * plotH }

        var o = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="12">"#
        o += "\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        o += "<text x=\"\(Int(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(Self.escape(spec.title))</text>\n"
        for t in xs.ticks {
            let x = px(t)
            o += "<line x1=\"\(r(x))\" y1=\"\(r(top))\" x2=\"\(r(x))\" y2=\"\(r(top + plotH))\" stroke=\"#e5e5e5\"/>"
            o += "<text x=\"\(r(x))\" y=\"\(r(top + plotH + 16))\" text-anchor=\"middle\">\(Self.label(t, step: xs.step))</text>\n"
        }
        for t in ys.ticks {
            let y = py(t)
            o += "<line x1=\"\(r(left))\" y1=\"\(r(y))\" x2=\"\(r(left + plotW))\" y2=\"\(r(y))\" stroke=\"#e5e5e5\"/>"
            o += "<text x=\"\(r(left - 6))\" y=\"\(r(y + 4))\" text-anchor=\"end\">\(Self.label(t, step: ys.step))</text>\n"
        }
        o += "<rect x=\"\(r(left))\" y=\"\(r(top))\" width=\"\(r(plotW))\" height=\"\(r(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        o += "<text x=\"\(r(left + plotW / 2))\" y=\"\(r(height - 18))\" text-anchor=\"middle\">\(Self.escape(spec.xLabel))</text>\n"
        o += "<text transform=\"translate(18 \(r(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(spec.yLabel))</text>\n"
        for (i, s) in series.enumerated() {
            let colour = Self.colours[i % Self.colours.count]
            var pts: [String] = []
            var previous: (x: Double, y: Double)?
            for p in s.points where p.x.isFinite && p.y.isFinite {
                if spec.steps, let q = previous { pts.append("\(r(px(p.x))),\(r(py(q.y)))") }
                pts.append("\(r(px(p.x))),\(r(py(p.y)))")
                previous = p
            }
            if s.points.count == 1, let p = s.points.first {
                o += "<circle cx=\"\(r(px(p.x)))\" cy=\"\(r(py(p.y)))\" r=\"4\" fill=\"\(colour)\"/>\n"
            } else {
                o += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"/>\n"
                if !spec.steps && s.points.count <= 60 {
                    for p in s.points where p.x.isFinite && p.y.isFinite {
                        o += "<circle cx=\"\(r(px(p.x)))\" cy=\"\(r(py(p.y)))\" r=\"2.5\" fill=\"\(colour)\"/>"
                    }
                    o += "\n"
                }
            }
            // A CDF leaves its lower right empty; other charts keep the legend top left.
            let ly = spec.steps ? top + plotH - 10 - Double(series.count - 1 - i) * 16 : top + 16 + Double(i) * 16
            let lx = spec.steps ? left + plotW - 250 : left + 10
            o += "<rect x=\"\(r(lx))\" y=\"\(r(ly - 9))\" width=\"12\" height=\"4\" fill=\"\(colour)\"/>"
            o += "<text x=\"\(r(lx + 18))\" y=\"\(r(ly))\">\(Self.escape(s.name))</text>\n"
        }
        return o + "</svg>\n"
    }

    private func r(_ v: Double) -> String { String(v.rounded(toPlaces: 1)) }

    /// An axis range widened to round numbers, with 4–8 ticks at 1, 2 or 5 × 10^k steps.
    static func niceRange(_ lo: Double, _ hi: Double, includeZero: Bool) -> (lo: Double, hi: Double, step: Double, ticks: [Double]) {
        var lo = includeZero ? Swift.min(0, lo) : lo, hi = hi
        if hi - lo < 1e-12 { hi = lo + Swift.max(1, abs(lo) * 0.1) }
        let raw = (hi - lo) / 6
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        var t = lo
        while t <= hi + step / 2 { ticks.append(t); t += step }
        return (lo, hi, step, ticks)
    }

    /// A tick label with no more decimals than its step needs.
    static func label(_ v: Double, step: Double) -> String {
        if step >= 1 { return String(Int(v.rounded())) }
        var decimals = 0, s = step
        while s < 1 && decimals < 6 { s *= 10; decimals += 1 }
        return String(v.rounded(toPlaces: decimals))
    }

    static func escape(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }
}

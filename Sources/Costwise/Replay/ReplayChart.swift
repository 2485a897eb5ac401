/// A replay's cost–quality plane as an SVG document, written out directly (no dependency).
///
/// Cost runs along x as a percentage of the baseline's mean cost per held-out request (the
/// subtitle says what 100% is in USD per 1,000 requests), quality up y as a percentage of the
/// baseline's. It draws the threshold sweep as a curve, the optimized curve dashed, the optimized
/// choice as a diamond, each single model and the oracle as labelled points, the quality target
/// as a dashed line, and rings the sweep's cheapest point that reaches the target.
public enum ReplayChart {
    static let width = 900.0
    static let height = 600.0
    static let sweepColour = "#1f6fb4"
    static let optimizedColour = "#e07b00"
    static let oracleColour = "#2a9d3a"

    /// The chart of `report`, headed by `title` (the file's name, say).
    public static func svg(_ report: ReplayReport, title: String) -> String {
        let plane = Plane(report: report)
        var svg = Canvas()
        svg.add(##"<rect x="0" y="0" width="\##(n(width))" height="\##(n(height))" fill="white"/>"##)
        svg.text(title, x: Plane.left, y: 28, size: 17, weight: "bold")
        for (index, line) in subtitle(report).enumerated() {
            svg.text(line, x: Plane.left, y: 48 + Double(index) * 16, size: 12, fill: "#555")
        }
        plane.drawAxes(into: &svg, baseline: report.baseline.label)

        let target = report.targetQualityRatio * 100
        if plane.yRange.contains(target) {
            let y = plane.y(target)
            svg.add(##"<line x1="\##(n(Plane.left))" y1="\##(n(y))" x2="\##(n(Plane.right))" y2="\##(n(y))" stroke="#888" stroke-width="1.2" stroke-dasharray="6 4"/>"##)
            svg.text("target \(DecimalFormat.string(target, places: 1))% of \(report.baseline.label)'s quality",
                     x: Plane.right - 6, y: y - 6, size: 11, fill: "#666", anchor: "end")
        }

        plane.curve(report.sweep, colour: sweepColour, dashed: false, into: &svg)
        if !report.optimizedCurve.isEmpty {
            plane.curve(report.optimizedCurve, colour: optimizedColour, dashed: true, into: &svg)
        }
        for (point, colour) in [(report.sweepAtTarget, sweepColour), (report.optimizedCurveAtTarget, optimizedColour)] {
            guard let point else { continue }
            let (x, y) = plane.position(point)
            svg.add(##"<circle cx="\##(n(x))" cy="\##(n(y))" r="9" fill="none" stroke="\##(colour)" stroke-width="2"/>"##)
        }
        if let optimized = report.optimized {
            let (x, y) = plane.position(optimized.heldOut)
            svg.add(##"<path d="M \##(n(x)) \##(n(y - 8)) L \##(n(x + 8)) \##(n(y)) L \##(n(x)) \##(n(y + 8)) L \##(n(x - 8)) \##(n(y)) Z" fill="\##(optimizedColour)" stroke="white" stroke-width="1"/>"##)
            svg.text("optimized on training for \(percent(optimized.targetQualityRatio)):", x: x - 12, y: y - 28, size: 12,
                     fill: optimizedColour, anchor: "end")
            svg.text("cost \(percent(optimized.heldOut.costRatio)), quality \(percent(optimized.heldOut.qualityRatio))",
                     x: x - 12, y: y - 13, size: 12, fill: optimizedColour, anchor: "end")
        }
        for model in report.singleModels {
            let (x, y) = plane.position(model)
            svg.add(##"<circle cx="\##(n(x))" cy="\##(n(y))" r="5.5" fill="#222"/>"##)
            svg.text(model.label, x: x + 9, y: y + 18, size: 12, weight: "bold")
        }
        let (oracleX, oracleY) = plane.position(report.oracle)
        svg.add(##"<path d="M \##(n(oracleX)) \##(n(oracleY - 8)) L \##(n(oracleX + 7)) \##(n(oracleY + 5)) L \##(n(oracleX - 7)) \##(n(oracleY + 5)) Z" fill="\##(oracleColour)"/>"##)
        svg.text("oracle: per item, the cheapest model with the best score", x: oracleX + 12, y: oracleY + 4, size: 12,
                 weight: "bold", fill: oracleColour)
        legend(into: &svg, report: report)
        svg.add("</svg>")
        return svg.text
    }

    private static func subtitle(_ report: ReplayReport) -> [String] {
        var first = "\(report.heldOutItems) held-out items of \(report.taskTypes) task types"
        if let fraction = report.trainingFraction, let seed = report.seed {
            first += " (split \(DecimalFormat.string(fraction)), seed \(seed)); each routed by the selector trained on the other part"
        }
        return [first, "100% cost = \(report.baseline.label) alone: \(DecimalFormat.string(report.baseline.costUSD * 1_000, places: 4)) USD "
            + "per 1,000 requests; 100% quality = its mean score, \(DecimalFormat.string(report.baseline.quality, places: 4))"]
    }

    private static func legend(into svg: inout Canvas, report: ReplayReport) {
        let target = percent(report.targetQualityRatio)
        func reading(_ point: ReplayPoint?) -> String {
            point.map { "cost \(percent($0.costRatio)), quality \(percent($0.qualityRatio))" } ?? "not reached"
        }
        var entries: [(mark: String, text: String)] = [
            (##"<line x1="0" y1="0" x2="22" y2="0" stroke="\##(sweepColour)" stroke-width="2.5"/>"##, "uniform threshold sweep"),
            (##"<circle cx="11" cy="0" r="8" fill="none" stroke="\##(sweepColour)" stroke-width="2"/>"##,
             "sweep at \(target): \(reading(report.sweepAtTarget))"),
        ]
        if report.optimized != nil {
            entries.append((##"<line x1="0" y1="0" x2="22" y2="0" stroke="\##(optimizedColour)" stroke-width="2.5" stroke-dasharray="6 3"/>"##,
                            "optimized per task type, over training targets"))
            entries.append((##"<circle cx="11" cy="0" r="8" fill="none" stroke="\##(optimizedColour)" stroke-width="2"/>"##,
                            "optimized curve at \(target): \(reading(report.optimizedCurveAtTarget))"))
            entries.append((##"<path d="M 11 -7 L 18 0 L 11 7 L 4 0 Z" fill="\##(optimizedColour)"/>"##,
                            "optimized on training for the target"))
        }
        entries.append((##"<circle cx="11" cy="0" r="5.5" fill="#222"/>"##, "single model"))
        entries.append((##"<path d="M 11 -7 L 18 5 L 4 5 Z" fill="\##(oracleColour)"/>"##, "oracle"))
        let boxWidth = 360.0
        let boxHeight = Double(entries.count) * 20 + 12
        let left = Plane.right - boxWidth - 10
        let top = Plane.bottom - boxHeight - 10
        svg.add(##"<rect x="\##(n(left))" y="\##(n(top))" width="\##(n(boxWidth))" height="\##(n(boxHeight))" fill="white" fill-opacity="0.92" stroke="#bbb"/>"##)
        for (index, entry) in entries.enumerated() {
            let y = top + 16 + Double(index) * 20
            svg.add(##"<g transform="translate(\##(n(left + 10)) \##(n(y)))">\##(entry.mark)</g>"##)
            svg.text(entry.text, x: left + 40, y: y + 4, size: 12)
        }
    }

    static func percent(_ ratio: Double) -> String {
        DecimalFormat.string(ratio * 100, places: 1) + "%"
    }

    static func n(_ value: Double) -> String {
        DecimalFormat.string(value, places: 1)
    }

    /// The plot area and its scales: cost ratio in percent along x, quality ratio in percent up y.
    struct Plane {
        static let left = 90.0
        /// Room on the right for the labels of points near the right edge.
        static let right = ReplayChart.width - 150
        static let top = 86.0
        static let bottom = ReplayChart.height - 70

        let xRange: ClosedRange<Double>
        let yRange: ClosedRange<Double>
        let xStep: Double
        let yStep: Double

        init(report: ReplayReport) {
            var points = report.singleModels + report.sweep + report.optimizedCurve + [report.oracle, report.baseline]
            if let optimized = report.optimized { points.append(optimized.heldOut) }
            let costs = points.map { $0.costRatio * 100 }.filter(\.isFinite)
            let qualities = (points.map { $0.qualityRatio * 100 } + [report.targetQualityRatio * 100]).filter(\.isFinite)
            let highestCost = max(costs.max() ?? 100, 100)
            xStep = highestCost > 150 ? 25 : 10
            xRange = 0...((highestCost * 1.04 / xStep).rounded(.up) * xStep)
            let lowest = qualities.min() ?? 0
            let highest = qualities.max() ?? 100
            yStep = highest - lowest > 40 ? 10 : 5
            yRange = max(0, ((lowest - 1) / yStep).rounded(.down) * yStep)...(((highest + 1) / yStep).rounded(.up) * yStep)
        }

        func x(_ percent: Double) -> Double {
            Self.left + (percent - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (Self.right - Self.left)
        }

        func y(_ percent: Double) -> Double {
            Self.bottom - (percent - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (Self.bottom - Self.top)
        }

        func position(_ point: ReplayPoint) -> (Double, Double) {
            (x(point.costRatio * 100), y(point.qualityRatio * 100))
        }

        func drawAxes(into svg: inout Canvas, baseline: String) {
            for tick in stride(from: xRange.lowerBound, through: xRange.upperBound, by: xStep) {
                let x = x(tick)
                svg.add(##"<line x1="\##(n(x))" y1="\##(n(Self.top))" x2="\##(n(x))" y2="\##(n(Self.bottom))" stroke="#e6e6e6"/>"##)
                svg.text(DecimalFormat.string(tick) + "%", x: x, y: Self.bottom + 18, size: 12, anchor: "middle")
            }
            for tick in stride(from: yRange.lowerBound, through: yRange.upperBound, by: yStep) {
                let y = y(tick)
                svg.add(##"<line x1="\##(n(Self.left))" y1="\##(n(y))" x2="\##(n(Self.right))" y2="\##(n(y))" stroke="#e6e6e6"/>"##)
                svg.text(DecimalFormat.string(tick) + "%", x: Self.left - 8, y: y + 4, size: 12, anchor: "end")
            }
            svg.add(##"<rect x="\##(n(Self.left))" y="\##(n(Self.top))" width="\##(n(Self.right - Self.left))" height="\##(n(Self.bottom - Self.top))" fill="none" stroke="#444"/>"##)
            svg.text("cost: mean per held-out request, % of \(baseline) alone",
                     x: (Self.left + Self.right) / 2, y: Self.bottom + 44, size: 13, anchor: "middle")
            let middle = (Self.top + Self.bottom) / 2
            svg.add(##"<text x="0" y="0" transform="translate(24 \##(n(middle))) rotate(-90)" font-family="sans-serif" font-size="13" text-anchor="middle">\##(Canvas.escape("quality: mean score, % of \(baseline)'s"))</text>"##)
        }

        func curve(_ points: [ReplayPoint], colour: String, dashed: Bool, into svg: inout Canvas) {
            let ordered = points.filter { $0.costRatio.isFinite && $0.qualityRatio.isFinite }
                .sorted { $0.costRatio != $1.costRatio ? $0.costRatio < $1.costRatio : $0.qualityRatio < $1.qualityRatio }
            guard !ordered.isEmpty else { return }
            let path = ordered.map { point in
                let (x, y) = position(point)
                return "\(n(x)),\(n(y))"
            }.joined(separator: " ")
            let dash = dashed ? ##" stroke-dasharray="7 4""## : ""
            svg.add(##"<polyline points="\##(path)" fill="none" stroke="\##(colour)" stroke-width="2.2"\##(dash)/>"##)
            for point in ordered {
                let (x, y) = position(point)
                svg.add(##"<circle cx="\##(n(x))" cy="\##(n(y))" r="2.6" fill="\##(colour)"/>"##)
            }
        }
    }

    /// The document being written.
    struct Canvas {
        var text = ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(n(width))" height="\##(n(height))" viewBox="0 0 \##(n(width)) \##(n(height))">"## + "\n"

        mutating func add(_ element: String) {
            text += element + "\n"
        }

        mutating func text(_ content: String, x: Double, y: Double, size: Double, weight: String = "normal",
                           fill: String = "#222", anchor: String = "start") {
            add(##"<text x="\##(n(x))" y="\##(n(y))" font-family="sans-serif" font-size="\##(n(size))" font-weight="\##(weight)" fill="\##(fill)" text-anchor="\##(anchor)">\##(Self.escape(content))</text>"##)
        }

        static func escape(_ text: String) -> String {
            text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
        }
    }
}

import Costwise

/// The dashboard's chart as inline SVG: per day, what all-premium would have cost (a light bar) and
/// what was spent (a dark bar inside it), on one dollar scale. Drawn on the server, so the page
/// needs no script; each day's bars carry a `<title>` that browsers show on hover.
struct SpendChart {
    var days: [Dashboard.Day]

    static let width = 760.0
    static let height = 240.0
    /// Room for the dollar labels on the left and the dates below.
    static let left = 70.0
    static let right = 8.0
    static let top = 24.0
    static let bottom = 28.0

    static let spendColor = "#1f6f54"
    static let premiumColor = "#c9d3dc"

    func svg() -> String {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let largest = days.map { max($0.spend.allPremiumUSD, $0.spend.spendUSD) }.max() ?? 0
        let scale = Self.niceCeiling(largest)
        let places = scale >= 100 ? 0 : scale >= 1 ? 2 : scale >= 0.01 ? 4 : 6
        let slot = plotWidth / Double(max(1, days.count))
        func y(_ usd: Double) -> Double { Self.top + plotHeight * (1 - usd / scale) }
        func number(_ value: Double) -> String { DecimalFormat.string(value, places: 1) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(number(Self.width)) \(number(Self.height))" \
            role="img" aria-labelledby="chart-title" class="chart">
            <title id="chart-title">Spend per day against what all-premium would have cost, \(days.count) days</title>

            """
        for step in 0...4 {
            let usd = scale * Double(step) / 4
            svg += "<line x1=\"\(number(Self.left))\" x2=\"\(number(Self.width - Self.right))\" y1=\"\(number(y(usd)))\" "
                + "y2=\"\(number(y(usd)))\" class=\"grid\"/>"
                + "<text x=\"\(number(Self.left - 6))\" y=\"\(number(y(usd) + 4))\" text-anchor=\"end\">"
                + "\(DashboardFormat.usd(usd, places: places))</text>\n"
        }
        let labelEvery = max(1, Int((Double(days.count) / 6).rounded(.up)))
        for (index, day) in days.enumerated() {
            let x = Self.left + slot * Double(index)
            let spend = day.spend
            svg += "<g data-day=\"\(DashboardFormat.date(day.start))\"><title>\(DashboardFormat.date(day.start)): spent "
                + "\(DashboardFormat.usd(spend.spendUSD)), all-premium \(DashboardFormat.usd(spend.allPremiumUSD)), "
                + "\(spend.requests) requests</title>"
            svg += "<rect x=\"\(number(x + slot * 0.1))\" y=\"\(number(y(spend.allPremiumUSD)))\" width=\"\(number(slot * 0.8))\" "
                + "height=\"\(number(plotHeight * spend.allPremiumUSD / scale))\" fill=\"\(Self.premiumColor)\"/>"
            svg += "<rect x=\"\(number(x + slot * 0.3))\" y=\"\(number(y(spend.spendUSD)))\" width=\"\(number(slot * 0.4))\" "
                + "height=\"\(number(plotHeight * spend.spendUSD / scale))\" fill=\"\(Self.spendColor)\"/></g>\n"
            // Dates counted back from the last day, so that the latest one is always labelled.
            if (days.count - 1 - index) % labelEvery == 0 {
                svg += "<text x=\"\(number(x + slot / 2))\" y=\"\(number(Self.height - 8))\" text-anchor=\"middle\">"
                    + "\(DashboardFormat.date(day.start).dropFirst(5))</text>\n"
            }
        }
        if largest == 0 {
            svg += "<text x=\"\(number(Self.left + plotWidth / 2))\" y=\"\(number(Self.top + plotHeight / 2))\" "
                + "text-anchor=\"middle\">no priced requests on these days</text>\n"
        }
        svg += "<rect x=\"\(number(Self.width - 250))\" y=\"4\" width=\"10\" height=\"10\" fill=\"\(Self.spendColor)\"/>"
            + "<text x=\"\(number(Self.width - 235))\" y=\"13\">spent</text>"
            + "<rect x=\"\(number(Self.width - 180))\" y=\"4\" width=\"10\" height=\"10\" fill=\"\(Self.premiumColor)\"/>"
            + "<text x=\"\(number(Self.width - 165))\" y=\"13\">all-premium would have cost</text>\n</svg>"
        return svg
    }

    /// The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `value`, so the scale's
    /// quarters are round figures; 1 for nothing to show.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        while power > value { power /= 10 }
        for factor in [1.0, 2, 2.5, 5, 10] where power * factor >= value { return power * factor }
        return power * 10
    }
}

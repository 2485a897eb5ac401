import Costwise

/// How the dashboard writes its figures for reading: dollars with a fixed number of decimals and
/// thousands separators, shares as percentages, times in UTC. The exact figure goes beside it in a
/// `data-` attribute, so that a reader of the markup (or a test) need not parse the rounded text.
enum DashboardFormat {
    /// `$1,234.5678`, `-$0.0012`: `value` rounded to `places` decimals.
    static func usd(_ value: Double, places: Int = 4) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let units = Int((abs(value) * scale).rounded())
        let whole = units / Int(scale)
        let fraction = units % Int(scale)
        var digits = Array(String(whole))
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + String(digits.suffix(3)) + grouped
            digits.removeLast(3)
        }
        grouped = String(digits) + grouped
        if places > 0 {
            let fractionText = String(fraction)
            grouped += "." + String(repeating: "0", count: places - fractionText.count) + fractionText
        }
        return (value < 0 && units > 0 ? "-$" : "$") + grouped
    }

    /// `82.5%`, one decimal.
    static func percent(_ value: Double) -> String {
        DecimalFormat.string(value, places: 1) + "%"
    }

    /// `2026-12-07 09:20:11` (UTC).
    static func time(_ seconds: Double) -> String {
        let text = RFC3339.string(fromSeconds: seconds.rounded(.down))
        return String(text.prefix(10)) + " " + text.dropFirst(11).prefix(8)
    }

    /// `2026-12-07`.
    static func date(_ seconds: Double) -> String {
        String(RFC3339.string(fromSeconds: seconds).prefix(10))
    }
}

import Costwise

/// The dashboard as one HTML document, written from a ``Dashboard`` with every value from the store
/// escaped. It reads without scripts and loads nothing else: the chart is inline SVG, the style is
/// inline CSS. Each figure's element has an id or a `data-` attribute with the exact value, so the
/// markup can be checked against the store.
struct DashboardPage {
    var dashboard: Dashboard

    func html() -> String {
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Costwise dashboard</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header><h1>Costwise</h1><p>Figures from the store at <time id="generated-at">\(DashboardFormat.time(dashboard.at))</time> UTC; \
            reload the page for new ones.</p></header>

            """
        html += savings() + daily() + tasks() + requests() + review() + keys()
        html += """
            <footer><p>Spend counts the gateway's answered requests at the cost their upstream reported, whether routed \
            for a task type or sent to a model the request named; a request whose upstream reported no usage has no \
            known cost and adds none. All-premium is what the same tokens would have cost on the cheapest top-tier \
            model that could have served the request.</p></footer>
            </body>
            </html>

            """
        return html
    }

    /// A dollar figure as a cell or definition: rounded for reading, exact in `data-usd`.
    private func money(_ tag: String, _ value: Double, places: Int = 4, id: String? = nil, extra: String = "") -> String {
        let idAttribute = id.map { " id=\"\($0)\"" } ?? ""
        return "<\(tag)\(idAttribute) class=\"num\" data-usd=\"\(DecimalFormat.string(value))\">\(DashboardFormat.usd(value, places: places))\(extra)</\(tag)>"
    }

    private func savings() -> String {
        let total = dashboard.total
        let percent = total.savingPercent.map { " (" + DashboardFormat.percent($0) + ")" } ?? ""
        return """
            <section id="savings"><h2>Savings so far</h2>
            <dl class="figures">
            <div><dt>Spent</dt>\(money("dd", total.spendUSD, id: "total-spend"))</div>
            <div><dt>All-premium would have cost</dt>\(money("dd", total.allPremiumUSD, id: "total-premium"))</div>
            <div><dt>Saved</dt>\(money("dd", total.savingUSD, id: "total-saving", extra: HTML.escape(percent)))</div>
            <div><dt>Answered requests</dt><dd id="total-requests" class="num" data-count="\(total.requests)">\(total.requests)</dd></div>
            </dl>
            <p class="note">\(total.requests - total.pricedRequests) answered requests without reported usage; \
            \(dashboard.namedModels.requests) named their model.</p>
            </section>

            """
    }

    private func daily() -> String {
        var html = "<section id=\"daily\"><h2>Spend per day, last \(dashboard.days.count) days (UTC)</h2>\n"
        html += SpendChart(days: dashboard.days).svg() + "\n"
        html += "<details><summary>The figures by day</summary><table id=\"daily-table\"><thead><tr><th>Day</th>"
            + "<th class=\"num\">Requests</th><th class=\"num\">Spent</th><th class=\"num\">All-premium</th><th class=\"num\">Saved</th>"
            + "</tr></thead><tbody>\n"
        for day in dashboard.days.reversed() where day.spend.requests > 0 {
            html += "<tr data-day=\"\(DashboardFormat.date(day.start))\"><td>\(DashboardFormat.date(day.start))</td>"
                + "<td class=\"num\">\(day.spend.requests)</td>" + money("td", day.spend.spendUSD) + money("td", day.spend.allPremiumUSD)
                + money("td", day.spend.savingUSD) + "</tr>\n"
        }
        return html + "</tbody></table></details></section>\n"
    }

    private func tasks() -> String {
        var html = """
            <section id="tasks"><h2>Task types</h2>
            <table><thead><tr><th>Task type</th><th class="num">Threshold</th><th>Model now</th><th class="num">Quality</th>\
            <th class="num">Samples</th><th class="num">Est. cost a request</th><th class="num">Requests</th><th class="num">Spent</th>\
            <th class="num">Saved</th></tr></thead><tbody>

            """
        for line in dashboard.tasks {
            let threshold = DecimalFormat.string(line.threshold) + (line.thresholdIsDefault ? "*" : "")
            html += "<tr data-task=\"\(HTML.escape(line.task))\"><td>\(HTML.escape(line.task))</td>"
                + "<td class=\"num\" data-threshold=\"\(DecimalFormat.string(line.threshold))\">\(threshold)</td>"
            if let chosen = line.chosen {
                html += "<td class=\"model\">\(HTML.escape(chosen.model))</td>"
                    + "<td class=\"num\" data-mean=\"\(DecimalFormat.string(chosen.quality.mean))\">"
                    + "\(DecimalFormat.string(chosen.quality.mean, places: 4))</td>"
                    + "<td class=\"num\" data-samples=\"\(DecimalFormat.string(chosen.quality.samples))\">"
                    + "\(DecimalFormat.string(chosen.quality.samples, places: 1))</td>"
                    + money("td", chosen.estimatedCostUSD, places: 6)
            } else {
                html += "<td colspan=\"4\" class=\"none\">none qualifies: \(HTML.escape(line.failureReason ?? ""))</td>"
            }
            html += "<td class=\"num\">\(line.spend.requests)</td>" + money("td", line.spend.spendUSD) + money("td", line.spend.savingUSD)
                + "</tr>\n"
        }
        html += "</tbody></table>\n"
        if dashboard.tasks.contains(where: \.thresholdIsDefault) {
            html += "<p class=\"note\">* the gateway's default threshold: the task type has none of its own "
                + "(<code>costwise tasks set NAME --min-quality Q</code>).</p>\n"
        }
        return html + "</section>\n"
    }

    private func requests() -> String {
        var html = """
            <section id="requests"><h2>Latest requests</h2>
            <table><thead><tr><th>Time (UTC)</th><th>Request</th><th>Task type</th><th>Model</th><th>Status</th>\
            <th class="num">Cost</th><th>Reason</th></tr></thead><tbody>

            """
        for record in dashboard.latest {
            let cost = record.costUSD.map { money("td", $0, places: 6) } ?? "<td class=\"num\">—</td>"
            html += "<tr data-id=\"\(HTML.escape(record.id))\"><td class=\"time\">\(DashboardFormat.time(record.at))</td>"
                + "<td class=\"id\">\(HTML.escape(record.id))</td><td>\(HTML.escape(record.task ?? "—"))</td>"
                + "<td class=\"model\">\(HTML.escape(record.model ?? "—"))</td>"
                + "<td class=\"status-\(record.status.rawValue)\">\(record.status.rawValue)</td>" + cost
                + "<td>\(HTML.escape(record.reason))</td></tr>\n"
        }
        if dashboard.latest.isEmpty {
            html += "<tr><td colspan=\"7\" class=\"none\">No requests yet.</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private func review() -> String {
        var html = """
            <section id="review"><h2>Review</h2>
            <p class="note">As <code>costwise review</code> gives it: evidence weighted by age, traffic from the logged selections.</p>
            <table><thead><tr><th>Task type</th><th>Action</th><th>In use</th><th>Reason</th></tr></thead><tbody>

            """
        for finding in dashboard.review {
            html += "<tr data-task=\"\(HTML.escape(finding.task))\"><td>\(HTML.escape(finding.task))</td>"
                + "<td class=\"action-\(finding.action.rawValue)\">\(finding.action.rawValue)</td>"
                + "<td class=\"model\">\(HTML.escape(finding.currentModel ?? "—"))</td><td>\(HTML.escape(finding.reason))</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private func keys() -> String {
        guard !dashboard.keys.isEmpty else {
            return """
                <section id="keys"><h2>Keys</h2>
                <p id="keys-none">No API keys: every endpoint is open, and this page is shown to this machine only. \
                <code>costwise keys create NAME --scopes admin</code> makes the first one.</p>
                </section>

                """
        }
        var html = """
            <section id="keys"><h2>Keys</h2>
            <table><thead><tr><th>Key</th><th>Period</th><th class="num">Budget</th><th class="num">Spent</th>\
            <th class="num">Reserved</th><th class="num">Remaining</th><th>Used</th></tr></thead><tbody>

            """
        for key in dashboard.keys {
            let budget = key.budgetUSD.map { money("td", $0) } ?? "<td class=\"num\">none</td>"
            let remaining = key.remainingUSD.map { money("td", $0) } ?? "<td class=\"num\">—</td>"
            let used = key.usedShare.map {
                "<meter min=\"0\" max=\"1\" high=\"0.9\" value=\"\(DecimalFormat.string(min($0, 1)))\"></meter> \(DashboardFormat.percent($0 * 100))"
            } ?? "—"
            html += "<tr data-key=\"\(HTML.escape(key.name))\"><td>\(HTML.escape(key.name))</td><td>\(key.period.rawValue)</td>" + budget
                + money("td", key.spentUSD) + money("td", key.reservedUSD) + remaining + "<td>\(used)</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b2630;background:#f6f8fa;margin:0;padding:0 24px 32px}\
        header,section,footer{max-width:1180px;margin:0 auto}\
        header{display:flex;align-items:baseline;gap:16px;flex-wrap:wrap}h1{font-size:22px;margin:18px 0 6px}\
        h2{font-size:17px;margin:26px 0 8px}section{background:#fff;border:1px solid #dde3e8;border-radius:8px;padding:4px 18px 14px;margin-top:14px}\
        .figures{display:flex;gap:36px;flex-wrap:wrap;margin:6px 0}.figures dt{color:#5b6b78;font-size:13px}\
        .figures dd{margin:0;font-size:24px;font-weight:600}#total-saving{color:#1f6f54}\
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6eaee;vertical-align:top}\
        th{color:#5b6b78;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}\
        .model,.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}.model,.time,.num{white-space:nowrap}.none,.note{color:#5b6b78}\
        .status-failed,.status-rejected,.status-no_model,.action-upgrade{color:#a4262c;font-weight:600}\
        .action-downgrade,.action-collapse{color:#1f6f54;font-weight:600}.action-explore{color:#8a6100;font-weight:600}\
        .chart{width:100%;max-width:900px;height:auto;font-size:11px;fill:#5b6b78}.chart .grid{stroke:#e6eaee}\
        footer{color:#5b6b78;font-size:13px;margin-top:18px}summary{cursor:pointer;color:#5b6b78}
        """
}

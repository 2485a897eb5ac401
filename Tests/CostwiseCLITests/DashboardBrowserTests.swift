import Foundation
import Testing
import struct Costwise.SplitMix64

/// The dashboard as a person sees it: the real `costwise serve` over a store with a month of
/// recorded requests, opened in headless Chromium; the figures in the page the browser built must be
/// the store's, as `costwise requests`, `report savings`, `select` and `review` give them.
///
/// Chromium comes from Debian's packages: `.ci/run` installs it. Outside CI a machine without it
/// skips this test and says so; in CI (`CI=true`) a missing browser is a failure, so that the check
/// cannot silently stop running. With `COSTWISE_DASHBOARD_SCREENSHOT=PATH` the test also saves its
/// screenshot there (the README's docs/dashboard.png is made so).
@Suite struct DashboardBrowserTests {
    /// The routed task types of the recorded requests, with the model that answered each.
    static let routes = [("summarization", "google/gemini-2.0-flash"), ("classification", "openai/gpt-4.1-nano"),
                         ("code", "deepseek/deepseek-chat"), ("extraction", "openai/gpt-4o-mini"), ("simple-qa", "google/gemini-2.5-flash-lite")]

    /// 29 days of requests up to `now` (all inside the chart's 30 however the day's start falls), more
    /// each week, with some that fell back and some that failed.
    static func requestsSQL(now: Double) -> String {
        var random = SplitMix64(seed: 21)
        var rows: [String] = []
        for daysAgo in stride(from: 28, through: 0, by: -1) {
            let count = 6 + (28 - daysAgo) / 3 + Int(random.next() % 5)
            for index in 0..<count {
                let (task, model) = routes[Int(random.next() % UInt64(routes.count))]
                let at = now - Double(daysAgo) * 86_400 - Double(count - index) * 97
                let input = 400 + Int(random.next() % 2_600)
                let output = 80 + Int(random.next() % 800)
                let cost = (Double(input) * 0.4 + Double(output) * 1.6) / 1_000_000
                let premium = (Double(input) * 3 + Double(output) * 15) / 1_000_000
                let id = "cw-\(28 - daysAgo)-\(index)"
                let number = rows.count
                if number % 23 == 11 {
                    rows.append("('\(id)', \(at), '\(task)', '\(model)', 'failed', 502, 0, 1, '\(model)\ttimeout\t30000', 0.8, "
                        + "\(input), NULL, NULL, NULL, NULL)")
                } else {
                    let attempts = number % 13 == 5 ? "openai/gpt-5-nano\thttp 503\t210\n\(model)\tok\t840" : "\(model)\tok\t640"
                    rows.append("('\(id)', \(at), '\(task)', '\(model)', 'ok', 200, \(number % 3 == 0 ? 1 : 0), "
                        + "\(attempts.split(separator: "\n").count), '\(attempts)', 0.8, \(input), \(output), \(cost), "
                        + "'anthropic/claude-sonnet-4-5', \(premium))")
                }
            }
        }
        return """
            INSERT INTO gateway_requests (id, at, task, model, status, http_status, stream, attempt_count, attempts, threshold,
                                          input_tokens, output_tokens, cost_usd, premium_model, premium_cost_usd)
            VALUES \(rows.joined(separator: ",\n"));
            """
    }

    /// The first table row in `html` that starts with `start`, up to its end.
    func row(_ start: String, in html: String) -> String? {
        guard let from = html.range(of: start), let to = html[from.upperBound...].range(of: "</tr>") else { return nil }
        return String(html[from.lowerBound..<to.upperBound])
    }

    /// The `data-usd` of the element with id `id`, and its text.
    func figure(_ id: String, in html: String) -> (usd: Double?, text: String)? {
        guard let regex = try? Regex(#"id="\#(id)" class="num" data-usd="([^"]*)">([^<]*)<"#), let match = html.firstMatch(of: regex) else { return nil }
        return (match.output[1].substring.flatMap { Double($0) }, String(match.output[2].substring ?? ""))
    }

    @Test(.enabled(if: Chromium.path != nil || Chromium.isCI, "needs chromium (Debian's package); `.ci/run` installs it"))
    func headlessChromiumShowsTheStoresFigures() throws {
        let sandbox = try Sandbox()
        try expectSuccess(sandbox.run("init"))
        try sandbox.setTask("summarization", "--min-quality", "0.85")
        _ = try SQLiteShell(sandbox.db).text(Self.requestsSQL(now: Date().timeIntervalSince1970))

        // What the store says, through the CLI.
        let requests = try sandbox.run("requests", "--json", "--limit", "100000")
        try expectSuccess(requests)
        let records = try requests.jsonArray()
        let answered = records.filter { $0["status"] as? String == "ok" }
        let savings = try sandbox.run("report", "savings", "--json")
        try expectSuccess(savings)
        let total = try #require(try savings.jsonObject()["total"] as? [String: Any])
        let review = try sandbox.run("review", "--json")
        try expectSuccess(review)

        let server = try ServeProcess(["--db", sandbox.db])
        let chromium = try Chromium(profile: sandbox.path("chromium-profile"))
        let page = try chromium.dumpDOM(server.address + "/", output: sandbox.path("dom.html"))
        try #require(page.contains("<h1>Costwise</h1>"), "not the dashboard: \(page.prefix(2_000))")

        // Savings so far, exact in the markup and rounded to four decimals on screen.
        for (id, key) in [("total-spend", "spend_usd"), ("total-premium", "all_premium_usd"), ("total-saving", "saving_usd")] {
            let shown = try #require(figure(id, in: page), "no #\(id) figure")
            let expected = try #require(number(total[key]))
            #expect(isClose(shown.usd, expected), "#\(id): \(shown.usd ?? -1) against \(key) \(expected)")
            #expect(shown.text.hasPrefix(String(format: "$%.4f", expected)), "#\(id) reads \(shown.text)")
        }
        #expect(page.contains("id=\"total-requests\" class=\"num\" data-count=\"\(answered.count)\""))

        // Spend per day: a bar pair for each of 30 days, and each day's figures as the requests sum them.
        #expect(page.matches(of: /<g data-day="/).count == 30)
        let byDay = Dictionary(grouping: answered) { String(($0["at"] as? String ?? "").prefix(10)) }
        #expect(byDay.count >= 29)
        for (day, dayRecords) in byDay {
            let line = try #require(row("<tr data-day=\"\(day)\">", in: page), "no row for \(day)")
            #expect(line.contains("<td class=\"num\">\(dayRecords.count)</td>"), "\(line)")
            let spend = dayRecords.compactMap { number($0["cost_usd"]) }.reduce(0, +)
            let shown = line.firstMatch(of: /<td class="num" data-usd="([^"]*)">/).flatMap { Double($0.output.1) }
            #expect(isClose(shown, spend), "\(day): \(line) against \(spend)")
        }

        // The latest 20 requests, newest first, each with its model and cost.
        let latest = records.suffix(20).reversed()
        #expect(page.matches(of: /<tr data-id="([^"]*)">/).map { String($0.output.1) } == latest.map { $0["id"] as? String ?? "" })
        for record in latest where record["status"] as? String == "ok" {
            let line = try #require(row("<tr data-id=\"\(record["id"] as? String ?? "")\">", in: page))
            #expect(line.contains("<td class=\"model\">\(record["model"] as? String ?? "")</td>"), "\(line)")
            #expect(line.contains(String(format: "$%.6f", try #require(number(record["cost_usd"])))), "\(line)")
        }

        // Per task type: the model a request gets now, as `select` chooses it at the same threshold.
        let summarization = try #require(row("<tr data-task=\"summarization\">", in: page))
        let chosen = try #require(try sandbox.select("--task", "summarization", "--min-quality", "0.85")["model"] as? String)
        #expect(summarization.contains("<td class=\"model\">\(chosen)</td>") && summarization.contains(">0.85</td>"), "\(summarization)")
        let classification = try #require(row("<tr data-task=\"classification\">", in: page))
        #expect(classification.contains(">0.8*</td>"), "the gateway's default threshold is marked: \(classification)")

        // The review's action per task type, as `costwise review` gives it.
        let findings = try review.jsonArray()
        #expect(!findings.isEmpty)
        for finding in findings {
            let task = finding["task"] as? String ?? ""
            let action = finding["action"] as? String ?? ""
            #expect(page.contains("<tr data-task=\"\(task)\"><td>\(task)</td><td class=\"action-\(action)\">\(action)</td>"), "\(task): \(action)")
        }
        #expect(page.contains("id=\"keys-none\""))

        // What the browser draws: a PNG of the asked width.
        let screenshot = sandbox.path("dashboard.png")
        try chromium.screenshot(server.address + "/", to: screenshot, width: 1280, height: 2800, log: sandbox.path("screenshot.log"))
        let png = try #require(FileManager.default.contents(atPath: screenshot), "no screenshot")
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png.count > 20_000, "a blank page compresses to less")
        #expect(png.count > 24 && png[16..<20] == Data([0, 0, 0x05, 0x00]), "1280 pixels wide")
        if let keep = ProcessInfo.processInfo.environment["COSTWISE_DASHBOARD_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: screenshot, toPath: keep)
        }
    }
}

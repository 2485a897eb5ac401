import Costwise
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import CostwiseGateway

/// `GET /`: the dashboard over a real socket, its figures against the requests the gateway recorded.
@Suite struct DashboardPageTests {
    /// The `data-usd` of the element with id `id`.
    func usd(id: String, in html: String) -> Double? {
        guard let range = html.range(of: "id=\"\(id)\""),
              let value = html[range.upperBound...].firstMatch(of: /data-usd="([^"]*)"/) else { return nil }
        return Double(value.output.1)
    }

    /// The first table row that starts with `start`, up to its end.
    func row(_ start: String, in html: String) -> String? {
        guard let from = html.range(of: start), let to = html[from.upperBound...].range(of: "</tr>") else { return nil }
        return String(html[from.lowerBound..<to.upperBound])
    }

    @Test func pageShowsTheRecordedRequestsFigures() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            let gateway = fixture.gateway
            let store = fixture.store
            // A name from a request must reach the page as text, never as markup.
            try store.recordRequests([RequestRecord(id: "cw-odd", at: RFC3339.now - 86_400, task: nil, model: "acme/<b>odd</b>",
                                                    status: .ok, httpStatus: 200, stream: false, costUSD: 0.5, premiumCostUSD: 0.75)])
            let app = Application(router: gateway.router(), services: gateway.services)
            try await app.test(.live) { client in
                var ids: [String] = []
                for _ in 0..<3 {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                             body: chatBody(model: "costwise/summarization")) { response in
                        #expect(response.status == .ok)
                        ids.append(try #require(response.header("x-costwise-request-id")))
                    }
                }
                await gateway.flushRecords()
                let records = try store.requests()
                #expect(records.count == 4)
                let spend = records.compactMap(\.costUSD).reduce(0, +)
                let premium = records.compactMap(\.premiumCostUSD).reduce(0, +)
                let today = records.filter { $0.id != "cw-odd" }.compactMap(\.costUSD).reduce(0, +)

                try await client.execute(uri: "/", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.header("content-type") == "text/html; charset=utf-8")
                    #expect(response.header("content-security-policy")?.contains("default-src 'none'") == true)
                    let html = response.text
                    #expect(abs((usd(id: "total-spend", in: html) ?? -1) - spend) < 1e-12)
                    #expect(abs((usd(id: "total-premium", in: html) ?? -1) - premium) < 1e-12)
                    #expect(abs((usd(id: "total-saving", in: html) ?? -1) - (premium - spend)) < 1e-12)
                    #expect(html.contains("id=\"total-requests\" class=\"num\" data-count=\"4\""))
                    // On screen, rounded to four decimals.
                    #expect(html.contains(#"id="total-spend" class="num" data-usd=""#)
                        && html.contains("\">\(DashboardFormat.usd(spend))</dd>") && DashboardFormat.usd(spend) == "$0.5006")
                    // Today's row of the table by day holds the three routed requests.
                    let day = String(RFC3339.string(fromSeconds: RFC3339.now).prefix(10))
                    let row = try #require(self.row("<tr data-day=\"\(day)\">", in: html))
                    #expect(row.contains("<td class=\"num\">3</td>"), "\(row)")
                    #expect(row.contains("data-usd=\"\(DecimalFormat.string(today))\""), "\(row)")
                    // The task type's line: the model a request gets now, its threshold, quality and samples.
                    let task = try #require(self.row("<tr data-task=\"summarization\">", in: html))
                    #expect(task.contains("<td class=\"model\">acme/cheap</td>") && task.contains("data-threshold=\"0.8\""), "\(task)")
                    #expect(task.contains("data-mean=\"0.9\"") && task.contains("data-samples=\"10\""), "\(task)")
                    // Every recorded request is listed, newest first, with its reason.
                    let listed = html.matches(of: /<tr data-id="([^"]*)">/).map { String($0.output.1) }
                    #expect(listed == ids.reversed() + ["cw-odd"])
                    #expect(html.contains("cheapest to clear 0.8 for summarization"))
                    #expect(html.contains("acme/&lt;b&gt;odd&lt;/b&gt;") && !html.contains("<b>odd"))
                    #expect(html.contains("<tr data-task=\"summarization\"><td>summarization</td><td class=\"action-"))
                    #expect(html.contains("id=\"keys-none\""))
                }
            }
        }
    }

    @Test func aClientWithoutAKnownLocalAddressIsRefused() async throws {
        let fixture = try GatewayFixture(upstreamPort: 9)
        // In process there is no socket, so no address: the page is refused, with an error that says why.
        try await fixture.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect((response.object["error"] as? [String: Any])?["code"] as? String == "dashboard_local_only")
            }
        }
    }

    @Test func onceKeysExistTheDashboardNeedsAnAdminKeyAndShowsEachKeysBudget() async throws {
        let fixture = try GatewayFixture(upstreamPort: 9, keys: [KeySpec(name: "ops", scopes: [.admin]),
                                                                 KeySpec(name: "app", scopes: [.chat], budgetUSD: 25, period: .month)])
        let ops = try #require(fixture.tokens["ops"])
        let app = try #require(fixture.tokens["app"])
        // In process there is no client address: with keys, the key decides, not the address.
        try await fixture.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/", method: .get, headers: headers(bearer: app)) { response in
                #expect(response.status == .forbidden)
                #expect((response.object["error"] as? [String: Any])?["code"] as? String == "insufficient_scope")
            }
            try await client.execute(uri: "/", method: .get, headers: headers(bearer: ops)) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(!html.contains("id=\"keys-none\""))
                let line = try #require(row("<tr data-key=\"app\">", in: html))
                #expect(line.contains("<td>month</td>") && line.contains(#"data-usd="25">$25.0000</td>"#), "\(line)")
                #expect(row("<tr data-key=\"ops\">", in: html)?.contains("<td class=\"num\">none</td>") == true)
            }
        }
    }

    @Test(arguments: [("127.0.0.1", true), ("127.8.9.10", true), ("::1", true), ("::ffff:127.0.0.1", true),
                      ("10.0.0.1", false), ("192.168.1.20", false), ("::ffff:10.0.0.1", false), ("2001:db8::1", false),
                      ("128.0.0.1", false)])
    func onlyLoopbackAddressesSeeTheDashboard(address: String, allowed: Bool) throws {
        #expect(DashboardAccess.allows(try SocketAddress(ipAddress: address, port: 40_000)) == allowed)
    }

    @Test func unixSocketsCountAsLocalAndNoAddressDoesNot() throws {
        #expect(DashboardAccess.allows(try SocketAddress(unixDomainSocketPath: "/tmp/costwise.sock")))
        #expect(!DashboardAccess.allows(nil))
    }

    @Test func htmlEscapingCoversTextAndAttributes() {
        #expect(HTML.escape(#"<a href="x" title='y'>&</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTML.escape("acme/café-ü") == "acme/café-ü")
    }

    @Test func dollarsAreRoundedWithSeparators() {
        #expect(DashboardFormat.usd(1_234_567.891_23) == "$1,234,567.8912")
        #expect(DashboardFormat.usd(0.000_45, places: 6) == "$0.000450")
        #expect(DashboardFormat.usd(-0.001_25) == "-$0.0013")
        #expect(DashboardFormat.usd(-0.000_01) == "$0.0000")
        #expect(DashboardFormat.usd(12, places: 0) == "$12")
    }

    @Test func chartScaleEndsOnARoundFigure() {
        #expect(SpendChart.niceCeiling(0.0123) == 0.02)
        #expect(abs(SpendChart.niceCeiling(3.7) - 5) < 1e-12)
        #expect(abs(SpendChart.niceCeiling(210) - 250) < 1e-9)
        #expect(SpendChart.niceCeiling(0) == 1)
    }
}

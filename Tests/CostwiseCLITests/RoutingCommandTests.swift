import Foundation
import Testing

/// The routing pattern's commands end to end: routing by tier, default thresholds, logged
/// selections and the savings report, review, plan, and selections as of a past time.
struct RoutingCommandTests {
    func makeStore() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.initEmpty()
        try sandbox.setTask("triage", "--tier", "1", "--input-tokens", "1000", "--output-tokens", "0", "--min-quality", "0.8")
        try sandbox.setModel("a/cheap", input: "1", output: "1", "--tier", "1")
        try sandbox.setModel("b/top", input: "10", output: "10", "--tier", "3")
        try sandbox.setModel("c/derived", input: "0.5", output: "0.5")
        try sandbox.importResults(Sandbox.passFail("a/cheap", "triage", passes: 45, fails: 5)
            + Sandbox.passFail("b/top", "triage", passes: 50, fails: 0))
        return sandbox
    }

    @Test("select uses the task type's default threshold; --by-tier ignores quality and derives missing tiers")
    func thresholdsAndTiers() throws {
        let sandbox = try makeStore()
        #expect(try sandbox.select("--task", "triage")["model"] as? String == "a/cheap")
        let byTier = try sandbox.select("--task", "triage", "--by-tier")
        #expect(byTier["model"] as? String == "c/derived")
        #expect(byTier["routing"] as? String == "by-tier")
        let listed = try sandbox.run("models", "list", "--json").jsonArray()
        #expect(listed.first { $0["model"] as? String == "c/derived" }?["tier_source"] as? String == "derived")
        #expect(number(listed.first { $0["model"] as? String == "c/derived" }?["effective_tier"]) == 1)
    }

    @Test("Logged selections give the savings report; the setting logs every selection")
    func savings() throws {
        let sandbox = try makeStore()
        try expectSuccess(sandbox.run("select", "--task", "triage", "--log"))
        try expectSuccess(sandbox.run("select", "--task", "triage"))
        var report = try sandbox.run("report", "savings", "--json").jsonObject()
        var total = try #require(report["total"] as? [String: Any])
        #expect(number(total["requests"]) == 1)
        try expectSuccess(sandbox.run("settings", "log-selections", "true"))
        try expectSuccess(sandbox.run("select", "--task", "triage"))
        report = try sandbox.run("report", "savings", "--json").jsonObject()
        total = try #require(report["total"] as? [String: Any])
        #expect(number(total["requests"]) == 2)
        #expect(isClose(number(total["spend_usd"]), 0.002))
        #expect(isClose(number(total["all_premium_usd"]), 0.02))
        #expect(isClose(number(total["saving_pct"]), 90))
        let future = try sandbox.run("report", "savings", "--since", "2999-01-01", "--json").jsonObject()
        #expect(number((future["total"] as? [String: Any])?["requests"]) == 0)
    }

    @Test("review gives every task type one action; --json is an array of {task, action, reason}")
    func review() throws {
        let sandbox = try makeStore()
        let findings = try sandbox.run("review", "--json").jsonArray()
        #expect(findings.map { $0["task"] as? String } == ["triage"])
        #expect(["keep", "upgrade", "downgrade", "explore", "collapse"].contains(findings.first?["action"] as? String ?? ""))
        #expect((findings.first?["reason"] as? String)?.isEmpty == false)
    }

    @Test("review's text marks the thresholds a task type does not have of its own, and explains the mark only under a marked row")
    func reviewFootnote() throws {
        let sandbox = try makeStore()
        let footnote = "* the task type has no threshold of its own (`costwise tasks set NAME --min-quality Q`)"
        let own = try sandbox.run("review")
        try expectSuccess(own)
        #expect(own.lines.count == 2, "the header and triage's row: \(own)")
        #expect(!own.stdout.contains("*"), "\(own)")

        try sandbox.setTask("sorting", "--tier", "1", "--input-tokens", "1000", "--output-tokens", "0")
        try sandbox.importResults(Sandbox.passFail("a/cheap", "sorting", passes: 9, fails: 1))
        let marked = try sandbox.run("review")
        try expectSuccess(marked)
        #expect(marked.lines.count == 4, "\(marked)")
        #expect(marked.lines.last == footnote)
        #expect(marked.lines.filter { $0.contains("0.8*") }.map { $0.hasPrefix("sorting ") } == [true], "\(marked)")
        #expect(marked.lines.contains { $0.hasPrefix("triage ") && $0.contains(" 0.8 ") }, "\(marked)")
    }

    @Test("plan prints each step's model and the totals; --json has steps, totals and saving_pct")
    func plan() throws {
        let sandbox = try makeStore()
        let workflow = try sandbox.write("w.yaml", """
            name: triage twice
            monthly_runs: 100
            steps:
              - name: first pass
                task: triage
              - name: strict pass
                task: triage
                min_quality: 0.95
            """)
        let plan = try sandbox.run("plan", workflow, "--json").jsonObject()
        let steps = try #require(plan["steps"] as? [[String: Any]])
        #expect(steps.map { $0["model"] as? String } == ["a/cheap", "b/top"])
        #expect(isClose(number(plan["total_cost_usd"]), (0.001 + 0.01) * 100))
        #expect(isClose(number(plan["all_premium_cost_usd"]), (0.01 + 0.01) * 100))
        #expect(isClose(number(plan["saving_pct"]), 45))
        let bad = try sandbox.run("plan", try sandbox.write("bad.yaml", "steps:\n  - name: x\n    task: triage\n    tokens: 3\n"))
        #expect(bad.status == 1 && bad.stderr.contains("bad.yaml:4") && bad.stderr.contains("tokens"))
    }

    @Test("plan classifies a step given as a description")
    func planClassifiesDescriptions() throws {
        let sandbox = try Sandbox()
        let workflow = try sandbox.write("w.yaml", """
            monthly_runs: 10
            steps:
              - name: sort tickets
                description: Sort each support ticket into billing, bug report or feature request
                min_quality: 0.7
            """)
        let plan = try sandbox.run("plan", workflow, "--json").jsonObject()
        let step = try #require((plan["steps"] as? [[String: Any]])?.first)
        #expect(step["classified_by"] as? String != nil)
        #expect(step["task"] as? String == "classification")
        #expect(step["model"] as? String != nil)
    }

    @Test("--as-of answers with the prices the store held then")
    func asOf() throws {
        let sandbox = try makeStore()
        let before = try sandbox.select("--task", "triage", "--as-of", "2999-01-01T00:00:00Z")
        #expect(before["model"] as? String == "a/cheap")
        let early = try sandbox.run("select", "--task", "triage", "--as-of", "2001-01-01T00:00:00Z", "--json")
        #expect(early.status == 3, "no model was priced in 2001: \(early)")
    }
}

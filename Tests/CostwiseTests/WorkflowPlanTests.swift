import Foundation
import Testing
@testable import Costwise

struct WorkflowPlanTests {
    @Test("The bundled reporting pipeline plans every step below the all-premium cost")
    func bundledPipeline() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/workflows/reporting-pipeline.yaml").path
        let workflow = try Workflow.parse(InputFile.bytes(atPath: path), file: path)
        #expect(workflow.steps.map(\.name) == ["format data", "analyse", "recommend", "format report"])
        #expect(workflow.monthlyRuns == 3_000)
        let fixture = try TemporaryStore(seed: .bundledCatalog)
        let plan = try WorkflowPlan(workflow: workflow, snapshot: fixture.store.snapshot()) { _ in ("unused", "none") }
        #expect(plan.isComplete)
        #expect(plan.totalCostUSD < plan.allPremiumCostUSD)
        #expect(abs(plan.totalCostUSD - plan.steps.compactMap(\.costPerRunUSD).reduce(0, +) * 3_000) < 1e-9)
        #expect(plan.json.text().contains("\"saving_pct\""))
    }

    @Test("Each step's cost and premium cost follow the formula; described steps are classified")
    func planArithmetic() throws {
        let fixture = try TemporaryStore()
        try fixture.store.setTaskType(TaskTypeUpdate(name: "easy", tier: 1, inputTokens: 1_000, outputTokens: 1_000, minQuality: 0.7))
        try fixture.model("a/cheap", input: 1, output: 1, tier: 1)
        try fixture.model("b/top", input: 10, output: 20, tier: 3)
        try fixture.results("a/cheap", "easy", passes: 8, of: 10)
        try fixture.results("b/top", "easy", passes: 10, of: 10)
        let yaml = """
            name: two steps
            monthly_runs: 1000
            steps:
              - name: first
                task: easy
                input_tokens: 2000
                output_tokens: 500
              - name: second
                description: sort these tickets
                min_quality: 0.9
            """
        let workflow = try Workflow.parse(Array(yaml.utf8), file: "w.yaml")
        let plan = try WorkflowPlan(workflow: workflow, snapshot: fixture.store.snapshot()) { text in
            #expect(text == "sort these tickets")
            return ("easy", "rules")
        }
        #expect(plan.steps.map { $0.selection.chosen?.model } == ["a/cheap", "b/top"])
        #expect(plan.steps[0].costPerRunUSD == 0.0025)
        #expect(plan.steps[0].premiumCostPerRunUSD == 0.03)
        #expect(plan.steps[1].classifiedBy == "rules" && plan.steps[1].threshold == 0.9)
        #expect(abs(plan.totalCostUSD - (0.0025 + 0.03) * 1_000) < 1e-9)
        #expect(abs(plan.allPremiumCostUSD - (0.03 + 0.03) * 1_000) < 1e-9)
    }

    @Test("Bad workflows are refused with the file, line and field named", arguments: [
        ("steps:\n  - name: a\n    task: t\n    colour: red\n", 4, "colour"),
        ("steps:\n  - name: a\n    task: t\n    min_quality: 1.5\n", 4, "min_quality"),
        ("steps:\n  - name: a\n", 2, "task"),
        ("name: x\n", 1, "steps"),
        ("steps:\n  - name: a\n    task: t\n    task: u\n", 4, "task"),
        ("steps: [\n", 2, nil),
    ] as [(String, Int, String?)])
    func badWorkflows(text: String, line: Int, field: String?) throws {
        let error = try #require(throws: InputError.self) { try Workflow.parse(Array(text.utf8), file: "w.yaml") }
        #expect(error.file == "w.yaml" && error.line == line && error.field == field, "\(error)")
    }
}

import ArgumentParser
import Costwise

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Cost a multi-step workflow: each step's model and cost, the total, and the all-premium total.",
        discussion: """
            WORKFLOW.yaml has a name, monthly_runs and steps, each with a task (or a description, classified with \
            --classifier), \
            min_quality (default: the task type's), input_tokens and output_tokens. All-premium puts every step on \
            the cheapest top-tier model whose context window holds it. Example: data/workflows/reporting-pipeline.yaml.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var classifierOptions: ClassifierOptions

    @Argument(help: "The workflow file (YAML).")
    var file: String

    func run() async throws {
        let workflow = try Workflow.parse(InputFile.bytes(atPath: file), file: file)
        let store = try global.openStore()
        // The steps without a task are classified first, and only those: a workflow whose steps all
        // name their task needs no classifier.
        let descriptions = workflow.steps.compactMap { $0.task == nil ? $0.description : nil }
        var classified: [String: TaskClassification] = [:]
        if !descriptions.isEmpty {
            classified = try await classifierOptions.withClassifier(store: store) { classifier in
                var answers: [String: TaskClassification] = [:]
                for description in descriptions where answers[description] == nil {
                    answers[description] = await classifier.classify(description)
                }
                return answers
            }
        }
        // It asks about exactly the descriptions classified above.
        let plan = try WorkflowPlan(workflow: workflow, snapshot: store.snapshot()) { description in
            let classification = classified[description]!
            return (classification.task, classification.classifier)
        }
        if global.json {
            Console.printJSON(plan.json)
        } else {
            Console.print(Self.render(plan))
        }
        if !plan.isComplete {
            Console.error("some steps have no qualifying model; the totals leave them out")
            throw ExitCode(CostwiseCommand.noQualifyingModelExitCode)
        }
    }

    static func render(_ plan: WorkflowPlan) -> String {
        let money = { (value: Double?) in value.map { DecimalFormat.string($0, places: 6) } ?? "" }
        var table = TextTable(header: ["step", "task", "threshold", "model", "cost_per_run_usd", "premium_model", "premium_cost_per_run_usd"],
                              numericColumns: [2, 4, 6])
        for step in plan.steps {
            table.rows.append([
                step.name, step.task + (step.classifiedBy.map { " (\($0))" } ?? ""), DecimalFormat.string(step.threshold),
                step.selection.chosen?.model ?? "(none qualifies)", money(step.costPerRunUSD),
                step.premiumModel ?? "", money(step.premiumCostPerRunUSD),
            ])
        }
        let runs = DecimalFormat.string(plan.workflow.monthlyRuns)
        return [
            "\(plan.workflow.name): \(plan.steps.count) steps, \(runs) runs a month", "", table.render(), "",
            "per run: \(money(plan.costPerRunUSD)) USD routed, \(money(plan.allPremiumCostPerRunUSD)) USD all-premium",
            "a month: \(DecimalFormat.string(plan.totalCostUSD, places: 2)) USD routed, "
                + "\(DecimalFormat.string(plan.allPremiumCostUSD, places: 2)) USD all-premium, saving "
                + (plan.savingPercent.map { DecimalFormat.string($0, places: 1) + "%" } ?? "n/a"),
        ].joined(separator: "\n")
    }
}

/// What a workflow costs when each step gets the cheapest model that clears its threshold, against
/// sending every step to the cheapest top-tier model that covers it.
public struct WorkflowPlan: Sendable {
    public struct Step: Sendable {
        public var name: String
        public var task: String
        /// How the step's task type was found, when it was classified from its description.
        public var classifiedBy: String?
        public var threshold: Double
        /// The answer for the step; its `chosen` is nil when no model qualifies.
        public var selection: Selection
        public var premiumModel: String?
        public var premiumCostPerRunUSD: Double?

        public var costPerRunUSD: Double? { selection.chosen?.estimatedCostUSD }
    }

    public var workflow: Workflow
    public var steps: [Step]

    /// Plans `workflow` on `snapshot`; `classify` turns a step's description into a task type and
    /// names the classifier that did it.
    public init(workflow: Workflow, snapshot: Snapshot, classify: (String) throws -> (task: String, classifier: String)) throws {
        self.workflow = workflow
        steps = try workflow.steps.map { step in
            var classifiedBy: String?
            var task = step.task ?? ""
            if step.task == nil, let description = step.description {
                let classification = try classify(description)
                (task, classifiedBy) = (classification.task, classification.classifier)
            }
            let threshold = try step.minQuality ?? snapshot.defaultThreshold(for: task)
            let selection = try snapshot.select(SelectionRequest(
                task: task, minQuality: threshold, inputTokens: step.inputTokens, outputTokens: step.outputTokens))
            let tokens = selection.chosen.map { ($0.inputTokens, $0.outputTokens) }
                ?? (Double(step.inputTokens ?? selection.task.inputTokens), Double(step.outputTokens ?? selection.task.outputTokens))
            let premium = snapshot.premiumAlternative(inputTokens: tokens.0, outputTokens: tokens.1)
            return Step(name: step.name, task: task, classifiedBy: classifiedBy, threshold: threshold, selection: selection,
                        premiumModel: premium?.model, premiumCostPerRunUSD: premium?.costUSD)
        }
    }

    /// Whether every step has a qualifying model (otherwise the totals leave those steps out).
    public var isComplete: Bool { steps.allSatisfy { $0.selection.chosen != nil } }

    public var costPerRunUSD: Double { steps.compactMap(\.costPerRunUSD).reduce(0, +) }
    public var allPremiumCostPerRunUSD: Double { steps.compactMap(\.premiumCostPerRunUSD).reduce(0, +) }
    public var totalCostUSD: Double { costPerRunUSD * workflow.monthlyRuns }
    public var allPremiumCostUSD: Double { allPremiumCostPerRunUSD * workflow.monthlyRuns }
    public var savingPercent: Double? {
        allPremiumCostUSD > 0 ? (1 - totalCostUSD / allPremiumCostUSD) * 100 : nil
    }

    public var json: JSONValue {
        .object([
            ("workflow", .string(workflow.name)),
            ("monthly_runs", .number(workflow.monthlyRuns)),
            ("steps", .array(steps.map { step in
                .object([
                    ("name", .string(step.name)),
                    ("task", .string(step.task)),
                    ("classified_by", .stringOrNull(step.classifiedBy)),
                    ("threshold", .number(step.threshold)),
                    ("model", .stringOrNull(step.selection.chosen?.model)),
                    ("quality_mean", .numberOrNull(step.selection.chosen?.quality.mean)),
                    ("cost_per_run_usd", .numberOrNull(step.costPerRunUSD)),
                    ("monthly_cost_usd", .numberOrNull(step.costPerRunUSD.map { $0 * workflow.monthlyRuns })),
                    ("premium_model", .stringOrNull(step.premiumModel)),
                    ("premium_cost_per_run_usd", .numberOrNull(step.premiumCostPerRunUSD)),
                    ("reason", .string(step.selection.chosen?.reason ?? step.selection.failureReason ?? "")),
                ])
            })),
            ("cost_per_run_usd", .number(costPerRunUSD)),
            ("total_cost_usd", .number(totalCostUSD)),
            ("all_premium_cost_usd", .number(allPremiumCostUSD)),
            ("saving_pct", .numberOrNull(savingPercent)),
            ("complete", .bool(isComplete)),
        ])
    }
}

/// The routing map: for each task type and threshold, the model the selector chooses, its quality
/// and cost per 1,000 requests, beside what the cheapest top-tier model would cost for the same;
/// optionally for requests that need some capabilities, which both models then have.
public struct RoutingMap: Sendable {
    public struct Entry: Sendable, Hashable {
        public var task: String
        public var taskTier: Int
        public var threshold: Double
        /// The chosen model; nil when none qualifies.
        public var model: String?
        public var modelTier: Int?
        public var qualityMean: Double?
        public var samples: Double?
        public var costPer1kRequestsUSD: Double?
        /// The cheapest enabled top-tier (tier 3, declared or derived) model at the task's default tokens, and its cost.
        public var topTierModel: String?
        public var topTierCostPer1kRequestsUSD: Double?

        /// The share of the top-tier cost that the chosen model saves, in percent.
        public var savingPercent: Double? {
            guard let cost = costPer1kRequestsUSD, let top = topTierCostPer1kRequestsUSD, top > 0 else { return nil }
            return (1 - cost / top) * 100
        }
    }

    public static let defaultThresholds = [0.7, 0.8, 0.9]

    public var entries: [Entry]

    public init(snapshot: Snapshot, thresholds: [Double] = defaultThresholds, requiring required: Set<Capability> = []) throws {
        var entries: [Entry] = []
        for task in snapshot.taskTypes where snapshot.routes[task.name] != nil {
            let top = snapshot.premiumAlternative(inputTokens: Double(task.inputTokens), outputTokens: Double(task.outputTokens),
                                                  requiring: required)
            for threshold in thresholds {
                let request = SelectionRequest(task: task.name, minQuality: threshold, requiredCapabilities: required)
                let chosen = try snapshot.select(request).chosen
                entries.append(Entry(
                    task: task.name, taskTier: task.tier, threshold: threshold, model: chosen?.model, modelTier: chosen?.tier,
                    qualityMean: chosen?.quality.mean, samples: chosen?.quality.samples,
                    costPer1kRequestsUSD: chosen.map { $0.estimatedCostUSD * 1_000 },
                    topTierModel: top?.model, topTierCostPer1kRequestsUSD: top.map { $0.costUSD * 1_000 }))
            }
        }
        self.entries = entries
    }

    static let columns = ["task", "task_tier", "threshold", "model", "model_tier", "quality_mean", "samples",
                          "cost_per_1k_requests_usd", "top_tier_model", "top_tier_cost_per_1k_requests_usd", "saving_pct"]

    public func export(format: ExportFormat) -> String {
        let money = { (value: Double?) in value.map { DecimalFormat.string($0, places: 6) } ?? "" }
        let rows = entries.map { entry in
            [entry.task, String(entry.taskTier), DecimalFormat.string(entry.threshold), entry.model ?? "",
             entry.modelTier.map(String.init) ?? "", entry.qualityMean.map { DecimalFormat.string($0, places: 4) } ?? "",
             entry.samples.map(DecimalFormat.string) ?? "", money(entry.costPer1kRequestsUSD), entry.topTierModel ?? "",
             money(entry.topTierCostPer1kRequestsUSD), entry.savingPercent.map { DecimalFormat.string($0, places: 1) } ?? ""]
        }
        switch format {
        case .csv: return TableWriter.csv(header: Self.columns, rows: rows)
        case .markdown: return TableWriter.markdown(header: Self.columns, rows: rows, rightAligned: [1, 2, 4, 5, 6, 7, 9, 10])
        case .json:
            return JSONValue.array(entries.map { entry in
                .object([
                    ("task", .string(entry.task)),
                    ("task_tier", .integer(entry.taskTier)),
                    ("threshold", .number(entry.threshold)),
                    ("model", .stringOrNull(entry.model)),
                    ("model_tier", .integer(entry.modelTier)),
                    ("quality_mean", .numberOrNull(entry.qualityMean)),
                    ("samples", .numberOrNull(entry.samples)),
                    ("cost_per_1k_requests_usd", .numberOrNull(entry.costPer1kRequestsUSD)),
                    ("top_tier_model", .stringOrNull(entry.topTierModel)),
                    ("top_tier_cost_per_1k_requests_usd", .numberOrNull(entry.topTierCostPer1kRequestsUSD)),
                    ("saving_pct", .numberOrNull(entry.savingPercent)),
                ])
            }).text() + "\n"
        }
    }
}

/// Replays published per-(task, model) summaries, where no per-item results exist: FrugalGPT's
/// layout, one row per data set and model with training and test accuracy and cost per query.
///
/// For each data set (a task type), a fresh in-memory store holds each single model priced per
/// request at its training cost per query, with its training accuracy as its quality; the
/// selector then picks the cheapest model within `tolerance` of the best model's training
/// accuracy, and the choice is scored on the test figures. Rows with a budget are cascade points
/// (FrugalGPT's own router); the one chosen the same way, on training figures, is reported beside.
///
/// Columns: `dataset`, `method`, `train_acc`, `test_acc`, `train_cost_usd_per_query`,
/// `test_cost_usd_per_query`, and optionally `provider`, `test_size`, `train_size`,
/// `budget_usd_per_query`.
public enum SummaryReplay {
    /// One row: a single model, or a cascade point when it has a budget, on one data set.
    public struct Entry: Sendable, Hashable {
        public var task: String
        public var model: String
        public var trainingQuality: Double
        public var quality: Double
        public var trainingCostUSD: Double
        public var costUSD: Double
        /// The cascade's budget per query; nil for a single model.
        public var budgetUSD: Double?
        public var line: Int
    }

    /// One data set's outcome.
    public struct Outcome: Sendable, Hashable {
        public var task: String
        /// The single model with the best training accuracy (the cheaper one on a tie).
        public var best: Entry
        /// The selector's choice: the cheapest single model within the tolerance on training accuracy.
        public var chosen: Entry
        /// The threshold the selector was given: the best training accuracy less the tolerance.
        public var threshold: Double
        /// The cheapest cascade point within the tolerance on training accuracy, if any.
        public var cascade: Entry?

        /// The share of the best model's test cost that `entry` saves.
        public func saving(_ entry: Entry) -> Double {
            1 - entry.costUSD / best.costUSD
        }
    }

    static let requiredColumns = ["dataset", "method", "train_acc", "test_acc", "train_cost_usd_per_query", "test_cost_usd_per_query"]
    static let optionalColumns = ["provider", "test_size", "train_size", "budget_usd_per_query"]

    /// Whether a CSV file's header is this layout's.
    public static func isSummary(_ bytes: [UInt8]) -> Bool {
        let header = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        return header.contains("test_acc") && header.contains("train_acc")
    }

    /// Reads every row; the first bad one throws an ``InputError`` naming its line and field.
    public static func parse(_ bytes: [UInt8], file: String?) throws -> [Entry] {
        var table = try CSVTable(bytes: bytes, file: file, required: requiredColumns, optional: optionalColumns)
        var entries: [Entry] = []
        var singles: [String: Int] = [:]
        while let row = try table.nextRow() {
            let entry = Entry(
                task: try row.string("dataset").trimmingSpaces, model: try row.string("method").trimmingSpaces,
                trainingQuality: try row.double("train_acc", in: 0...1), quality: try row.double("test_acc", in: 0...1),
                trainingCostUSD: try row.double("train_cost_usd_per_query", in: 0...1_000_000),
                costUSD: try row.double("test_cost_usd_per_query", in: 0...1_000_000),
                budgetUSD: try row.optionalDouble("budget_usd_per_query", in: 0...1_000_000), line: row.line)
            if entry.budgetUSD == nil {
                let key = entry.task + "\u{1F}" + entry.model
                if let earlier = singles[key] {
                    throw row.error("method", "'\(entry.model)' is listed twice for '\(entry.task)' (first on line \(earlier))")
                }
                singles[key] = row.line
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw InputError(file: file, "the file holds no rows") }
        return entries
    }

    /// The selector's choice for each data set, in data set byte order.
    public static func replay(_ entries: [Entry], tolerance: Double) throws -> [Outcome] {
        let tasks = Set(entries.map(\.task)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return try tasks.compactMap { task in
            let singles = entries.filter { $0.task == task && $0.budgetUSD == nil }
            guard let best = singles.min(by: { a, b in
                a.trainingQuality != b.trainingQuality ? a.trainingQuality > b.trainingQuality : a.trainingCostUSD < b.trainingCostUSD
            }) else { return nil }
            let threshold = best.trainingQuality - tolerance

            let store = try SQLiteStore(path: SQLiteStore.inMemoryPath, seed: .empty)
            try store.setTaskType(TaskTypeUpdate(name: task))
            _ = try store.importPrices(
                singles.map { Model(id: $0.model, provider: Model.provider(ofID: $0.model),
                                    price: Price(inputUSDPerMTok: 0, outputUSDPerMTok: 0, requestUSD: $0.trainingCostUSD)) },
                source: .manual("training cost per query"), guard: .off, dryRun: false)
            try store.recordResults(singles.map { EvaluationResult(model: $0.model, task: task, score: $0.trainingQuality) },
                                    lines: nil, file: nil)
            let selection = try store.snapshot().select(SelectionRequest(task: task, minQuality: threshold))
            let chosen = singles.first { $0.model == selection.chosen?.model } ?? best

            let cascade = entries.filter { $0.task == task && $0.budgetUSD != nil && $0.trainingQuality >= threshold }
                .min { a, b in a.trainingCostUSD != b.trainingCostUSD ? a.trainingCostUSD < b.trainingCostUSD : a.trainingQuality > b.trainingQuality }
            return Outcome(task: task, best: best, chosen: chosen, threshold: threshold, cascade: cascade)
        }
    }
}

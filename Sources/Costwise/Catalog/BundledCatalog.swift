/// The catalog shipped in `data/` (compiled into the library by the EmbedCatalog plugin): real
/// models with their prices, the task types of the routing pattern, and prior quality scores.
public enum BundledCatalog {
    public static func models() throws -> [Model] {
        try PriceTable.parse(Array(BundledCatalogData.modelsCSV.utf8), format: .csv, file: "data/models.csv")
    }

    public static func taskTypes() throws -> [TaskType] {
        var table = try CSVTable(bytes: Array(BundledCatalogData.tasksCSV.utf8), file: "data/tasks.csv",
                                 required: ["name", "tier", "input_tokens", "output_tokens"], optional: [])
        var tasks: [TaskType] = []
        while let row = try table.nextRow() {
            tasks.append(TaskType(name: try row.string("name"), tier: try row.optionalCount("tier") ?? TaskType.defaultTier,
                                  inputTokens: try row.optionalCount("input_tokens") ?? TaskType.defaultInputTokens,
                                  outputTokens: try row.optionalCount("output_tokens") ?? TaskType.defaultOutputTokens))
        }
        return tasks
    }

    public static func priors() throws -> [PriorScore] {
        var table = try CSVTable(bytes: Array(BundledCatalogData.priorsCSV.utf8), file: "data/priors.csv",
                                 required: ["model", "task", "score", "weight", "source"], optional: [])
        var priors: [PriorScore] = []
        while let row = try table.nextRow() {
            priors.append(PriorScore(model: try row.string("model"), task: try row.string("task"),
                                     score: try row.double("score", in: 0...1), weight: try row.double("weight", in: 0...1_000),
                                     source: try row.string("source")))
        }
        return priors
    }

    /// Writes the whole catalog into a new store, inside the transaction that created it, with the
    /// task classifier `bayes` trained on the bundled labelled set.
    static func seed(_ database: Database) throws {
        let now = RFC3339.now
        for model in try models() {
            try SQLiteStore.save(model, existing: nil, source: .bundled, at: now, in: database)
        }
        for task in try taskTypes() { try SQLiteStore.save(task, in: database) }
        try SQLiteStore.save(try priors(), in: database)
        try SQLiteStore.save(TrainedClassifier(try trainedBayes(), trainedAt: now), in: database)
    }
}

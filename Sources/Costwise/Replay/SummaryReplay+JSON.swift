extension SummaryReplay.Outcome {
    /// `{"task", "threshold", "best", "chosen", "cascade"}`, each entry with its training and test
    /// figures and the share of the best model's test cost it saves.
    public var json: JSONValue {
        .object([
            ("task", .string(task)),
            ("threshold", .number(threshold)),
            ("best", entryJSON(best)),
            ("chosen", entryJSON(chosen)),
            ("cascade", cascade.map(entryJSON) ?? .null),
        ])
    }

    private func entryJSON(_ entry: SummaryReplay.Entry) -> JSONValue {
        .object([
            ("model", .string(entry.model)),
            ("budget_usd_per_query", .numberOrNull(entry.budgetUSD)),
            ("training_quality", .number(entry.trainingQuality)),
            ("quality", .number(entry.quality)),
            ("training_cost_per_1k_requests_usd", .number(entry.trainingCostUSD * 1_000)),
            ("cost_per_1k_requests_usd", .number(entry.costUSD * 1_000)),
            ("saving", .number(saving(entry))),
        ])
    }
}

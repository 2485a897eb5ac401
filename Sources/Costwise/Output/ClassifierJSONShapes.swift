// The JSON shapes of `costwise classifier train` and `costwise classifier list`.

extension TrainedClassifier {
    /// `{"name", "kind", "examples", "trained_at", "tasks"}`: the classifier (see ``json``) and the task types it learned.
    public func json(tasks: [String]) -> JSONValue {
        .object(json.members + [("tasks", .array(tasks.map { .string($0) }))])
    }
}

extension ClassifierListing {
    /// `{"name", "kind", "examples", "trained_at", "latest_evaluation"}`; what does not apply is null.
    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("kind", .string(kind)),
            ("examples", .integer(trained?.examples)),
            ("trained_at", .stringOrNull(trained.map { RFC3339.string(fromSeconds: $0.trainedAt) })),
            ("latest_evaluation", latestEvaluation?.json ?? .null),
        ])
    }
}

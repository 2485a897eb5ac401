// The JSON shapes of the small store commands: what a new store holds, a model enabled or
// disabled, aliases and settings.

extension Snapshot {
    /// `{"db", "models", "task_types", "prior_scores"}`: how much a store (at `path`) holds, as
    /// `costwise init` reports a new one.
    public func contentsJSON(path: String) -> JSONValue {
        .object([
            ("db", .string(path)),
            ("models", .integer(models.count)),
            ("task_types", .integer(taskTypes.count)),
            ("prior_scores", .integer(estimates.count)),
        ])
    }
}

extension JSONValue {
    /// `{"model", "enabled"}`: a model taken out of selection or put back.
    public static func enabled(_ enabled: Bool, model: String) -> JSONValue {
        .object([("model", .string(model)), ("enabled", .bool(enabled))])
    }

    /// `{"alias", "model"}`: another name and the model id it resolves to.
    public static func alias(_ alias: String, model: String) -> JSONValue {
        .object([("alias", .string(alias)), ("model", .string(model))])
    }

    /// `{"KEY": "value", …}`: the store's settings, in the order given.
    public static func settings(_ settings: [(key: String, value: String)]) -> JSONValue {
        .object(settings.map { ($0.key, .string($0.value)) })
    }
}

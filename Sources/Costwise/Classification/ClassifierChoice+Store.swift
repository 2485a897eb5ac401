extension ClassifierChoice {
    /// The classifier `name` names (`rules`, `llm` or a trained one), else the store's default
    /// (``defaultChoice(in:)``).
    public static func named(_ name: String?, in store: some CostwiseStore) throws -> ClassifierChoice {
        try name.map(ClassifierChoice.init(name:)) ?? defaultChoice(in: store)
    }

    /// The classifier `name` names, else the store's default, as `classify`, `route` and `plan`
    /// make it (see ``makeClassifier(store:rulesFile:endpoint:transport:)``).
    public static func classifier(named name: String?, store: some CostwiseStore, rulesFile: String?,
                                  endpoint: LLMEndpoint?, transport: (any HTTPTransport)?) throws -> any TaskClassifier {
        try named(name, in: store).makeClassifier(store: store, rulesFile: rulesFile, endpoint: endpoint, transport: transport)
    }

    /// This classifier with the rules read from `rulesFile` when given, else the bundled ones (see
    /// ``RuleClassifier/forTaskTypes(of:rulesFile:)``), and the LLM asked at `endpoint` through
    /// `transport`. The rules are read only when the classifier needs them.
    public func makeClassifier(store: some CostwiseStore, rulesFile: String?, endpoint: LLMEndpoint?,
                               transport: (any HTTPTransport)?) throws -> any TaskClassifier {
        try makeClassifier(store: store, rules: try RuleClassifier.forTaskTypes(of: store, rulesFile: rulesFile),
                           endpoint: endpoint, transport: transport)
    }
}

extension RuleClassifier {
    /// The rules in `rulesFile` when given, else the bundled rules, for the task types `store` holds.
    ///
    /// - Throws: ``InputError`` for a rules file that cannot be read, or rules that route to task
    ///   types the store lacks; for the bundled rules, it says to give rules of the store's own.
    public static func forTaskTypes(of store: some CostwiseStore, rulesFile: String?) throws -> RuleClassifier {
        let taskTypes = try store.taskTypes()
        if let rulesFile {
            return try parse(InputFile.bytes(atPath: rulesFile), file: rulesFile, taskTypes: Set(taskTypes.map(\.name)))
        }
        do {
            return try bundled(for: taskTypes)
        } catch var error as InputError {
            error.message += " (the bundled rules route to the bundled task types; give rules for this store's with --rules FILE)"
            throw error
        }
    }
}

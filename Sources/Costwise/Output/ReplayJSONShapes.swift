// The JSON shapes of `costwise replay` and `costwise tune`: what was read and how it was priced,
// around the report, the summary outcomes or the tuning.

extension ReplayReport {
    /// `{"file", "price_source", "tokens", "score_scale", …}` followed by the report's own members
    /// (see ``json``).
    public func json(input: ReplayInput, pricing: ReplayPricing) -> JSONValue {
        .object([("file", .string(input.file))] + input.pricingMembers(pricing) + json.members)
    }
}

extension ReplayInput {
    /// `"price_source"` (where the prices came from), `"tokens"` (how they were estimated) and `"score_scale"`.
    func pricingMembers(_ pricing: ReplayPricing) -> [(String, JSONValue)] {
        [
            ("price_source", .string(pricing.source)),
            ("tokens", .object([
                ("chars_per_token", .number(pricing.charsPerToken)),
                ("default_input_tokens", .integer(pricing.defaultInputTokens)),
                ("default_output_tokens", .integer(pricing.defaultOutputTokens)),
            ])),
            ("score_scale", .number(scoreScale)),
        ]
    }
}

extension SummaryReplay {
    /// `{"file", "quality_tolerance", "data_sets"}`, one outcome per data set.
    public static func json(_ outcomes: [Outcome], file: String, tolerance: Double) -> JSONValue {
        .object([
            ("file", .string(file)),
            ("quality_tolerance", .number(tolerance)),
            ("data_sets", .array(outcomes.map(\.json))),
        ])
    }
}

extension ReplayTuning {
    /// `{"file", "split", "baseline", …}` followed by the optimization's members; an applied tuning
    /// adds `"run"` (the results' run in the store) and `"applied"` (per task type, the threshold
    /// written and what `select` picks at it).
    public var json: JSONValue {
        let split = JSONValue.object([
            ("training_fraction", .number(input.split)),
            ("seed", .decimalText(String(input.seed))),
            ("training_items", .integer(replay.split.trainingCount)),
            ("held_out_items", .integer(replay.split.heldOutCount)),
            ("task_types", .integer(replay.dataset.tasks.count)),
        ])
        var members: [(String, JSONValue)] = [("file", .string(input.file)), ("split", split), ("baseline", .string(baseline))]
            + optimization.json.members
        if let applied {
            members.append(("run", .string(input.run)))
            members.append(("applied", .array(applied.map(\.json))))
        }
        return .object(members)
    }
}

extension AppliedThreshold {
    /// `{"task", "tuned_model", "threshold", "selected_model", "created_task_type"}`.
    public var json: JSONValue {
        .object([
            ("task", .string(task)),
            ("tuned_model", .string(tunedModel)),
            ("threshold", .number(threshold)),
            ("selected_model", .stringOrNull(selectedModel)),
            ("created_task_type", .bool(createdTaskType)),
        ])
    }
}

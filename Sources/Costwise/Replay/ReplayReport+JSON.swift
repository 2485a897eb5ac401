extension ReplayReport {
    /// `{"split", "baseline", "models", "oracle", "sweep", "optimized", "optimized_curve", "at_target", …}`;
    /// costs are mean USD per 1,000 held-out requests, ratios are of the baseline's on the same items.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("split", .object([
                ("training_fraction", .numberOrNull(trainingFraction)),
                ("seed", seed.map { .decimalText(String($0)) } ?? .null),
                ("training_items", .integer(trainingItems)),
                ("held_out_items", .integer(heldOutItems)),
                ("task_types", .integer(taskTypes)),
            ])),
            ("prices", .array(models.map { model in
                .object([
                    ("model", .string(model.id)),
                    ("input_usd_per_mtok", .number(model.price.inputUSDPerMTok)),
                    ("output_usd_per_mtok", .number(model.price.outputUSDPerMTok)),
                    ("request_usd", .numberOrNull(model.price.requestUSD)),
                    ("priced_by_rows", .bool(modelsPricedByRows.contains(model.id))),
                ])
            })),
            ("baseline", baseline.json),
            ("models", .array(singleModels.map(\.json))),
            ("oracle", oracle.json),
            ("sweep", .array(sweep.map(\.json))),
        ]
        if let optimized {
            members.append(("optimized", optimized.json))
            members.append(("optimized_curve", .array(optimizedCurve.map(\.json))))
        }
        var atTarget: [(String, JSONValue)] = [
            ("target_quality_ratio", .number(targetQualityRatio)),
            ("sweep", sweepAtTarget?.json ?? .null),
        ]
        if optimized != nil { atTarget.append(("optimized_curve", optimizedCurveAtTarget?.json ?? .null)) }
        members.append(("at_target", .object(atTarget)))
        return .object(members)
    }
}

extension ReplayPoint {
    /// `{"label", "threshold", "training_target", "quality", "quality_ratio", "cost_per_1k_requests_usd",
    /// "cost_ratio", "items_by_model", "fallback_items"}`, without the keys that do not apply.
    public var json: JSONValue {
        .object(members)
    }

    var members: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("label", .string(label))]
        if let threshold { members.append(("threshold", .number(threshold))) }
        if let trainingTarget { members.append(("training_target", .number(trainingTarget))) }
        members += [
            ("quality", .number(quality)),
            ("quality_ratio", .number(qualityRatio)),
            ("cost_per_1k_requests_usd", .number(costUSD * 1_000)),
            ("cost_ratio", .number(costRatio)),
            ("items_by_model", .object(itemsByModel.map { ($0.model, .integer($0.items)) })),
            ("fallback_items", .integer(fallbackItems)),
        ]
        return members
    }
}

extension ReplayOptimization {
    /// The held-out figures of the choices (as a ``ReplayPoint``), then `"target_quality_ratio"`,
    /// `"method"` (`"cross-validation"` with `"folds"`, or `"training"` for a choice optimized for
    /// the target itself), `"margin"` (the training target minus the target), the cross-validated
    /// `"expected_quality_ratio"` with its `"expected_quality_ratio_standard_error"`, and
    /// `"expected_cost_ratio"` (null without cross-validation),
    /// `"reaches_target"`, the training part's `"estimated_quality_ratio"` (what reaches the training
    /// target, see ``ShrunkQuality``) and measured ratios, and `"choices"`.
    public var json: JSONValue {
        .object(heldOut.members + [
            ("target_quality_ratio", .number(targetQualityRatio)),
            ("method", .string(margin == nil ? "training" : "cross-validation")),
            ("folds", margin.map { .integer($0.folds) } ?? .null),
            ("margin", .number(trainingTarget - targetQualityRatio)),
            ("expected_quality_ratio", .numberOrNull(margin?.expectedQualityRatio)),
            ("expected_quality_ratio_standard_error", .numberOrNull(margin?.standardError)),
            ("expected_cost_ratio", .numberOrNull(margin?.expectedCostRatio)),
            ("reaches_target", .bool(reachesTarget)),
            ("estimated_quality_ratio", .number(estimatedQualityRatio)),
            ("training_quality_ratio", .number(trainingQualityRatio)),
            ("training_cost_ratio", .number(trainingCostRatio)),
            ("choices", .array(choices.map { choice in
                .object([("task", .string(choice.task)), ("model", .string(choice.model)), ("threshold", .number(choice.threshold))])
            })),
        ])
    }
}

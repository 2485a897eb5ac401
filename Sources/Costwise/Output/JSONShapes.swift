// The JSON shapes of the user-facing contract, in one place so the CLI and a server print the same.

extension Selection {
    /// `{"model", "provider", "task", "threshold", "estimated_cost_usd", "quality", …}`; when none
    /// qualifies, `{"error": "no_qualifying_model", "task", "threshold", "best"}`. Explained
    /// selections add `"candidates"` in the order considered.
    public var json: JSONValue {
        var members: [(String, JSONValue)]
        if let chosen {
            members = [
                ("model", .string(chosen.model)),
                ("provider", .string(chosen.provider)),
                ("task", .string(task.name)),
                ("threshold", byTier ? .null : .number(request.minQuality)),
                ("estimated_cost_usd", .number(chosen.estimatedCostUSD)),
                ("quality", qualityJSON(chosen)),
                ("input_tokens", .number(chosen.inputTokens)),
                ("output_tokens", .number(chosen.outputTokens)),
                ("reason", .string(chosen.reason)),
            ]
            if byTier { members.append(("routing", .string("by-tier"))) }
        } else {
            members = [
                ("error", .string("no_qualifying_model")),
                ("task", .string(task.name)),
                ("threshold", .number(request.minQuality)),
                ("best", best.map(candidateJSON) ?? .null),
                ("message", .stringOrNull(failureReason)),
            ]
        }
        if request.explain {
            members.append(("candidates", .array(candidates.map(candidateJSON))))
        }
        return .object(members)
    }

    private func qualityJSON(_ verdict: CandidateVerdict) -> JSONValue {
        .object([
            ("mean", .number(verdict.quality.mean)),
            ("lower_bound", .number(verdict.lowerBound)),
            ("samples", .number(verdict.quality.samples)),
            ("confidence", .number(confidence)),
        ])
    }

    private func candidateJSON(_ verdict: CandidateVerdict) -> JSONValue {
        .object([
            ("model", .string(verdict.model)),
            ("provider", .string(verdict.provider)),
            ("estimated_cost_usd", .number(verdict.estimatedCostUSD)),
            ("quality", qualityJSON(verdict)),
            ("latency_p95_ms", .numberOrNull(verdict.latencyP95Ms)),
            ("qualified", .bool(verdict.qualified)),
            ("reason", .string(verdict.reason)),
        ])
    }
}

extension Model {
    /// The price-table keys plus `enabled`, and the tier in effect with where it comes from (declared,
    /// or derived from the price bands).
    public var json: JSONValue {
        .object([
            ("model", .string(id)),
            ("provider", .string(provider)),
            ("input_usd_per_mtok", .number(price.inputUSDPerMTok)),
            ("output_usd_per_mtok", .number(price.outputUSDPerMTok)),
            ("context_window", .integer(contextWindow)),
            ("tier", .integer(tier)),
            ("request_usd", .numberOrNull(price.requestUSD)),
            ("capabilities", .array(capabilities.sorted().map { .string($0.rawValue) })),
            ("max_output_tokens", .integer(maxOutputTokens)),
            ("cached_input_usd_per_mtok", .numberOrNull(cachedInputUSDPerMTok)),
            ("reasoning_usd_per_mtok", .numberOrNull(reasoningUSDPerMTok)),
            ("enabled", .bool(enabled)),
            ("effective_tier", .integer(effectiveTier)),
            ("tier_source", .string(tierIsDerived ? "derived" : "declared")),
        ])
    }
}

extension TaskType {
    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("tier", .integer(tier)),
            ("input_tokens", .integer(inputTokens)),
            ("output_tokens", .integer(outputTokens)),
            ("min_quality", .numberOrNull(minQuality)),
        ])
    }
}

extension Snapshot.ScoreEntry {
    /// `{"model", "task", "quality": {"mean", "samples"}, …}` with the evidence behind it.
    public var json: JSONValue {
        .object([
            ("model", .string(model)),
            ("task", .string(task)),
            ("quality", .object([
                ("mean", .number(quality.mean)),
                ("samples", .number(quality.samples)),
                ("results", .integer(quality.results)),
                ("prior_weight", .number(quality.priorWeight)),
            ])),
            ("latency_p95_ms", .numberOrNull(latencyP95Ms)),
            ("prior_source", .stringOrNull(priorSource)),
        ])
    }
}

extension PriceRevision {
    public var json: JSONValue {
        .object([
            ("input_usd_per_mtok", .number(price.inputUSDPerMTok)),
            ("output_usd_per_mtok", .number(price.outputUSDPerMTok)),
            ("request_usd", .numberOrNull(price.requestUSD)),
            ("source", .string(source.description)),
            ("source_format", .string(source.format)),
            ("source_sha256", .stringOrNull(source.sha256)),
            ("effective_at", .string(RFC3339.string(fromSeconds: effectiveAt))),
        ])
    }
}

extension ResultImportReport {
    public var json: JSONValue {
        .object([
            ("inserted", .integer(inserted)),
            ("replaced", .integer(replaced)),
            ("pairs", .integer(pairs)),
        ])
    }
}

extension PriceImportReport {
    public var json: JSONValue {
        .object([
            ("dry_run", .bool(dryRun)),
            ("added", .array(added.map { .string($0.id) })),
            ("changed", .array(changed.map(Self.changeJSON))),
            ("held_back", .array(heldBack.map { held in
                .object([("change", Self.changeJSON(held.change)), ("reason", .string(held.reason))])
            })),
            ("removed", .array(removed.map { .string($0) })),
            ("updated", .array(updated.map { .string($0) })),
            ("unchanged", .integer(unchanged)),
        ])
    }

    static func changeJSON(_ change: Change) -> JSONValue {
        .object([
            ("model", .string(change.model)),
            ("old", priceJSON(change.old)),
            ("new", priceJSON(change.new)),
            ("factor", .number(change.factor)),
        ])
    }

    static func priceJSON(_ price: Price) -> JSONValue {
        .object([
            ("input_usd_per_mtok", .number(price.inputUSDPerMTok)),
            ("output_usd_per_mtok", .number(price.outputUSDPerMTok)),
            ("request_usd", .numberOrNull(price.requestUSD)),
        ])
    }
}

extension Selection {
    /// `costwise route`'s answer: the selection (see ``json``) with `"classified_as"`, the
    /// classification that named its task type, last.
    public func json(classifiedAs classification: TaskClassification) -> JSONValue {
        .object(json.members + [("classified_as", classification.json)])
    }
}

extension KeyUsage {
    /// One key as `keys list --json` and `GET /v1/keys` show it: never its token, only the token's
    /// prefix; money in USD; times in RFC 3339 (`period_start` null for a total budget).
    public var json: JSONValue {
        .object([
            ("name", .string(key.name)),
            ("prefix", .string(key.tokenPrefix)),
            ("scopes", .array(key.scopes.sorted().map { .string($0.rawValue) })),
            ("budget_usd", .numberOrNull(key.budget?.usd)),
            ("period", .string(key.period.rawValue)),
            ("period_start", key.period == .total ? .null : .string(RFC3339.string(fromSeconds: periodStart))),
            ("period_end", .stringOrNull(periodEnd.map(RFC3339.string(fromSeconds:)))),
            ("spent_usd", .number(spent.usd)),
            ("reserved_usd", .number(reserved.usd)),
            ("remaining_usd", .numberOrNull(remaining?.usd)),
            ("overruns", .integer(overruns)),
            ("rpm", .integer(key.requestsPerMinute)),
            ("tpm", .integer(key.tokensPerMinute)),
            ("created_at", .string(RFC3339.string(fromSeconds: key.createdAt))),
            ("revoked_at", .stringOrNull(key.revokedAt.map(RFC3339.string(fromSeconds:)))),
        ])
    }
}

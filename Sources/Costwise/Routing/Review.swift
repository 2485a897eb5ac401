/// A review of the routing map: per task type, the model in use at its threshold and one action,
/// from evidence weighted by age, so task types move up a tier when quality falls and down when a
/// cheaper model has proven itself.
public struct Review: Sendable {
    public enum Action: String, Sendable, CaseIterable {
        /// Nothing to change.
        case keep
        /// The model in use no longer clears the threshold on recent evidence.
        case upgrade
        /// A cheaper model clears the threshold with confidence: switch and pocket the savings.
        case downgrade
        /// A cheaper model looks good enough but lacks the samples to be judged.
        case explore
        /// One model takes the task type's traffic although the selector would choose a cheaper one.
        case collapse
    }

    public struct Finding: Sendable {
        public var task: String
        public var threshold: Double
        /// Whether the threshold is the review's fallback because the task type has none of its own.
        public var thresholdIsFallback: Bool
        public var currentModel: String?
        public var currentCostUSD: Double?
        public var action: Action
        public var reason: String
        /// The figures behind the action, by name (`recent_mean`, `monthly_savings_usd`, …).
        public var figures: [(String, JSONValue)]

        public var json: JSONValue {
            .object([
                ("task", .string(task)),
                ("action", .string(action.rawValue)),
                ("reason", .string(reason)),
                ("threshold", .number(threshold)),
                ("current_model", .stringOrNull(currentModel)),
                ("current_cost_usd", .numberOrNull(currentCostUSD)),
            ] + figures)
        }
    }

    /// The threshold of task types that have none of their own.
    public static let fallbackThreshold = 0.8
    /// The confidence a cheaper model must clear its threshold with before a downgrade is advised.
    public static let confidence = 0.95
    /// The share of traffic on one model that counts as collapsed onto it.
    public static let collapseShare = 0.9
    /// How fast old evidence fades, and how many days of selections give the volume, unless told otherwise.
    public static let defaultHalfLifeDays = 30.0
    public static let defaultWindowDays = 30.0

    public var findings: [Finding]

    /// Reviews every task type that has candidates.
    ///
    /// - Parameters:
    ///   - current: the store's evidence, every result counted alike.
    ///   - recent: the same evidence weighted by age (a half-life).
    ///   - requests: logged selections per task type and model over the last `windowDays` days.
    public init(current: Snapshot, recent: Snapshot, requests: [String: [String: Int]], windowDays: Double) throws {
        let z = NormalDistribution.quantile(Self.confidence)
        findings = try current.taskTypes.compactMap { task -> Finding? in
            guard let route = current.routes[task.name], !route.candidates.isEmpty else { return nil }
            let threshold = task.minQuality ?? Self.fallbackThreshold
            let traffic = requests[task.name] ?? [:]
            let totalRequests = traffic.values.reduce(0, +)
            let monthlyRequests = Double(totalRequests) * 30 / windowDays
            let plain = try current.select(SelectionRequest(task: task.name, minQuality: threshold))
            let confident = try current.select(SelectionRequest(task: task.name, minQuality: threshold, confidence: Self.confidence))
            let inUse = traffic.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? confident.chosen?.model ?? plain.chosen?.model
            var finding = Finding(task: task.name, threshold: threshold, thresholdIsFallback: task.minQuality == nil,
                                  currentModel: inUse, currentCostUSD: nil, action: .keep, reason: "", figures: [])
            func cost(_ model: String) -> Double? { route.candidates.first { $0.model.id == model }?.defaultCost }
            func recentQuality(_ model: String) -> QualityEstimate? {
                recent.estimates.first { $0.task == task.name && $0.model == model }?.quality
            }
            let money = { (value: Double) in DecimalFormat.string(value, places: 6) }

            guard let inUse, let inUseCost = cost(inUse) else {
                finding.action = .upgrade
                finding.reason = "no model clears \(DecimalFormat.string(threshold)) on the evidence: move the task up a tier or lower its threshold"
                if let best = plain.best { finding.figures = [("best_model", .string(best.model)), ("best_mean", .number(best.quality.mean))] }
                return finding
            }
            finding.currentCostUSD = inUseCost

            if let quality = recentQuality(inUse), quality.mean < threshold {
                let replacement = try recent.select(SelectionRequest(task: task.name, minQuality: threshold)).chosen
                finding.action = .upgrade
                finding.reason = "\(inUse)'s recent mean \(DecimalFormat.string(quality.mean, places: 4)) fell below \(DecimalFormat.string(threshold))"
                    + (replacement.map { "; \($0.model) clears it on recent evidence" } ?? "; no model clears it on recent evidence")
                finding.figures = [("recent_mean", .number(quality.mean)), ("recommended_model", .stringOrNull(replacement?.model)),
                                   ("recommended_cost_usd", .numberOrNull(replacement?.estimatedCostUSD))]
                return finding
            }

            let cheaper = route.candidates.filter { $0.defaultCost < inUseCost }
            if totalRequests > 0, Double(traffic[inUse] ?? 0) / Double(totalRequests) >= Self.collapseShare,
               let choice = plain.chosen, choice.estimatedCostUSD < inUseCost {
                let savings = (inUseCost - choice.estimatedCostUSD) * monthlyRequests
                finding.action = .collapse
                finding.reason = "\(inUse) takes \(traffic[inUse] ?? 0) of \(totalRequests) requests although \(choice.model) qualifies "
                    + "at \(money(choice.estimatedCostUSD)) USD a request; monthly savings \(money(savings)) USD"
                finding.figures = [("share", .number(Double(traffic[inUse] ?? 0) / Double(totalRequests))),
                                   ("recommended_model", .string(choice.model)), ("recommended_cost_usd", .number(choice.estimatedCostUSD)),
                                   ("monthly_requests", .number(monthlyRequests)), ("monthly_savings_usd", .number(savings))]
                return finding
            }
            if let proven = cheaper.first(where: { candidate in
                recentQuality(candidate.model.id).map { $0.samples > 0 && $0.wilsonLowerBound(z: z) >= threshold } ?? false
            }) {
                let quality = recentQuality(proven.model.id)!
                let savings = (inUseCost - proven.defaultCost) * monthlyRequests
                finding.action = .downgrade
                finding.reason = "\(proven.model.id) clears \(DecimalFormat.string(threshold)) with \(Int(Self.confidence * 100))% confidence "
                    + "(lower bound \(DecimalFormat.string(quality.wilsonLowerBound(z: z), places: 4))) at \(money(proven.defaultCost)) USD "
                    + "a request against \(money(inUseCost)); monthly savings \(money(savings)) USD at \(DecimalFormat.string(monthlyRequests, places: 0)) requests"
                finding.figures = [("recommended_model", .string(proven.model.id)), ("recommended_cost_usd", .number(proven.defaultCost)),
                                   ("lower_bound", .number(quality.wilsonLowerBound(z: z))), ("monthly_requests", .number(monthlyRequests)),
                                   ("monthly_savings_usd", .number(savings)),
                                   ("savings_per_1k_requests_usd", .number((inUseCost - proven.defaultCost) * 1_000))]
                return finding
            }
            if let promising = cheaper.first(where: { recentQuality($0.model.id).map { $0.mean > threshold } ?? false }) {
                let quality = recentQuality(promising.model.id)!
                let needed = Self.samplesNeeded(mean: quality.mean, threshold: threshold, z: z)
                let more = max(0, Int((Double(needed) - quality.samples).rounded(.up)))
                finding.action = .explore
                finding.reason = "\(promising.model.id) has a recent mean of \(DecimalFormat.string(quality.mean, places: 4)) at "
                    + "\(money(promising.defaultCost)) USD a request but only \(DecimalFormat.string(quality.samples, places: 1)) samples; "
                    + "about \(more) more at that mean would settle it"
                finding.figures = [("candidate_model", .string(promising.model.id)), ("candidate_cost_usd", .number(promising.defaultCost)),
                                   ("recent_mean", .number(quality.mean)), ("samples", .number(quality.samples)),
                                   ("samples_needed", .integer(more))]
                return finding
            }
            finding.reason = "\(inUse) is the cheapest model that clears \(DecimalFormat.string(threshold)) on recent evidence"
            return finding
        }
    }

    /// The fewest samples at which a mean of `mean` has a Wilson lower bound of at least `threshold`.
    static func samplesNeeded(mean: Double, threshold: Double, z: Double) -> Int {
        var low = 1
        var high = 1 << 30
        func clears(_ samples: Int) -> Bool {
            QualityEstimate(mean: mean, samples: Double(samples), results: samples, priorWeight: 0).wilsonLowerBound(z: z) >= threshold
        }
        guard clears(high) else { return high }
        while low < high {
            let middle = (low + high) / 2
            if clears(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension Review {
    /// Reviews `store`: its evidence as it stands and weighted by age (half its weight every
    /// `halfLifeDays` days), with the selections logged over the `windowDays` days before `now`.
    public init(store: SQLiteStore, halfLifeDays: Double, windowDays: Double, now: Double = RFC3339.now) throws {
        try self.init(current: store.snapshot(), recent: store.snapshot(halfLifeDays: halfLifeDays),
                      requests: store.decisionCounts(since: now - windowDays * 86_400), windowDays: windowDays)
    }
}

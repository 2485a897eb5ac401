#if canImport(Glibc)
import Glibc
#endif
import Costwise

/// The four kinds of selection measured, each with the one SQLite query that answers it from the
/// ``BaselineTable`` (task type given as its row id, so the baseline skips a name lookup Costwise does).
enum SelectCase: String, CaseIterable {
    case plain, confidence, filtered, tokens

    var title: String {
        switch self {
        case .plain: "(a) plain: task + min quality"
        case .confidence: "(b) confidence 0.95"
        case .filtered: "(c) providers, excluded, max latency, max cost"
        case .tokens: "(d) explicit input/output tokens"
        }
    }

    /// The plain question asked of ``BaselineTable``'s frontier table instead (for information).
    static let frontierSQL = "SELECT model FROM frontier WHERE task_id = ?1 AND mean >= ?2 ORDER BY mean LIMIT 1"

    var sql: String {
        let order = "ORDER BY cost, mean DESC, model LIMIT 1"
        return switch self {
        case .plain:
            "SELECT model FROM candidate INDEXED BY candidate_plain WHERE task_id = ?1 AND fits = 1 AND mean >= ?2 \(order)"
        case .confidence:
            "SELECT model FROM candidate INDEXED BY candidate_confidence WHERE task_id = ?1 AND fits = 1 AND lb95 >= ?2 \(order)"
        case .filtered:
            """
            SELECT model FROM candidate INDEXED BY candidate_filtered WHERE task_id = ?1 AND fits = 1 AND mean >= ?2
              AND provider IN (?3, ?4, ?5) AND model NOT IN (?6, ?7) AND latency_p95 <= ?8 AND cost <= ?9 \(order)
            """
        case .tokens:
            // The cost depends on the request, so no index can hold its order: the best SQLite can do
            // is read only the rows above the threshold, from an index that covers the price columns.
            """
            SELECT model FROM candidate INDEXED BY candidate_tokens WHERE task_id = ?1 AND mean >= ?2 AND (ctx IS NULL OR ctx >= ?5)
            ORDER BY (?3 * in_price + ?4 * out_price) / 1000000.0 + request_usd, mean DESC, model LIMIT 1
            """
        }
    }
}

/// One question in both forms: Costwise's request, and the baseline query's parameters. Text
/// parameters are C strings made once, bound without a copy.
struct BaselineParameters {
    var taskID: Int
    var minQuality: Double
    var providers: [UnsafeMutablePointer<CChar>] = []
    var excludedModels: [UnsafeMutablePointer<CChar>] = []
    var maxLatencyMs = 0.0
    var maxCostUSD = 0.0
    var inputTokens = 0.0
    var outputTokens = 0.0

    @inline(__always)
    func bind(to statement: RawStatement, for kind: SelectCase) {
        statement.bind(taskID, at: 1)
        statement.bind(minQuality, at: 2)
        switch kind {
        case .plain, .confidence: break
        case .filtered:
            for (offset, provider) in providers.enumerated() { statement.bind(static: provider, at: 3 + Int32(offset)) }
            for (offset, model) in excludedModels.enumerated() { statement.bind(static: model, at: 6 + Int32(offset)) }
            statement.bind(maxLatencyMs, at: 8)
            statement.bind(maxCostUSD, at: 9)
        case .tokens:
            statement.bind(inputTokens, at: 3)
            statement.bind(outputTokens, at: 4)
            statement.bind(inputTokens + outputTokens, at: 5)
        }
    }
}

/// Random requests of one case (10,000 unless told; cycled through while timing), varying task type and
/// threshold so no two neighbours ask the same question.
struct RequestSet {
    let kind: SelectCase
    var requests: [SelectionRequest] = []
    var parameters: [BaselineParameters] = []

    /// The requests at `indices`, in that order.
    func subset(_ indices: [Int]) -> RequestSet {
        RequestSet(kind: kind, requests: indices.map { requests[$0] }, parameters: indices.map { parameters[$0] })
    }

    private init(kind: SelectCase, requests: [SelectionRequest], parameters: [BaselineParameters]) {
        self.kind = kind
        self.requests = requests
        self.parameters = parameters
    }

    init(kind: SelectCase, count: Int, taskCount: Int, catalog: SyntheticCatalog, taskIDs: [String: Int],
         costsByTask: [Int: [Double]], snapshot: Snapshot, seed: UInt64) throws {
        self.kind = kind
        var random = SplitMix64(seed: seed)
        for _ in 0..<count {
            let task = catalog.tasks[..<min(taskCount, catalog.tasks.count)].randomElement(using: &random)!.name
            let minQuality = Double.random(in: 0.5...0.95, using: &random)
            var request = SelectionRequest(task: task, minQuality: minQuality)
            var baseline = BaselineParameters(taskID: taskIDs[task]!, minQuality: minQuality)
            switch kind {
            case .plain: break
            case .confidence:
                request.confidence = 0.95
            case .filtered:
                // Three providers of twenty; the model a plain request would get, plus one at random;
                // a latency cap; a cost cap between the median and the 95th percentile of the task's costs.
                request.providers = Array(SyntheticCatalog.providers.shuffled(using: &random).prefix(3))
                let plainAnswer = try snapshot.select(SelectionRequest(task: task, minQuality: minQuality)).chosenModel
                request.excludedModels = [plainAnswer ?? catalog.models[0].id, catalog.models.randomElement(using: &random)!.id]
                request.maxLatencyMs = Double.random(in: 2_000...20_000, using: &random).rounded()
                let costs = costsByTask[baseline.taskID]!
                request.maxCostUSD = costs[Int(Double(costs.count - 1) * Double.random(in: 0.5...0.95, using: &random))]
                baseline.providers = request.providers.map { strdup($0)! }
                baseline.excludedModels = request.excludedModels.map { strdup($0)! }
                baseline.maxLatencyMs = request.maxLatencyMs!
                baseline.maxCostUSD = request.maxCostUSD!
            case .tokens:
                request.inputTokens = Int(random.logUniform(100...20_000))
                request.outputTokens = Int(random.logUniform(50...4_000))
                baseline.inputTokens = Double(request.inputTokens!)
                baseline.outputTokens = Double(request.outputTokens!)
            }
            requests.append(request)
            parameters.append(baseline)
        }
    }
}

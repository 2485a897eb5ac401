#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How gateway traffic feeds each (model, task type) pair's measured tokens and latency.
///
/// An answered request (status `ok`) that names a task type says how many tokens that model used for
/// it and how long its upstream took, as real traffic does rather than an evaluation run: its
/// reported input and output tokens count towards the pair's mean tokens (what a selection assumes
/// when a request gives none) and its upstream latency towards the pair's p95 latency (what a
/// latency limit checks), beside the evaluation results' own. It says nothing of quality: only
/// results and feedback move the quality estimate. Failed, refused and unrouted requests count for
/// nothing, and figures the upstream did not report are left out, not taken as 0.
///
/// Only a pair's latest ``trafficPerPair`` answered requests count, so that the figures follow the
/// model as it is served now and recomputing them reads a bounded number of rows, however long
/// the gateway has run. A request that was scored by feedback counts once, as the result it became.
/// The figures are recomputed in the transaction that writes the rows, so they never disagree.
extension SQLiteStore {
    /// How many of a pair's latest answered gateway requests its measured tokens and latency count.
    public static let trafficPerPair = 1_000

    /// Adds the measurements of the pair's latest answered gateway requests to `statistics`, newest
    /// first, leaving out requests that feedback turned into results (they are counted as those).
    static func addTraffic(of pair: PairKey, to statistics: inout ResultStatistics, in database: Database) throws {
        let rows = try database.statement("""
            SELECT g.input_tokens, g.output_tokens, g.upstream_latency_ms FROM gateway_requests g
            WHERE g.task = (SELECT name FROM task_types WHERE id = ?1) AND g.model = (SELECT name FROM models WHERE id = ?2)
              AND g.status = 'ok'
              AND NOT EXISTS (SELECT 1 FROM results r WHERE r.model_id = ?2 AND r.task_id = ?1 AND r.run = ?3 AND r.item = g.id)
            ORDER BY g.at DESC, g.id DESC LIMIT ?4
            """)
        rows.bind(pair.taskID, pair.modelID, RequestRecord.feedbackRun, trafficPerPair)
        defer { rows.reset() }
        while try rows.step() {
            statistics.addMeasurement(inputTokens: rows.optionalInt(0), outputTokens: rows.optionalInt(1),
                                      latencyMs: rows.optionalDouble(2))
        }
    }

    /// Recomputes the statistics of the pairs named by task type and model (those of answered
    /// requests just written or replaced); names no longer in the catalog are passed over. Returns
    /// how many pairs it recomputed. With `yielding`, the thread yields its processor before each
    /// pair (see ``recordRequests(_:yieldingEvery:)``).
    static func remeasure(_ pairs: Set<PairNames>, in database: Database, yielding: Bool = false) throws -> Int {
        let taskID = try database.statement("SELECT id FROM task_types WHERE name = ?")
        let modelID = try database.statement("SELECT id FROM models WHERE name = ?")
        var recomputed = 0
        for names in pairs.sorted(by: { ($0.task, $0.model) < ($1.task, $1.model) }) {
            guard let task = try taskID.bound(names.task).firstInt(), let model = try modelID.bound(names.model).firstInt() else { continue }
            if yielding { sched_yield() }
            try recomputeStatistics(of: PairKey(modelID: model, taskID: task), in: database)
            recomputed += 1
        }
        return recomputed
    }

    /// Recomputes every pair that has answered gateway requests: for a store whose rows were written
    /// before they fed the statistics.
    static func remeasureAllTraffic(in database: Database) throws {
        let rows = try database.statement("""
            SELECT DISTINCT task, model FROM gateway_requests WHERE status = 'ok' AND task IS NOT NULL AND model IS NOT NULL
            """)
        var pairs: Set<PairNames> = []
        while try rows.step() { pairs.insert(PairNames(task: rows.string(0), model: rows.string(1))) }
        rows.reset()
        _ = try remeasure(pairs, in: database)
    }

    /// A pair as gateway rows name it.
    struct PairNames: Hashable {
        var task: String
        var model: String
    }
}

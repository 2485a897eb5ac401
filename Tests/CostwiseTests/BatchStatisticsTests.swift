import Foundation
import Testing
@testable import Costwise

/// Statistics of pairs that had no results before a batch are computed from the batch, not read back
/// from the rows: they must be exactly what a recomputation from the rows stores, to the last bit.
struct BatchStatisticsTests {
    @Test("Statistics from a batch equal a recomputation from the stored rows, bit for bit")
    func batchStatisticsEqualRecomputation() throws {
        let fixture = try TemporaryStore()
        try fixture.task("reasoning")
        for model in ["acme/new", "acme/also-new", "acme/stored"] { try fixture.model(model, input: 1, output: 2) }
        try fixture.store.recordResults([EvaluationResult(model: "acme/stored", task: "reasoning", score: 0.5, run: "old", item: "1")],
                                        lines: nil, file: nil)

        var random = SelectionReferenceTests.SeededGenerator(state: 11)
        // Items of many lengths and bytes, in no order, some repeated: the later of two with one key is kept.
        let items = ["", "é", "a\u{0}b", "a", "ab", "Z"] + (0..<300).map { "item\($0)" }
        var batch = (0..<1_200).map { index in
            EvaluationResult(
                model: ["acme/new", "acme/also-new", "acme/stored"][index % 3], task: "reasoning",
                score: Double(Int.random(in: 0...100, using: &random)) / 100,
                run: index % 7 == 0 ? nil : ["r", "", "r2"].randomElement(using: &random),
                item: index % 7 == 0 ? nil : items.randomElement(using: &random),
                latencyMs: [nil, .nan, Double.random(in: 0...9_000, using: &random)][Int.random(in: 0...2, using: &random)],
                inputTokens: Bool.random(using: &random) ? Int.random(in: 1...5_000, using: &random) : nil,
                outputTokens: Bool.random(using: &random) ? Int.random(in: 1...5_000, using: &random) : nil)
        }
        batch.shuffle(using: &random)
        let report = try fixture.store.recordResults(batch, lines: nil, file: nil)
        #expect(report.inserted == (try fixture.rawInteger("SELECT count(*) FROM results") ?? 0) - 1)
        #expect(report.inserted + report.replaced == batch.count && report.pairs == 3)

        let database = try Database(path: fixture.path, create: false)
        let kept = try Self.statistics(in: database)
        try database.writeTransaction {
            for (modelID, taskID) in try Self.pairs(in: database) {
                try SQLiteStore.recomputeStatistics(of: SQLiteStore.PairKey(modelID: modelID, taskID: taskID), in: database)
            }
        }
        #expect(kept.count == 3)
        #expect(kept == (try Self.statistics(in: database)))
    }

    static func pairs(in database: Database) throws -> [(Int, Int)] {
        let rows = try database.statement("SELECT model_id, task_id FROM model_task_stats")
        var pairs: [(Int, Int)] = []
        while try rows.step() { pairs.append((rows.int(0), rows.int(1))) }
        return pairs
    }

    /// Every column of every pair's statistics, in pair order.
    static func statistics(in database: Database) throws -> [[Double?]] {
        let rows = try database.statement("""
            SELECT samples, score_sum, input_tokens_sum, input_tokens_samples, output_tokens_sum, output_tokens_samples,
                   latency_p95_ms, latency_samples
            FROM model_task_stats ORDER BY model_id, task_id
            """)
        var statistics: [[Double?]] = []
        while try rows.step() { statistics.append((0..<8).map { rows.optionalDouble($0) }) }
        return statistics
    }
}

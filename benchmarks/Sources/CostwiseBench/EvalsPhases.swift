import Costwise
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Measurement 2, split: what `costwise evals import` does, phase by phase, in one process through
/// the same public calls the command makes, so the whole-process figure can be attributed.
enum EvalsPhases {
    static func run(csvPath: String, template: String) throws {
        let path = template + ".phases.sqlite"
        for suffix in ["", "-wal", "-shm"] { _ = unlink(path + suffix) }
        try FileManager.default.copyItem(atPath: template, toPath: path)

        let (bytes, readTime) = try BatchTimer.time { try InputFile.bytes(atPath: csvPath) }
        let (parsed, parseTime) = try BatchTimer.time { try EvaluationFile.parse(bytes, format: .csv, file: csvPath) }
        let (store, openTime) = try BatchTimer.time { try SQLiteStore(path: path, seed: .empty) }
        let results = parsed.map(\.result)
        let lines = parsed.map(\.line)
        let (report, recordTime) = try BatchTimer.time { try store.recordResults(results, lines: lines, file: csvPath) }
        print("  phases in one process: read \(StoreBuilder.seconds(readTime)), parse \(StoreBuilder.seconds(parseTime)) "
            + "(EvaluationFile.parse), open \(StoreBuilder.seconds(openTime)), "
            + "recordResults \(StoreBuilder.seconds(recordTime)) (\(report.inserted) inserted, \(report.pairs) pairs recomputed)")
    }
}

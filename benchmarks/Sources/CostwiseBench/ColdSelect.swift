import Costwise
#if canImport(Glibc)
import Glibc
#endif

/// Measurement 3, split: the library's part of `costwise select` (open the store, load what answers
/// the request, select) in a process without the command-line layer, and an empty process of
/// the same static binary as the start-up floor.
enum ColdSelect {
    static func run(storePath: String, task: String, minQuality: Double, phases: Bool) throws {
        let request = SelectionRequest(task: task, minQuality: minQuality)
        let (store, openTime) = try BatchTimer.time { try SQLiteStore(path: storePath) }
        let (snapshot, loadTime) = try BatchTimer.time { try store.snapshot(answering: request) }
        let (selection, selectTime) = try BatchTimer.time { try snapshot.select(request) }
        print(selection.chosenModel ?? "none")
        if phases {
            // The same load again in the same process: what is left once the process is warm.
            let (_, warmLoadTime) = try BatchTimer.time { try SQLiteStore(path: storePath).snapshot(answering: request) }
            let (_, wholeTaskTime) = try BatchTimer.time { try SQLiteStore(path: storePath).snapshot(onlyTask: task) }
            print("  phases in one process: open \(milliseconds(openTime)), snapshot(answering:) \(milliseconds(loadTime)), "
                + "select \(milliseconds(selectTime)); open and load again, warm: \(milliseconds(warmLoadTime)); "
                + "for comparison, open and load all the task's candidates (snapshot(onlyTask:)), warm: \(milliseconds(wholeTaskTime))")
        }
    }

    static func milliseconds(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100_000).rounded())
        return "\(hundredths / 100).\(SyntheticCatalog.padded(hundredths % 100, 2)) ms"
    }
}

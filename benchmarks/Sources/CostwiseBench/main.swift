import Costwise
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The benchmark harness; `run.sh` drives it. Subcommands:
///   store PATH        build the 2,000 × 100 store (and the baseline table) at PATH, replacing it
///   select PATH       measurement 1 on that store (the catalog is regenerated from the same seed)
///   evals FOLDER      write measurement 2's price table, task list and 300,000-row results CSV
///   evals-phases CSV TEMPLATE        time measurement 2's phases in-process (on a copy of TEMPLATE)
///   cold-select PATH TASK Q [--phases]   the library's part of `costwise select`, as one process
///   noop              start and exit: the start-up floor of this static binary
/// `select` reads BENCH_BUDGET_MS (time per case and side, default 2000) and BENCH_CASES (e.g.
/// `plain,tokens`: only those, for profiling one with perf). BENCH_REQUESTS (distinct requests per
/// case, default 10,000) and BENCH_TASKS (draw them from the first N task types, default all 100)
/// shrink what the selects read, to show how much of their time is cache misses.
let arguments = Array(CommandLine.arguments.dropFirst())
let catalogSeed: UInt64 = 2026

func syntheticCatalog() -> SyntheticCatalog {
    SyntheticCatalog(models: 2_000, tasks: 100, seed: catalogSeed)
}

switch (arguments.first, arguments.count) {
case ("store", 2):
    let path = arguments[1]
    for suffix in ["", "-wal", "-shm"] { _ = unlink(path + suffix) }
    try StoreBuilder.build(syntheticCatalog(), at: path)
    let (_, seconds) = BatchTimer.time { BaselineTable.build(at: path) }
    print("  baseline tables (4 covering indexes, a frontier table) built in \(StoreBuilder.seconds(seconds))")
case ("select", 2):
    let environment = ProcessInfo.processInfo.environment
    let budget = Duration.milliseconds(Int(environment["BENCH_BUDGET_MS"] ?? "") ?? 2_000)
    let cases = (environment["BENCH_CASES"]?.split(separator: ",").compactMap { SelectCase(rawValue: String($0)) })
        .flatMap { $0.isEmpty ? nil : $0 } ?? SelectCase.allCases
    let catalog = syntheticCatalog()
    try SelectBenchmark.run(storePath: arguments[1], catalog: catalog, budget: budget, cases: cases,
                            requestCount: Int(environment["BENCH_REQUESTS"] ?? "") ?? 10_000,
                            taskCount: Int(environment["BENCH_TASKS"] ?? "") ?? catalog.tasks.count)
case ("evals", 2):
    try EvalsFixture.write(to: arguments[1])
case ("evals-phases", 3):
    try EvalsPhases.run(csvPath: arguments[1], template: arguments[2])
case ("cold-select", 4), ("cold-select", 5):
    try ColdSelect.run(storePath: arguments[1], task: arguments[2], minQuality: Double(arguments[3])!,
                       phases: arguments.count == 5 && arguments[4] == "--phases")
case ("noop", 1):
    break
default:
    print("usage: CostwiseBench store PATH | select PATH | evals FOLDER | evals-phases CSV TEMPLATE | cold-select PATH TASK Q [--phases] | noop")
    exit(2)
}

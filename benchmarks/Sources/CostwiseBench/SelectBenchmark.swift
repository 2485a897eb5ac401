import BenchSQLite
import Costwise

/// Measurement 1: `Snapshot.select` in-process against the best single prepared SQLite query, on
/// the generated store. Goal: at least 100× faster than the best prepared SQLite query in the same run
/// (absolute nanoseconds do not carry from one machine to another).
enum SelectBenchmark {
    static let goalRatio = 100.0

    /// Asks `requestCount` requests of each case, drawn from the first `taskCount` task types.
    static func run(storePath: String, catalog: SyntheticCatalog, budget: Duration, cases: [SelectCase],
                    requestCount: Int, taskCount: Int) throws {
        // A fresh store object: the statistics were written behind the first one's back.
        let store = try SQLiteStore(path: storePath, seed: .empty)
        let (snapshot, loadTime) = try BatchTimer.time { try store.snapshot() }
        print("  snapshot: \(snapshot.estimates.count) estimates loaded in \(StoreBuilder.seconds(loadTime)); "
            + "\(requestCount) requests per case\(taskCount < catalog.tasks.count ? " of the first \(taskCount) task type(s)" : ""), "
            + "all of them asked of both sides to check the answers agree")

        let database = RawDatabase(path: storePath)
        // Be generous to SQLite: a big page cache, memory-mapped reads, and every query of a run
        // inside one read transaction (as the snapshot is one consistent read).
        database.execute("PRAGMA cache_size = -262144; PRAGMA mmap_size = 1073741824")
        let taskIDs = StoreBuilder.rowIDs(database, "SELECT id, name FROM task_types")
        let costsByTask = sortedCosts(database)

        print("  ratio = sqlite ns / costwise ns: how many times faster Costwise answers than SQLite")
        print("")
        print(pad("case", 50) + pad("costwise ns", 13) + pad("sqlite ns", 13) + pad("ratio", 9) + pad("agree", 14) + "goal (≥ 100× SQLite)")
        for (offset, kind) in SelectCase.allCases.enumerated() where cases.contains(kind) {
            let set = try RequestSet(kind: kind, count: requestCount, taskCount: taskCount, catalog: catalog, taskIDs: taskIDs,
                                     costsByTask: costsByTask, snapshot: snapshot, seed: 100 + UInt64(offset))
            let query = database.prepare(kind.sql)
            let plan = database.rows("EXPLAIN QUERY PLAN " + kind.sql).map { $0.split(separator: "|").last ?? "" }

            let (agreed, answered) = try agreement(set, snapshot: snapshot, query: query)
            let (measured, theirs) = try timeBoth(set, snapshot: snapshot, database: database, query: query, budget: budget)
            let ours = measured!
            let ratio = theirs.nanosecondsPerOperation / ours.nanosecondsPerOperation
            let oursOneByOne = try medianOneByOne(set, snapshot: snapshot)
            database.execute("BEGIN")
            let theirsOneByOne = medianOneByOne(set, query: query)
            database.execute("COMMIT")
            let met = ratio >= goalRatio
            print(pad(kind.title, 50) + pad(format(ours.nanosecondsPerOperation), 13)
                + pad(format(theirs.nanosecondsPerOperation), 13) + pad(format(ratio) + "×", 9)
                + pad("\(agreed)/\(requestCount)", 14) + (met ? "met" : "MISSED"))
            print("    median of \(ours.batches) batches of \(ours.batchSize) (costwise), \(theirs.batches) of \(theirs.batchSize) (sqlite); "
                + "sqlite plan: \(plan.joined(separator: "; "))")
            let perSelectMet = theirsOneByOne.median / oursOneByOne.median >= goalRatio
            print("    timed one by one (each with a clock read of \(format(BatchTimer.timerOverhead)) ns): costwise median "
                + "\(format(oursOneByOne.median)) ns, p90 \(format(oursOneByOne.p90)) ns; sqlite median \(format(theirsOneByOne.median)) ns, "
                + "p90 \(format(theirsOneByOne.p90)) ns; ratio of medians \(format(theirsOneByOne.median / oursOneByOne.median))×: "
                + (perSelectMet ? "met" : "MISSED"))
            if kind == .plain {
                let frontier = database.prepare(SelectCase.frontierSQL)
                let (agreed, _) = try agreement(set, snapshot: snapshot, query: frontier)
                let (_, theirs) = try timeBoth(set, snapshot: snapshot, database: database, query: frontier, budget: budget / 4,
                                               costwise: false)
                print("    for information, sqlite on a precomputed frontier table: \(format(theirs.nanosecondsPerOperation)) ns, "
                    + "ratio \(format(theirs.nanosecondsPerOperation / ours.nanosecondsPerOperation))×, agree \(agreed)/\(requestCount)")
            }
            // The same requests split by outcome: a request no model meets costs a full scan on both sides.
            for (label, keep) in [("answered", true), ("no qualifying model", false)] {
                let indices = set.requests.indices.filter { answered[$0] == keep }
                guard !indices.isEmpty else { continue }
                let (measured, theirs) = try timeBoth(set.subset(indices), snapshot: snapshot, database: database, query: query,
                                                      budget: budget / 4)
                let ours = measured!
                print("    \(pad("\(label) (\(indices.count)):", 28))costwise \(format(ours.nanosecondsPerOperation)) ns, "
                    + "sqlite \(format(theirs.nanosecondsPerOperation)) ns, "
                    + "ratio \(format(theirs.nanosecondsPerOperation / ours.nanosecondsPerOperation))×")
            }
        }
    }

    /// Each request's own time, one select at a time: the median select, as the goal reads.
    static func medianOneByOne(_ set: RequestSet, snapshot: Snapshot) throws -> (median: Double, p90: Double) {
        let requests = set.requests
        let timed = BatchTimer.perOperation(count: requests.count) { index in
            (try? snapshot.select(requests[index % requests.count]).chosenModel?.utf8.count) ?? 0
        }
        return (timed.median, timed.p90)
    }

    static func medianOneByOne(_ set: RequestSet, query: RawStatement) -> (median: Double, p90: Double) {
        let parameters = set.parameters
        let kind = set.kind
        let timed = BatchTimer.perOperation(count: parameters.count) { index in
            query.reset()
            parameters[index % parameters.count].bind(to: query, for: kind)
            guard query.step(), let text = sqlite3_column_text(query.handle, 0) else { return 0 }
            return Int(text.pointee)
        }
        return (timed.median, timed.p90)
    }

    /// Times Costwise (unless told not to), then the baseline inside one read transaction.
    static func timeBoth(_ set: RequestSet, snapshot: Snapshot, database: RawDatabase, query: RawStatement,
                         budget: Duration, costwise: Bool = true) throws -> (BatchTimer.Result?, BatchTimer.Result) {
        let ours = costwise ? try timeCostwise(set, snapshot: snapshot, budget: budget) : nil
        database.execute("BEGIN")
        defer { database.execute("COMMIT") }
        return (ours, timeSQLite(set, query: query, budget: budget))
    }

    /// Asks both every question; returns how many answers match, and which questions Costwise answered.
    static func agreement(_ set: RequestSet, snapshot: Snapshot, query: RawStatement) throws -> (Int, [Bool]) {
        var agreed = 0
        var answered: [Bool] = []
        for index in set.requests.indices {
            let ours = try snapshot.select(set.requests[index]).chosenModel
            query.reset()
            set.parameters[index].bind(to: query, for: set.kind)
            let theirs = query.step() ? query.text(0) : nil
            if ours == theirs { agreed += 1 }
            answered.append(ours != nil)
        }
        query.reset()
        return (agreed, answered)
    }

    static func timeCostwise(_ set: RequestSet, snapshot: Snapshot, budget: Duration) throws -> BatchTimer.Result {
        let requests = set.requests
        var failure: (any Error)?
        let result = BatchTimer.measure(budget: budget) { index in
            do {
                return try snapshot.select(requests[index % requests.count]).chosenModel?.utf8.count ?? 0
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return result
    }

    static func timeSQLite(_ set: RequestSet, query: RawStatement, budget: Duration) -> BatchTimer.Result {
        let parameters = set.parameters
        let kind = set.kind
        return BatchTimer.measure(budget: budget) { index in
            query.reset()
            parameters[index % parameters.count].bind(to: query, for: kind)
            // Touch the answer's first byte, as a caller would read it, without making a String.
            guard query.step(), let text = sqlite3_column_text(query.handle, 0) else { return 0 }
            return Int(text.pointee)
        }
    }

    /// Each task's candidate costs (at default tokens) in order, for drawing realistic cost caps.
    static func sortedCosts(_ database: RawDatabase) -> [Int: [Double]] {
        let query = database.prepare("SELECT task_id, cost FROM candidate WHERE fits = 1 ORDER BY task_id, cost")
        var costs: [Int: [Double]] = [:]
        while query.step() { costs[query.int(0), default: []].append(query.double(1)) }
        return costs
    }

    /// Whole numbers from 100 up, one decimal from 1, two below (ratios under 1 need them).
    static func format(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        let places = value >= 1 ? 1 : 2
        let scale = places == 1 ? 10 : 100
        let scaled = Int((value * Double(scale)).rounded())
        return "\(scaled / scale)." + SyntheticCatalog.padded(scaled % scale, places)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

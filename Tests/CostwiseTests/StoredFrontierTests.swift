import Testing
@testable import Costwise

/// The frontiers a store keeps for one-off selections: the answer read through them is the whole
/// snapshot's, and any change to what they derive from, by Costwise or another program, is seen.
struct StoredFrontierTests {
    /// A store of 3 providers' models over two task types, with results, priors and context windows.
    func randomStore(seed: UInt64) throws -> TemporaryStore {
        var random = SelectionReferenceTests.SeededGenerator(state: seed)
        let fixture = try TemporaryStore()
        for task in ["t1", "t2"] { try fixture.task(task, input: Int.random(in: 100...3_000, using: &random), output: 500) }
        for index in 0..<20 {
            let id = "\(["p", "q", "r"][index % 3])/m\(index)"
            try fixture.model(id, input: [0.1, 0.5, 1, 2][Int.random(in: 0...3, using: &random)], output: [0.2, 1, 4][Int.random(in: 0...2, using: &random)],
                              contextWindow: Bool.random(using: &random) ? nil : [2_000, 8_000][Int.random(in: 0...1, using: &random)])
            // Every third model rests on a prior alone for t1, at less than one sample half the time:
            // a candidate only for requests that ask for fewer samples, which the frontier does not answer.
            if index % 3 == 2 {
                try fixture.store.setPriors([PriorScore(model: id, task: "t1", score: Double.random(in: 0.5...1, using: &random),
                                                        weight: [0.5, 3][Int.random(in: 0...1, using: &random)], source: "test")])
            }
            for task in ["t1", "t2"] where Bool.random(using: &random) && !(index % 3 == 2 && task == "t1") {
                let count = Int.random(in: 1...30, using: &random)
                try fixture.results(id, task, passes: Int.random(in: 0...count, using: &random), of: count)
            }
        }
        return fixture
    }

    @Test("A one-off selection through the stored frontiers answers as the whole snapshot does", arguments: [11, 12, 13, 14])
    func answersAsTheSnapshot(seed: UInt64) throws {
        let fixture = try randomStore(seed: seed)
        var random = SelectionReferenceTests.SeededGenerator(state: seed)
        let whole = try fixture.store.snapshot()
        var readThroughFrontier = 0
        var readAboveThreshold = 0
        for _ in 0..<200 {
            var request = SelectionRequest(task: ["t1", "t2"][Int.random(in: 0...1, using: &random)],
                                           minQuality: Double(Int.random(in: 0...20, using: &random)) / 20)
            if Bool.random(using: &random) { request.confidence = 0.95 }
            if Int.random(in: 0..<4, using: &random) == 0 { request.minSamples = [0, 0.5, 2, 10][Int.random(in: 0...3, using: &random)] }
            if Int.random(in: 0..<4, using: &random) == 0 { request.maxCostUSD = Double.random(in: 0...0.004, using: &random) }
            if Int.random(in: 0..<8, using: &random) == 0 { request.providers = ["q"] }
            // Token counts of its own: the whole snapshot reads its candidates from the highest
            // quality down, the narrow one scans them.
            if Int.random(in: 0..<4, using: &random) == 0 {
                (request.inputTokens, request.outputTokens) = (Int.random(in: 0...9_000, using: &random), Int.random(in: 0...3_000, using: &random))
            }
            // A fresh store object each time: a cached snapshot would answer without the frontiers.
            let narrow = try SQLiteStore(path: fixture.path, seed: .empty).snapshot(answering: request)
            let taskCandidates = whole.estimates.filter { $0.task == request.task }.count
            if narrow.models.count == 1 { readThroughFrontier += 1 }
            if narrow.models.count > 1, narrow.models.count < taskCandidates { readAboveThreshold += 1 }
            let (expected, answer) = (try whole.select(request), try narrow.select(request))
            #expect(answer.chosen == expected.chosen, "\(request)")
            #expect(answer.best?.model == expected.best?.model, "\(request)")
        }
        // Most plain requests with an answer are read through a frontier, not the task's candidates;
        // many others from the candidates whose mean reaches the threshold, not all of them.
        #expect(readThroughFrontier > 50)
        #expect(readAboveThreshold > 10, "\(readAboveThreshold)")
    }

    @Test("Another program's change to a price, a result's statistics or a task type is seen at once")
    func changesByOtherProgramsAreSeen() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/cheap", input: 0.1, output: 0.1)
        try fixture.model("b/dear", input: 10, output: 10)
        try fixture.results("a/cheap", "t", passes: 9, of: 10)
        try fixture.results("b/dear", "t", passes: 10, of: 10)
        let request = SelectionRequest(task: "t", minQuality: 0.8)
        func answer() throws -> String? {
            try SQLiteStore(path: fixture.path, seed: .empty).snapshot(answering: request).select(request).chosenModel
        }
        func frontiersKept() throws -> Int? { try fixture.rawInteger("SELECT count(*) FROM frontiers") }
        #expect(try answer() == "a/cheap")
        #expect(try frontiersKept() == 1)

        // Each change drops the frontier, and the next write through Costwise, whatever it is, computes it again.
        try fixture.rawSQL("UPDATE models SET input_usd_per_mtok = 100 WHERE name = 'a/cheap'")
        #expect(try frontiersKept() == 0)
        #expect(try answer() == "b/dear")
        try fixture.store.setAlias("dear", model: "b/dear")
        #expect(try frontiersKept() == 1)
        #expect(try answer() == "b/dear")

        try fixture.rawSQL("UPDATE model_task_stats SET score_sum = 1 WHERE model_id = (SELECT id FROM models WHERE name = 'b/dear')")
        #expect(try frontiersKept() == 0)
        #expect(try answer() == "a/cheap")
        try fixture.store.setAlias("cheap", model: "a/cheap")

        try fixture.rawSQL("UPDATE task_types SET input_tokens = 5000")
        #expect(try frontiersKept() == 0)
        try fixture.store.setAlias("other", model: "b/dear")
        #expect(try frontiersKept() == 1)
        #expect(try answer() == "a/cheap")
    }

    @Test("Every write through the store leaves its task types' frontiers current, equal to the snapshot's")
    func writesKeepThemCurrent() throws {
        let fixture = try randomStore(seed: 21)
        try fixture.results("p/m0", "t2", passes: 30, of: 30)
        try fixture.store.setEnabled(false, model: "q/m1")
        _ = try fixture.store.setTaskType(TaskTypeUpdate(name: "t1", inputTokens: 7_000))
        let snapshot = try fixture.store.snapshot()
        #expect(try fixture.rawInteger("SELECT count(*) FROM frontiers") == 2)
        for task in ["t1", "t2"] {
            let route = try #require(snapshot.routes[task])
            let stored = try fixture.rawText("""
                SELECT group_concat(m.name, ' ') FROM (SELECT model_id FROM frontier_entries
                WHERE measure = 0 AND task_id = (SELECT id FROM task_types WHERE name = '\(task)') ORDER BY value) e
                JOIN models m ON m.id = e.model_id
                """)
            #expect(stored == route.meanFrontier.positions.map { route.candidates[$0].model.id }.joined(separator: " "))
        }
    }
}

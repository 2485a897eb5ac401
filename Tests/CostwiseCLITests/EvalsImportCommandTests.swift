import Foundation
import Testing

/// `costwise evals import`: JSONL and CSV, idempotent runs, all-or-nothing files.
struct EvalsImportCommandTests {
    static let strong = "openai/gpt-4-turbo"
    static let weak = "mistral/mixtral-8x7b-instruct"

    /// An empty store that knows the two RouteLLM models and the `reasoning` task type.
    func routeLLMStore() throws -> Sandbox {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("reasoning")
        try cw.setModel(Self.strong, input: "10", output: "30")
        try cw.setModel(Self.weak, input: "0.6", output: "0.6")
        return cw
    }

    @Test func importsTheRouteLLMSampleAsJSONLAndAsCSVWithoutCountingTwice() throws {
        let cw = try routeLLMStore()
        let jsonl = try cw.run("evals", "import", Fixtures.routeLLMJSONL)
        #expect(jsonl.status == 0, "\(jsonl)")
        var scores = try cw.scores()
        #expect(scores.count == 2)
        // 83/100 and 58/100 correct (see the fixtures' PROVENANCE.md).
        #expect(isClose(scores["\(Self.strong) reasoning"]?.mean, 0.83), "\(scores)")
        #expect(scores["\(Self.strong) reasoning"]?.samples == 100)
        #expect(isClose(scores["\(Self.weak) reasoning"]?.mean, 0.58), "\(scores)")
        #expect(scores["\(Self.weak) reasoning"]?.samples == 100)

        // The same run again, once as JSONL and once as CSV: replaced, never counted twice.
        try expectSuccess(cw.run("evals", "import", Fixtures.routeLLMJSONL))
        let csv = try cw.run("evals", "import", Fixtures.routeLLMCSV, "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        try expectSuccess(cw.run("evals", "import", Fixtures.routeLLMCSV))
        scores = try cw.scores()
        #expect(scores["\(Self.strong) reasoning"]?.samples == 100, "\(scores)")
        #expect(scores["\(Self.weak) reasoning"]?.samples == 100, "\(scores)")
        #expect(isClose(scores["\(Self.strong) reasoning"]?.mean, 0.83))

        #expect(try cw.selectedModel("--task", "reasoning", "--min-quality", "0.5") == Self.weak)
        #expect(try cw.selectedModel("--task", "reasoning", "--min-quality", "0.8") == Self.strong)
        #expect(try cw.selectedModel("--task", "reasoning", "--min-quality", "0.9") == nil)
    }

    @Test func aCSVFileCountsItsRows() throws {
        let cw = try routeLLMStore()
        let result = try cw.run("evals", "import", Fixtures.routeLLMCSV)
        #expect(result.status == 0, "\(result)")
        let scores = try cw.scores()
        #expect(scores["\(Self.strong) reasoning"]?.samples == 100, "\(scores)")
        #expect(isClose(scores["\(Self.weak) reasoning"]?.mean, 0.58), "\(scores)")
    }

    @Test func reimportingARunReplacesItsResults() throws {
        let cw = try routeLLMStore()
        let first = try cw.write("run.jsonl", """
            {"model":"\(Self.weak)","task":"reasoning","score":0.5,"run":"r1","item":"1"}
            {"model":"\(Self.weak)","task":"reasoning","score":0.5,"run":"r1","item":"2"}

            """)
        try expectSuccess(cw.run("evals", "import", first))
        try expectSuccess(cw.run("evals", "import", first))
        var scores = try cw.scores()
        #expect(scores["\(Self.weak) reasoning"]?.samples == 2, "\(scores)")
        #expect(isClose(scores["\(Self.weak) reasoning"]?.mean, 0.5))

        // A corrected run replaces the earlier scores of the same items, as CSV this time.
        let corrected = try cw.write("run.csv", """
            model,task,score,run,item
            \(Self.weak),reasoning,1,r1,1
            \(Self.weak),reasoning,0.75,r1,2

            """)
        try expectSuccess(cw.run("evals", "import", corrected))
        scores = try cw.scores()
        #expect(scores["\(Self.weak) reasoning"]?.samples == 2, "\(scores)")
        #expect(isClose(scores["\(Self.weak) reasoning"]?.mean, 0.875), "\(scores)")

        // A result of another run of the same items is a new result.
        try cw.record(Self.weak, "reasoning", score: "0", "--run", "r2", "--item", "1")
        try cw.record(Self.weak, "reasoning", score: "0", "--run", "r2", "--item", "1")
        scores = try cw.scores()
        #expect(scores["\(Self.weak) reasoning"]?.samples == 3, "\(scores)")
    }

    @Test func resultsWithoutRunAndItemAreAlwaysNew() throws {
        let cw = try routeLLMStore()
        let file = try cw.write("anonymous.jsonl", """
            {"model":"\(Self.weak)","task":"reasoning","score":1}
            {"model":"\(Self.weak)","task":"reasoning","score":1}

            """)
        try expectSuccess(cw.run("evals", "import", file))
        #expect(try cw.scores()["\(Self.weak) reasoning"]?.samples == 2)
        try expectSuccess(cw.run("evals", "import", file))
        #expect(try cw.scores()["\(Self.weak) reasoning"]?.samples == 4)
        try cw.record(Self.weak, "reasoning", score: "0")
        try cw.record(Self.weak, "reasoning", score: "0")
        let scores = try cw.scores()
        #expect(scores["\(Self.weak) reasoning"]?.samples == 6, "\(scores)")
        #expect(isClose(scores["\(Self.weak) reasoning"]?.mean, 4.0 / 6.0), "\(scores)")
    }

    /// The key is (model, task, run, item); only a result with neither run nor item is always new, so a
    /// result that names its run (or its item) alone is replaced when imported again.
    @Test func aResultWithOnlyARunOrOnlyAnItemIsNotCountedTwice() throws {
        let cw = try routeLLMStore()
        let runOnly = try cw.write("run-only.jsonl", #"{"model":"\#(Self.weak)","task":"reasoning","score":1,"run":"r1"}"# + "\n")
        try expectSuccess(cw.run("evals", "import", runOnly))
        try expectSuccess(cw.run("evals", "import", runOnly))
        #expect(try cw.scores()["\(Self.weak) reasoning"]?.samples == 1)

        let itemOnly = try cw.write("item-only.jsonl", #"{"model":"\#(Self.strong)","task":"reasoning","score":1,"item":"q1"}"# + "\n")
        try expectSuccess(cw.run("evals", "import", itemOnly))
        try expectSuccess(cw.run("evals", "import", itemOnly))
        #expect(try cw.scores()["\(Self.strong) reasoning"]?.samples == 1)
    }

    @Test func passedTrueAndFalseScoreOneAndZero() throws {
        let cw = try routeLLMStore()
        let jsonl = try cw.write("passed.jsonl", """
            {"model":"\(Self.weak)","task":"reasoning","passed":true,"run":"p","item":"1"}
            {"model":"\(Self.weak)","task":"reasoning","passed":false,"run":"p","item":"2"}
            {"model":"\(Self.weak)","task":"reasoning","passed":true,"run":"p","item":"3"}

            """)
        try expectSuccess(cw.run("evals", "import", jsonl))
        let csv = try cw.write("passed.csv", """
            model,task,passed,run,item
            \(Self.strong),reasoning,false,p,1
            \(Self.strong),reasoning,false,p,2
            \(Self.strong),reasoning,true,p,3
            \(Self.strong),reasoning,false,p,4

            """)
        try expectSuccess(cw.run("evals", "import", csv))
        let scores = try cw.scores()
        #expect(isClose(scores["\(Self.weak) reasoning"]?.mean, 2.0 / 3.0), "\(scores)")
        #expect(scores["\(Self.weak) reasoning"]?.samples == 3)
        #expect(isClose(scores["\(Self.strong) reasoning"]?.mean, 0.25), "\(scores)")
        #expect(scores["\(Self.strong) reasoning"]?.samples == 4)
    }

    @Test func optionalFieldsAreTakenIn() throws {
        let cw = try routeLLMStore()
        let file = try cw.write("full.jsonl", """
            {"model":"\(Self.weak)","task":"reasoning","score":0.9,"run":"f","item":"1","cost_usd":0.0004,"latency_ms":120,"input_tokens":400,"output_tokens":100,"at":"2026-11-29T12:00:00Z"}
            {"model":"\(Self.weak)","task":"reasoning","score":0.9,"run":"f","item":"2","cost_usd":0.0006,"latency_ms":180,"input_tokens":600,"output_tokens":300,"at":"2026-11-29T12:00:01Z"}

            """)
        try expectSuccess(cw.run("evals", "import", file))
        // Measured tokens (500 in, 200 out) and a latency make the selection.
        let answer = try cw.select("--task", "reasoning", "--min-quality", "0.8", "--max-latency-ms", "200")
        #expect(answer["model"] as? String == Self.weak, "\(answer)")
        #expect(isClose(number(answer["estimated_cost_usd"]), contractCost(input: 500, output: 200, inputPrice: 0.6, outputPrice: 0.6)),
                "\(answer)")
        // What each result cost and when it was recorded are kept as given: 2026-11-29T12:00:00Z is
        // 1,795,953,600 seconds after 1970.
        let rows = try SQLiteShell(cw.db).text("SELECT item, cost_usd, recorded_at FROM results ORDER BY item")
            .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(rows.map { $0.first } == ["1", "2"], "\(rows)")
        #expect(rows.map { $0.count > 1 ? Double($0[1]) : nil } == [0.0004, 0.0006], "\(rows)")
        #expect(rows.map { $0.count > 2 ? Double($0[2]) : nil } == [1_795_953_600, 1_795_953_601], "\(rows)")
    }

    struct BadLine: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var contents: String
        var line: Int
        /// The field the error must name, and other text it must contain.
        var field: String?
        var mentions: [String] = []
        var testDescription: String { name }
    }

    static let good1 = #"{"model":"\#(weak)","task":"reasoning","score":1,"run":"bad","item":"1"}"#
    static let good3 = #"{"model":"\#(strong)","task":"reasoning","score":0,"run":"bad","item":"3"}"#
    static func jsonl(_ name: String, _ bad: String, field: String?, mentions: [String] = []) -> BadLine {
        BadLine(name: name, file: "results-bad.jsonl", contents: [good1, bad, good3].joined(separator: "\n") + "\n",
                line: 2, field: field, mentions: mentions)
    }

    static let badLines: [BadLine] = [
        jsonl("score out of range", #"{"model":"\#(weak)","task":"reasoning","score":1.5}"#, field: "score", mentions: ["1.5"]),
        jsonl("unknown model", #"{"model":"mistral/mixtral-typo","task":"reasoning","score":1}"#, field: "model",
              mentions: ["mistral/mixtral-typo"]),
        jsonl("unknown task", #"{"model":"\#(weak)","task":"reasonning","score":1}"#, field: "task", mentions: ["reasonning"]),
        jsonl("missing model", #"{"task":"reasoning","score":1}"#, field: "model"),
        jsonl("missing score and passed", #"{"model":"\#(weak)","task":"reasoning","run":"bad","item":"2"}"#, field: "score"),
        jsonl("bad time", #"{"model":"\#(weak)","task":"reasoning","score":1,"at":"yesterday"}"#, field: "at",
              mentions: ["yesterday"]),
        jsonl("bad JSON", #"{"model":"\#(weak)","task":"reasoning","score":1"#, field: nil),
        BadLine(name: "CSV score out of range", file: "results-bad.csv", contents: """
            model,task,score,run,item
            \(weak),reasoning,1,bad,1
            \(strong),reasoning,0.5,bad,2
            \(weak),reasoning,1.5,bad,3
            \(strong),reasoning,1,bad,4

            """, line: 4, field: "score", mentions: ["1.5"]),
        BadLine(name: "CSV unknown model", file: "results-bad.csv", contents: """
            model,task,passed
            \(weak),reasoning,true
            openai/gpt-4-turbo-typo,reasoning,false

            """, line: 3, field: "model", mentions: ["openai/gpt-4-turbo-typo"]),
    ]

    @Test(arguments: badLines)
    func aFileWithOneBadLineIsRefusedWholeAndChangesNothing(_ bad: BadLine) throws {
        let cw = try routeLLMStore()
        // Some evidence already in the store, which must stay as it is.
        try cw.record(Self.weak, "reasoning", score: "0.25", "--run", "bad", "--item", "1")
        let scoresBefore = try cw.run("scores", "--json")
        let modelsBefore = try cw.run("models", "list", "--json")
        let tasksBefore = try cw.run("tasks", "list", "--json")
        try expectSuccess(scoresBefore)

        let file = try cw.write(bad.file, bad.contents)
        let result = try cw.run("evals", "import", file)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(bad.file), "names the file: \(result)")
        #expect(result.stderr.contains("\(bad.file):\(bad.line)") || result.stderr.contains("line \(bad.line)"),
                "names line \(bad.line): \(result)")
        if let field = bad.field { #expect(result.stderr.contains(field), "names field \(field): \(result)") }
        for text in bad.mentions { #expect(result.stderr.contains(text), "mentions \(text): \(result)") }

        #expect(try cw.run("scores", "--json").stdout == scoresBefore.stdout)
        #expect(try cw.run("models", "list", "--json").stdout == modelsBefore.stdout)
        #expect(try cw.run("tasks", "list", "--json").stdout == tasksBefore.stdout)
    }
}

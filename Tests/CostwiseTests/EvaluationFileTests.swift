import Testing
@testable import Costwise

struct EvaluationFileTests {
    @Test("JSONL and CSV carry every field, passed as well as score")
    func fields() throws {
        let jsonl = """
            {"model": "a/m", "task": "t", "score": 0.75, "run": "r1", "item": 17, "cost_usd": 0.002, "latency_ms": 812.5, "input_tokens": 900, "output_tokens": 120, "at": "2026-11-01T10:00:00Z"}

            {"model": "a/m", "task": "t", "passed": false}
            """
        let parsed = try EvaluationFile.parse(Array(jsonl.utf8), format: .jsonl, file: "r.jsonl")
        #expect(parsed.map(\.line) == [1, 3])
        #expect(parsed[0].result == EvaluationResult(model: "a/m", task: "t", score: 0.75, run: "r1", item: "17", costUSD: 0.002,
                                                     latencyMs: 812.5, inputTokens: 900, outputTokens: 120, recordedAt: 1_793_527_200))
        #expect(parsed[1].result.score == 0 && parsed[1].result.run == nil)

        let csv = "\u{FEFF}model,task,passed,item\r\na/m,t,true,\"x,1\"\r\na/m,t,false,\"multi\nline\"\r\na/m,t,1,z\r\n"
        let rows = try EvaluationFile.parse(Array(csv.utf8), format: .csv, file: "r.csv")
        #expect(rows.map(\.result.score) == [1, 0, 1])
        #expect(rows.map(\.result.item) == ["x,1", "multi\nline", "z"])
        #expect(rows.map(\.line) == [2, 3, 5])
    }

    @Test("Bad results are refused with the file, line and field named", arguments: [
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1}\n{\"model\": \"a\", \"task\": \"t\", \"score\": 1.5}", 2, "score"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1}\n{\"model\": \"a\", \"task\": \"t\"}", 2, "score"),
        ("{\"model\": \"a\", \"score\": 1}", 1, "task"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": \"high\"}", 1, "score"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1, \"latency\": 3}", 1, "latency"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1, \"input_tokens\": 2.5}", 1, "input_tokens"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1, \"at\": \"yesterday\"}", 1, "at"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1, \"passed\": false}", 1, "passed"),
        ("{\"model\": \"a\", \"task\": \"t\", \"score\": 1}\n{\"model\": \"a\",", 2, nil),
        ("[1, 2]", 1, nil),
        ("model,task,score\na,t,0.5\na,t,\n", 3, "score"),
        ("model,task,score\na,t,0.5\na,t\n", 3, nil),
        ("model,task\na,t\n", 1, "score"),
        ("model,task,score\na,t,0.5\na,\"t,1\n", 3, nil),
    ] as [(String, Int, String?)])
    func badInput(text: String, line: Int, field: String?) throws {
        let bytes = Array(text.utf8)
        let error = try #require(throws: InputError.self) {
            try EvaluationImport().read(bytes, format: .auto, file: "results")
        }
        #expect(error.file == "results")
        #expect(error.line == line, "\(error)")
        #expect(error.field == field, "\(error)")
    }

    @Test("Invalid UTF-8 is refused on its line")
    func invalidUTF8() throws {
        let bytes = Array("model,task,score\n".utf8) + [0x61, 0xFF, 0x2C, 0x74, 0x2C, 0x31, 0x0A]
        let error = try #require(throws: InputError.self) { try EvaluationFile.parse(bytes, format: .csv, file: "bad.csv") }
        #expect(error.line == 2 && error.message.contains("UTF-8"))
    }
}

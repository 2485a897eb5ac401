import Foundation
import Testing
@testable import Costwise

/// Reading a replay file into priced outcomes: both formats, token estimates, model names mapped to
/// priced ids, and every bad input refused with its file, line and field.
struct ReplayFileTests {
    static let pricing = ReplayPricing(
        models: [Model(id: "openai/gpt-4-turbo", provider: "openai", price: Price(inputUSDPerMTok: 10, outputUSDPerMTok: 30)),
                 Model(id: "mistral/mixtral-8x7b-instruct", provider: "mistral", price: Price(inputUSDPerMTok: 0.7, outputUSDPerMTok: 0.7))],
        source: "test prices",
        modelMap: ["gpt-4-1106-preview": "openai/gpt-4-turbo", "mistralai/Mixtral-8x7B-Instruct-v0.1": "mistral/mixtral-8x7b-instruct"],
        charsPerToken: 4, defaultInputTokens: 1_000, defaultOutputTokens: 500)

    @Test("CSV and JSONL read to the same records, scores divided by the scale")
    func bothFormats() throws {
        let csv = "task,item,model,score,prompt_chars,response_chars,cost_usd\nwriting,81-1,a/m,8.5,163,,\nwriting,81-2,a/m,10,,40,0.25\n"
        let jsonl = """
            {"task": "writing", "item": "81-1", "model": "a/m", "score": 8.5, "prompt_chars": 163}

            {"task": "writing", "item": "81-2", "model": "a/m", "score": 10, "response_chars": 40, "cost_usd": 0.25}
            """
        let fromCSV = try ReplayFile.parse(Array(csv.utf8), format: ReplayFile.detect(Array(csv.utf8)), file: "r.csv", scoreScale: 10)
        let fromJSONL = try ReplayFile.parse(Array(jsonl.utf8), format: ReplayFile.detect(Array(jsonl.utf8)), file: "r.jsonl", scoreScale: 10)
        #expect(fromCSV[0] == ReplayRecord(task: "writing", item: "81-1", model: "a/m", score: 0.85, promptChars: 163, line: 2))
        #expect(fromCSV[1] == ReplayRecord(task: "writing", item: "81-2", model: "a/m", score: 1, costUSD: 0.25, responseChars: 40, line: 3))
        #expect(fromJSONL.map(\.line) == [1, 3])
        #expect(zip(fromCSV, fromJSONL).allSatisfy { var copy = $0; copy.line = $1.line; return copy == $1 })
    }

    @Test("Costs: given, else the price at the tokens given, estimated from characters, else the defaults")
    func costsAndTokens() throws {
        let csv = """
            task,item,model,score,input_tokens,output_tokens,prompt_chars,response_chars,cost_usd
            t,1,gpt-4-1106-preview,1,100,10,,,
            t,2,gpt-4-1106-preview,1,,,402,38,
            t,3,gpt-4-1106-preview,1,,,,,
            t,4,gpt-4-1106-preview,1,,,,,0.5
            t,1,mistralai/Mixtral-8x7B-Instruct-v0.1,0,100,10,,,
            t,2,mistralai/Mixtral-8x7B-Instruct-v0.1,0,,,402,38,
            t,3,mistralai/Mixtral-8x7B-Instruct-v0.1,0,,,,,
            t,4,mistralai/Mixtral-8x7B-Instruct-v0.1,0,,,,,0.5

            """
        let dataset = try ReplayDataset(records: ReplayFile.parse(Array(csv.utf8), format: .csv, file: "c.csv"),
                                        pricing: Self.pricing, file: "c.csv")
        #expect(dataset.models.map(\.id) == ["mistral/mixtral-8x7b-instruct", "openai/gpt-4-turbo"])
        let gpt4 = dataset.outcomes.map { $0[1] }
        // 402 / 4 = 100.5 rounds to 101 tokens, 38 / 4 = 9.5 to 10.
        #expect(gpt4.map(\.inputTokens) == [100, 101, 1_000, 1_000])
        #expect(gpt4.map(\.outputTokens) == [10, 10, 500, 500])
        let expectedCosts: [Double] = [1_300 / 1e6, 1_310 / 1e6, 25_000 / 1e6, 0.5]
        #expect(gpt4.map(\.costUSD) == expectedCosts)
        #expect(gpt4.map(\.costGiven) == [false, false, false, true])
    }

    @Test("Bad rows are refused with the file, line and field named", arguments: [
        ("task,item,model\nt,1,a\n", 1, "score"),
        ("task,item,model,score,colour\nt,1,a,1,red\n", 1, "colour"),
        ("task,item,model,score\nt,1,gpt-4-1106-preview,1\nt,1,gpt-4-1106-preview,2\n", 3, "score"),
        ("task,item,model,score\nt,1,gpt-4-1106-preview,1\nt,,gpt-4-1106-preview,1\n", 3, "item"),
        ("task,item,model,score\nt,1,gpt-4-1106-preview,1\nt,2,gpt-4-1106-preview,1,5\n", 3, nil),
        ("{\"task\": \"t\", \"item\": 1, \"model\": \"a\", \"score\": true}\n", 1, "score"),
    ] as [(String, Int, String?)])
    func badRows(text: String, line: Int, field: String?) throws {
        let bytes = Array(text.utf8)
        let error = try #require(throws: InputError.self) {
            try ReplayFile.parse(bytes, format: ReplayFile.detect(bytes), file: "bad.csv")
        }
        #expect(error.file == "bad.csv" && error.line == line && error.field == field, "\(error)")
    }

    @Test("A score above 1 points to the score scale")
    func scoreScaleHint() throws {
        let error = try #require(throws: InputError.self) {
            try ReplayFile.parse(Array("task,item,model,score\nt,1,a,7\n".utf8), format: .csv, file: "mt.csv")
        }
        #expect(error.description == "mt.csv:2: field 'score': 7 is outside [0, 1]; for scores on another scale (a 1–10 judge), give the scale's top with --score-scale")
    }

    @Test("A model with no price, a repeated result and a missing result are refused, naming the line")
    func datasetErrors() throws {
        func error(_ csv: String) throws -> InputError {
            try #require(throws: InputError.self) {
                try ReplayDataset(records: ReplayFile.parse(Array(csv.utf8), format: .csv, file: "d.csv"), pricing: Self.pricing, file: "d.csv")
            }
        }
        let unpriced = try error("task,item,model,score\nt,1,gpt-4-1106-preview,1\nt,1,gpt-5,1\n")
        #expect(unpriced.description == "d.csv:3: field 'cost_usd': no price for model 'gpt-5' in test prices, and the row gives no "
            + "cost_usd: give cost_usd on every row of the model, price it with --prices, or map the name to a priced model id "
            + "with --model-map or --alias")

        let repeated = try error("task,item,model,score\nt,1,gpt-4-1106-preview,1\nt,1,openai/gpt-4-turbo,0\n")
        #expect(repeated.description == "d.csv:3: field 'model': a second result for model 'openai/gpt-4-turbo' on task 't' item '1' (first on line 2)")

        let missing = try error("""
            task,item,model,score
            t,1,gpt-4-1106-preview,1
            t,1,mistralai/Mixtral-8x7B-Instruct-v0.1,1
            t,2,gpt-4-1106-preview,1

            """)
        #expect(missing.description == "d.csv:4: field 'model': task 't' item '2' has no result for model 'mistral/mixtral-8x7b-instruct'; "
            + "a replay needs every model's result on every item")
    }

    @Test("A model without a price whose rows give cost_usd is priced by its rows, under the file's name unless mapped")
    func pricedByRows() throws {
        let csv = """
            task,item,model,score,input_tokens,output_tokens,cost_usd
            t,1,in-house-7b,1,600,400,0.002
            t,1,gpt-4-1106-preview,1,600,400,0.03
            t,2,in-house-7b,0,1000,0,0.001
            t,2,gpt-4-1106-preview,1,1000,0,0.01

            """
        func dataset(_ text: String, _ pricing: ReplayPricing) throws -> ReplayDataset {
            try ReplayDataset(records: ReplayFile.parse(Array(text.utf8), format: .csv, file: "c.csv"), pricing: pricing, file: "c.csv")
        }
        let priced = try dataset(csv, Self.pricing)
        #expect(priced.models.map(\.id) == ["in-house-7b", "openai/gpt-4-turbo"])
        #expect(priced.modelsPricedByRows == ["in-house-7b"])
        // 0.003 USD over 2,000 tokens: 1.5 USD per million, input and output alike.
        #expect(isClose(priced.models[0].price.inputUSDPerMTok, 1.5) && isClose(priced.models[0].price.outputUSDPerMTok, 1.5))
        #expect(priced.models[0].provider == "in-house-7b")
        #expect(priced.models[1].price == Price(inputUSDPerMTok: 10, outputUSDPerMTok: 30), "a priced model keeps its price")
        #expect(priced.outcomes.map { $0.map(\.costUSD) } == [[0.002, 0.03], [0.001, 0.01]], "costs are the rows'")

        // Mapped to an id without a price, it is priced by its rows under the mapped id.
        var mapped = Self.pricing
        mapped.modelMap["in-house-7b"] = "ours/7b"
        let renamed = try dataset(csv, mapped)
        #expect(renamed.models.map(\.id) == ["openai/gpt-4-turbo", "ours/7b"] && renamed.modelsPricedByRows == ["ours/7b"])
        #expect(renamed.models[1].provider == "ours")

        // One row without its cost needs a price for the model.
        let partly = csv.replacingOccurrences(of: "t,2,in-house-7b,0,1000,0,0.001", with: "t,2,in-house-7b,0,1000,0,")
        let error = try #require(throws: InputError.self) { try dataset(partly, Self.pricing) }
        #expect(error.file == "c.csv" && error.line == 4 && error.field == "cost_usd")
        #expect(error.message.hasPrefix("no price for model 'in-house-7b' in test prices, and the row gives no cost_usd"))
    }

    @Test("A model map reads from a JSON object or CSV from,to")
    func modelMap() throws {
        let csv = try ReplayPricing.modelMap(Array("from,to\ngpt-4-1106-preview, openai/gpt-4-turbo\n".utf8), file: "m.csv")
        let json = try ReplayPricing.modelMap(Array(#"{"gpt-4-1106-preview": "openai/gpt-4-turbo"}"#.utf8), file: "m.json")
        #expect(csv == ["gpt-4-1106-preview": "openai/gpt-4-turbo"] && json == csv)
        #expect(throws: InputError.self) { try ReplayPricing.modelMap(Array(#"{"a": 1}"#.utf8), file: "m.json") }
    }
}

import Testing
@testable import Costwise

struct PriceTableTests {
    @Test("Prices print as the decimals they were given", arguments: [
        (0.15, "0.15"), (0.0375, "0.0375"), (2.5, "2.5"), (10, "10"), (0.075, "0.075"), (1e-7, "0.0000001"),
        (1_500_000, "1500000"), (1e16, "10000000000000000"), (0.000051, "0.000051"), (-0.25, "-0.25"), (0, "0"),
        (2.5e-05, "0.000025"), (-1.5e-07, "-0.00000015"), (1.25e20, "125000000000000000000"), (123.456, "123.456"), (-3, "-3"),
        (4.2e-06, "0.0000042"), (1e-05, "0.00001"), (2e-300, "0." + String(repeating: "0", count: 299) + "2"), (0.1 + 0.2, "0.30000000000000004"),
    ])
    func decimalFormat(value: Double, text: String) {
        #expect(DecimalFormat.string(value) == text)
        #expect(Double(text) == value)
    }

    static let csv = """
        model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
        openai/gpt-4o-mini,openai,0.15,0.6,128000,1
        google/gemini-1.5-flash-8b,google,0.0375,0.15,1000000,1
        anthropic/claude-opus-4-1,anthropic,15,75,200000,3
        local/llama,,0,0,,

        """

    @Test("A CSV price table imports, and exports back to the same text")
    func csvRoundTrip() throws {
        let models = try PriceTable.parse(Array(Self.csv.utf8), format: .csv, file: "prices.csv")
        #expect(models.count == 4)
        #expect(models[3].provider == "local" && models[3].contextWindow == nil && models[3].tier == nil)
        let fixture = try TemporaryStore()
        let report = try fixture.store.importPrices(models, source: .manual("test"), guard: .off, dryRun: false)
        #expect(report.added.count == 4)
        let exported = PriceTable.export(try fixture.store.models(), format: .csv)
        #expect(exported == """
            model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
            anthropic/claude-opus-4-1,anthropic,15,75,200000,3
            google/gemini-1.5-flash-8b,google,0.0375,0.15,1000000,1
            local/llama,local,0,0,,
            openai/gpt-4o-mini,openai,0.15,0.6,128000,1

            """)
        // JSON and back: the same models, the same prices.
        let json = PriceTable.export(try fixture.store.models(), format: .json)
        #expect(json.contains("\"input_usd_per_mtok\": 0.0375"))
        #expect(PriceFile.detect(Array(json.utf8)) == .json)
        let again = try PriceTable.parse(Array(json.utf8), format: .json, file: "p.json")
        #expect(Set(again) == Set(try fixture.store.models()))
    }

    @Test("A per-request price adds a trailing request_usd column")
    func requestPrice() throws {
        let models = try PriceTable.parse(Array("model,input_usd_per_mtok,output_usd_per_mtok,request_usd\na/m,1,2,0.005\n".utf8), format: .csv, file: nil)
        #expect(models.first?.price.requestUSD == 0.005)
        #expect(PriceTable.export(models, format: .csv).hasPrefix(PriceTable.columns.prefix(7).joined(separator: ",") + "\n"))
        #expect(PriceTable.export(models, format: .markdown).contains("| a/m | a | 1 | 2 |  |  | 0.005 |"))
    }

    @Test("A dry run reports what an import would change and changes nothing")
    func dryRun() throws {
        let fixture = try TemporaryStore()
        try fixture.model("openai/gpt-4o-mini", input: 0.3, output: 0.6, contextWindow: 128_000, tier: 1)
        try fixture.model("google/gemini-1.5-flash-8b", input: 0.0375, output: 0.15, contextWindow: 1_000_000, tier: 1)
        let models = try PriceTable.parse(Array(Self.csv.utf8), format: .csv, file: nil)
        let report = try fixture.store.importPrices(models, source: .manual("test"), guard: .off, dryRun: true)
        #expect(report.added.map(\.id) == ["anthropic/claude-opus-4-1", "local/llama"])
        #expect(report.changed == [.init(model: "openai/gpt-4o-mini", old: Price(inputUSDPerMTok: 0.3, outputUSDPerMTok: 0.6),
                                         new: Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6))])
        #expect(report.unchanged == 1)
        #expect(try fixture.store.models().count == 2)
        #expect(try fixture.store.models().first { $0.id == "openai/gpt-4o-mini" }?.price.inputUSDPerMTok == 0.3)
    }

    @Test("Bad price tables are refused with the file, line and field named", arguments: [
        ("model,input_usd_per_mtok\na,1\n", 1, "output_usd_per_mtok", "required column is missing"),
        ("model,input_usd_per_mtok,output_usd_per_mtok,colour\na,1,2,red\n", 1, "colour", "unknown column"),
        ("model,model,input_usd_per_mtok,output_usd_per_mtok\na,a,1,2\n", 1, "model", "appears twice"),
        ("model,input_usd_per_mtok,output_usd_per_mtok\na,1,2\nb,-1,2\n", 3, "input_usd_per_mtok", "outside"),
        ("model,input_usd_per_mtok,output_usd_per_mtok\na,1,NaN\n", 2, "output_usd_per_mtok", "finite"),
        ("model,input_usd_per_mtok,output_usd_per_mtok\na,1,1e309\n", 2, "output_usd_per_mtok", "finite"),
        ("model,input_usd_per_mtok,output_usd_per_mtok\na,1,cheap\n", 2, "output_usd_per_mtok", "not a number"),
        ("model,input_usd_per_mtok,output_usd_per_mtok,tier\na,1,2,4\n", 2, "tier", "1, 2 or 3"),
        ("model,input_usd_per_mtok,output_usd_per_mtok\na,1,2\na,1,3\n", 3, "model", "listed twice"),
        ("model,input_usd_per_mtok,output_usd_per_mtok\n,1,2\n", 2, "model", "missing"),
    ])
    func badCSV(text: String, line: Int, field: String, message: String) throws {
        let error = try #require(throws: InputError.self) { try PriceTable.parse(Array(text.utf8), format: .csv, file: "prices.csv") }
        #expect(error.file == "prices.csv")
        #expect(error.line == line)
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("Bad JSON price tables name the line of the bad object")
    func badJSON() throws {
        let text = """
            [
              {"model": "a/m", "input_usd_per_mtok": 1, "output_usd_per_mtok": 2},
              {"model": "b/m", "input_usd_per_mtok": "1", "output_usd_per_mtok": -2}
            ]
            """
        let error = try #require(throws: InputError.self) { try PriceTable.parse(Array(text.utf8), format: .json, file: "p.json") }
        #expect(error.line == 3)
        #expect(error.field == "input_usd_per_mtok")
        let broken = "[\n {\"model\": \"a/m\", \"input_usd_per_mtok\": 1, \"output_usd_per_mtok\": 2},\n {\"model\": \"b/m\",, }\n]"
        let syntax = try #require(throws: InputError.self) { try PriceTable.parse(Array(broken.utf8), format: .json, file: "p.json") }
        #expect(syntax.line == 3)
    }
}

extension PriceTableTests {
    @Test("The fast decimal reader gives exactly what Double(text) gives, and declines what it cannot read")
    func plainDecimals() {
        var random = SelectionReferenceTests.SeededGenerator(state: 11)
        for _ in 0..<20_000 {
            let integer = Int.random(in: 0...9_999_999, using: &random)
            let fraction = String(Int.random(in: 0...99_999_999, using: &random))
            let text = (Bool.random(using: &random) ? "-" : "") + "\(integer)." + fraction.prefix(Int.random(in: 0...8, using: &random))
            #expect(DecimalFormat.parsePlain(text) == Double(text), "\(text)")
        }
        for text in ["1e5", "+1", "1.2.3", "", "-", ".", "0x10", "1234567890123456", " 1"] {
            #expect(DecimalFormat.parsePlain(text) == nil, "\(text)")
        }
        #expect(DecimalFormat.parsePlain("0.15") == 0.15 && DecimalFormat.parsePlain("10") == 10)
    }
}

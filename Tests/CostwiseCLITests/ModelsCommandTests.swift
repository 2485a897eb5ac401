import Foundation
import Testing

/// `costwise models list|set|import|disable|enable|history`.
struct ModelsCommandTests {
    static let priceTableKeys = ["model", "provider", "input_usd_per_mtok", "output_usd_per_mtok", "context_window", "tier"]

    func modelsByID(_ cw: Sandbox, db: String? = nil) throws -> [String: [String: Any]] {
        let result = try cw.run("models", "list", "--json", db: db)
        try expectSuccess(result)
        var models: [String: [String: Any]] = [:]
        for model in try result.jsonArray() { models[try #require(model["model"] as? String)] = model }
        return models
    }

    @Test func importsACSVAndAJSONPriceTable() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        let csv = try cw.write("prices.csv", """
            model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
            acme/small,acme,0.15,0.6,128000,1
            acme/large,acme-cloud,2.5,10,,3

            """)
        let imported = try cw.run("models", "import", csv)
        #expect(imported.status == 0, "\(imported)")
        let json = try cw.write("prices.json", """
            [
              {"model": "jay/one", "provider": "jay", "input_usd_per_mtok": 0.25, "output_usd_per_mtok": 1.25,
               "context_window": 16000, "tier": 2},
              {"model": "jay/two", "input_usd_per_mtok": 3, "output_usd_per_mtok": 15}
            ]

            """)
        let importedJSON = try cw.run("models", "import", json)
        #expect(importedJSON.status == 0, "\(importedJSON)")

        let models = try modelsByID(cw)
        #expect(Set(models.keys) == ["acme/small", "acme/large", "jay/one", "jay/two"])
        for (id, model) in models {
            for key in Self.priceTableKeys + ["enabled"] { #expect(model.keys.contains(key), "\(id) lacks \(key): \(model)") }
            #expect(model["enabled"] as? Bool == true, "\(model)")
        }
        let small = try #require(models["acme/small"])
        #expect(small["provider"] as? String == "acme")
        #expect(number(small["input_usd_per_mtok"]) == 0.15)
        #expect(number(small["output_usd_per_mtok"]) == 0.6)
        #expect(number(small["context_window"]) == 128000)
        #expect(number(small["tier"]) == 1)
        let large = try #require(models["acme/large"])
        #expect(large["provider"] as? String == "acme-cloud")
        #expect(isNull(large["context_window"]), "\(large)")
        #expect(number(large["tier"]) == 3)
        let one = try #require(models["jay/one"])
        #expect(number(one["input_usd_per_mtok"]) == 0.25)
        #expect(number(one["output_usd_per_mtok"]) == 1.25)
        #expect(number(one["context_window"]) == 16000)
        let two = try #require(models["jay/two"])
        #expect(number(two["output_usd_per_mtok"]) == 15)
        #expect(two["provider"] as? String == "jay", "the id's prefix when none is given: \(two)")

        // --format names the format when the content does not tell it.
        let explicit = try cw.write("prices-explicit.txt", """
            model,input_usd_per_mtok,output_usd_per_mtok
            zed/one,0.5,1.5

            """)
        try expectSuccess(cw.run("models", "import", explicit, "--format", "csv"))
        #expect(number(try modelsByID(cw)["zed/one"]?["output_usd_per_mtok"]) == 1.5)
    }

    @Test func dryRunChangesNothing() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        let table = try cw.write("prices.csv", """
            model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
            acme/small,acme,0.15,0.6,128000,1

            """)
        let dry = try cw.run("models", "import", table, "--dry-run")
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("acme/small"), "a dry run says what it would do: \(dry)")
        #expect(try cw.run("models", "list", "--json").jsonArray().isEmpty)

        try expectSuccess(cw.run("models", "import", table))
        let listed = try cw.run("models", "list", "--json").stdout
        let history = try cw.run("models", "history", "acme/small").stdout

        let raised = try cw.write("raised.csv", """
            model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
            acme/small,acme,0.3,1.2,128000,1
            acme/new,acme,1,2,,2

            """)
        for arguments in [["models", "import", raised, "--dry-run"], ["models", "import", raised, "--dry-run", "--json"]] {
            let result = try cw.runRaw(arguments + ["--db", cw.db])
            #expect(result.status == 0, "\(result)")
        }
        #expect(try cw.run("models", "list", "--json").stdout == listed)
        #expect(try cw.run("models", "history", "acme/small").stdout == history)
    }

    @Test func aPriceChangeKeepsTheOldPriceInTheHistory() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setModel("acme/m", input: "0.125", output: "0.375", "--context-window", "8000", "--tier", "2")
        try cw.setModel("acme/m", input: "0.0625", output: "0.1875")

        let model = try #require(try modelsByID(cw)["acme/m"])
        #expect(number(model["input_usd_per_mtok"]) == 0.0625)
        #expect(number(model["output_usd_per_mtok"]) == 0.1875)
        #expect(number(model["context_window"]) == 8000, "what set does not give stays: \(model)")
        #expect(number(model["tier"]) == 2)

        let history = try cw.run("models", "history", "acme/m")
        #expect(history.status == 0, "\(history)")
        for price in ["0.125", "0.375", "0.0625", "0.1875"] { #expect(history.stdout.contains(price), "\(history)") }

        let json = try cw.run("models", "history", "acme/m", "--json")
        #expect(json.status == 0, "\(json)")
        #expect(try json.jsonArray().count == 2, "\(json)")

        let unknown = try cw.run("models", "history", "acme/none")
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr.contains("acme/none"))
    }

    @Test func aNewModelNeedsBothPrices() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        let result = try cw.run("models", "set", "acme/half", "--input-usd-per-mtok", "1")
        #expect(result.status != 0, "\(result)")
        #expect(try cw.run("models", "list", "--json").jsonArray().isEmpty)
    }

    @Test func disableTakesAModelOutOfSelectionAndEnablePutsItBack() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("p/cheap", input: "0.1", output: "0.1")
        try cw.setModel("p/dear", input: "1", output: "1")
        try cw.record("p/cheap", "t", score: "0.9")
        try cw.record("p/dear", "t", score: "0.9")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/cheap")

        try expectSuccess(cw.run("models", "disable", "p/cheap"))
        #expect(try modelsByID(cw)["p/cheap"]?["enabled"] as? Bool == false)
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/dear")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "10") == "p/dear")
        let explained = try cw.select("--task", "t", "--min-quality", "0.8", "--explain")
        let listed = (explained["candidates"] as? [[String: Any]] ?? []).compactMap { $0["model"] as? String }
        #expect(explained["model"] as? String == "p/dear")
        #expect(!listed.contains("p/cheap"), "a disabled model is no candidate: \(explained)")

        try expectSuccess(cw.run("models", "disable", "p/dear"))
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == nil)

        try expectSuccess(cw.run("models", "enable", "p/cheap"))
        try expectSuccess(cw.run("models", "enable", "p/dear"))
        #expect(try modelsByID(cw)["p/cheap"]?["enabled"] as? Bool == true)
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/cheap")

        let unknown = try cw.run("models", "disable", "p/typo")
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr.contains("p/typo"))
    }

    @Test func aPriceImportKeepsAModelDisabled() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setModel("p/m", input: "1", output: "1")
        try expectSuccess(cw.run("models", "disable", "p/m"))
        let table = try cw.write("prices.csv", "model,input_usd_per_mtok,output_usd_per_mtok\np/m,2,2\n")
        try expectSuccess(cw.run("models", "import", table))
        let model = try #require(try modelsByID(cw)["p/m"])
        #expect(model["enabled"] as? Bool == false, "\(model)")
        #expect(number(model["input_usd_per_mtok"]) == 2)
    }

    @Test func aBadPriceTableIsRefusedWhole() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setModel("acme/keep", input: "1", output: "2")
        let before = try cw.run("models", "list", "--json").stdout
        let table = try cw.write("bad-prices.csv", """
            model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
            acme/keep,acme,5,6,,
            acme/new,acme,0.1,0.2,,
            acme/broken,acme,cheap,0.2,,

            """)
        let result = try cw.run("models", "import", table)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("bad-prices.csv"), "\(result)")
        #expect(result.stderr.contains("bad-prices.csv:4") || result.stderr.contains("line 4"), "\(result)")
        #expect(result.stderr.contains("input_usd_per_mtok"), "\(result)")
        #expect(try cw.run("models", "list", "--json").stdout == before)
    }

    /// The contract lists `litellm` and `openrouter` among `models import` formats, and `auto` tells them
    /// from the content. Per-token prices become exact per-million prices (1.5e-07 per token is 0.15).
    @Test func importsLiteLLMAndOpenRouterPriceFiles() throws {
        let cw = try Sandbox()
        let litellm = try cw.write("litellm.json", """
            {"gpt-4o-mini": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07,
                             "max_input_tokens": 128000, "max_output_tokens": 16384, "max_tokens": 16384,
                             "litellm_provider": "openai", "mode": "chat"}}

            """)
        let openrouter = try cw.write("openrouter.json", """
            {"data": [{"id": "openai/gpt-4o-mini", "name": "OpenAI: GPT-4o-mini", "context_length": 128000,
                       "pricing": {"prompt": "0.00000015", "completion": "0.0000006", "request": "0", "image": "0"}}]}

            """)
        for (file, format) in [(litellm, "litellm"), (openrouter, "openrouter")] {
            for formatArguments in [["--format", format], []] {
                let db = cw.path("\(format)-\(formatArguments.isEmpty ? "auto" : "named").sqlite")
                try cw.initEmpty(db: db)
                let result = try cw.runRaw(["models", "import", file] + formatArguments + ["--db", db])
                #expect(result.status == 0, "\(result)")
                guard result.status == 0 else { continue }
                let models = try cw.run("models", "list", "--json", db: db).jsonArray()
                #expect(models.count == 1, "\(models)")
                let model = try #require(models.first)
                #expect((model["model"] as? String)?.contains("gpt-4o-mini") == true, "\(model)")
                #expect(number(model["input_usd_per_mtok"]) == 0.15, "\(model)")
                #expect(number(model["output_usd_per_mtok"]) == 0.6, "\(model)")
                let exported = try cw.run("export", "prices", "--format", "csv", db: db)
                #expect(exported.stdout.contains(",0.15,0.6,"), "\(exported)")
            }
        }
    }
}

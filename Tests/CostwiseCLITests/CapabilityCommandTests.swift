import Foundation
import Testing

/// Capabilities from the command line: `models set --capability`, `models list`, `select --require`,
/// `export prices` and `export routing-map --require`.
struct CapabilityCommandTests {
    func sandbox() throws -> Sandbox {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try expectSuccess(cw.run("models", "set", "a/cheap", "--input-usd-per-mtok", "0.1", "--output-usd-per-mtok", "0.1",
                                 "--max-output-tokens", "1000"))
        try expectSuccess(cw.run("models", "set", "a/tools", "--input-usd-per-mtok", "1", "--output-usd-per-mtok", "1",
                                 "--capability", "tools"))
        try expectSuccess(cw.run("models", "set", "a/all", "--input-usd-per-mtok", "5", "--output-usd-per-mtok", "5",
                                 "--capability", "tools", "--capability", "vision", "--capability", "json-schema"))
        for model in ["a/cheap", "a/tools", "a/all"] { try cw.importResults(Sandbox.passFail(model, "t", passes: 9, fails: 1, run: model)) }
        return cw
    }

    @Test("select --require picks the cheapest model with every capability named; --output-tokens passes over short models")
    func selectRequires() throws {
        let cw = try sandbox()
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "a/cheap")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--require", "tools") == "a/tools")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--require", "tools", "--require", "vision") == "a/all")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--output-tokens", "1001") == "a/tools")

        let explained = try cw.run("select", "--task", "t", "--min-quality", "0.8", "--require", "json-schema", "--explain")
        try expectSuccess(explained)
        #expect(explained.stdout.hasPrefix("a/all\n"))
        #expect(explained.stdout.contains("lacks json-schema"))
    }

    @Test("An unknown capability is a usage error that names it and the known ones; nothing is written")
    func unknownCapability() throws {
        let cw = try sandbox()
        for arguments in [["select", "--task", "t", "--min-quality", "0.8", "--require", "telepathy"],
                          ["models", "set", "a/cheap", "--capability", "telepathy"],
                          ["export", "routing-map", "--require", "telepathy"]] {
            let result = try cw.runRaw(arguments + ["--db", cw.db])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("'telepathy'") && result.stderr.contains("'json-schema'"), "\(result)")
        }
        let models = try cw.run("models", "list", "--json")
        let cheap = try #require(try models.jsonArray().first { $0["model"] as? String == "a/cheap" })
        #expect(cheap["capabilities"] as? [String] == [])
    }

    @Test("models list shows capabilities and output limits; export prices writes them and imports back")
    func listAndExport() throws {
        let cw = try sandbox()
        let models = try cw.run("models", "list", "--json")
        try expectSuccess(models)
        let byID = Dictionary(uniqueKeysWithValues: try models.jsonArray().map { ($0["model"] as! String, $0) })
        #expect(byID["a/all"]?["capabilities"] as? [String] == ["json-schema", "tools", "vision"])
        #expect(number(byID["a/cheap"]?["max_output_tokens"]) == 1_000)
        #expect(isNull(byID["a/tools"]?["max_output_tokens"]))
        let table = try cw.run("models", "list")
        #expect(table.stdout.contains("json-schema,tools,vision"), "\(table)")

        let exported = try cw.run("export", "prices", "--format", "csv")
        try expectSuccess(exported)
        #expect(exported.stdout.contains("a/all,a,5,5,,,,json-schema;tools;vision,\n"), "\(exported)")
        #expect(exported.stdout.contains("a/cheap,a,0.1,0.1,,,,,1000\n"), "\(exported)")

        let copy = try Sandbox()
        try copy.initEmpty()
        try expectSuccess(copy.run("models", "import", try copy.write("prices.csv", exported.stdout + "\n")))
        let copied = Dictionary(uniqueKeysWithValues: try copy.run("models", "list", "--json").jsonArray().map { ($0["model"] as! String, $0) })
        #expect(copied["a/all"]?["capabilities"] as? [String] == ["json-schema", "tools", "vision"])
        #expect(number(copied["a/cheap"]?["max_output_tokens"]) == 1_000)
    }

    @Test("export routing-map --require routes each threshold to models with the capabilities")
    func routingMap() throws {
        let cw = try sandbox()
        let map = try cw.run("export", "routing-map", "--thresholds", "0.8", "--require", "vision", "--json")
        try expectSuccess(map)
        let entries = try map.jsonArray()
        #expect(entries.first { $0["task"] as? String == "t" }?["model"] as? String == "a/all")
    }
}

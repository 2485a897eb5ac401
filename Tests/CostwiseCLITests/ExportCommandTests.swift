import Foundation
import Testing

/// `costwise export prices` and `costwise export routing-map`.
struct ExportCommandTests {
    static let header = "model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier"

    /// An empty store with prices 0.15, 0.0375, 2.5, 10 and 0.075 imported from CSV.
    func pricedStore() throws -> Sandbox {
        let cw = try Sandbox()
        try cw.initEmpty()
        let table = try cw.write("prices.csv", """
            \(Self.header)
            acme/small,acme,0.15,0.6,128000,1
            acme/mid,acme,0.0375,2.5,,2
            other/big,other-cloud,10,0.075,200000,3

            """)
        try expectSuccess(cw.run("models", "import", table))
        return cw
    }

    @Test func pricesAreExportedExactlyAsImported() throws {
        let cw = try pricedStore()
        let csv = try cw.run("export", "prices", "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        let lines = csv.lines
        #expect(lines.first?.hasPrefix(Self.header) == true, "\(csv)")
        let rows = Set(lines.dropFirst().map { line in
            // Without the optional trailing request_usd column, if present.
            line.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",")
        })
        #expect(rows == [
            "acme/small,acme,0.15,0.6,128000,1",
            "acme/mid,acme,0.0375,2.5,,2",
            "other/big,other-cloud,10,0.075,200000,3",
        ], "\(csv)")
        #expect(!csv.stdout.contains("e-"), "no exponents: \(csv)")
        #expect(!csv.stdout.contains("0000000"), "no binary noise: \(csv)")

        let json = try cw.run("export", "prices", "--format", "json")
        #expect(json.status == 0, "\(json)")
        for spelling in ["0.15", "0.0375", "2.5", "10", "0.075"] {
            #expect(json.stdout.contains(spelling), "\(spelling) in \(json)")
        }
        #expect(!json.stdout.contains("e-") && !json.stdout.contains("0000000"), "\(json)")
        let entries = try json.jsonArray()
        #expect(entries.count == 3)
        var byID: [String: [String: Any]] = [:]
        for entry in entries {
            for key in ["model", "provider", "input_usd_per_mtok", "output_usd_per_mtok", "context_window", "tier"] {
                #expect(entry.keys.contains(key), "\(entry) lacks \(key)")
            }
            byID[entry["model"] as? String ?? ""] = entry
        }
        #expect(number(byID["acme/small"]?["input_usd_per_mtok"]) == 0.15)
        #expect(number(byID["acme/small"]?["output_usd_per_mtok"]) == 0.6)
        #expect(number(byID["acme/mid"]?["input_usd_per_mtok"]) == 0.0375)
        #expect(number(byID["acme/mid"]?["output_usd_per_mtok"]) == 2.5)
        #expect(number(byID["other/big"]?["input_usd_per_mtok"]) == 10)
        #expect(number(byID["other/big"]?["output_usd_per_mtok"]) == 0.075)
        #expect(byID["other/big"]?["provider"] as? String == "other-cloud")
        #expect(number(byID["acme/small"]?["context_window"]) == 128000)
        #expect(isNull(byID["acme/mid"]?["context_window"]), "\(entries)")
        #expect(number(byID["other/big"]?["tier"]) == 3)

        // `models list` keeps them exactly too.
        let listed = try cw.run("models", "list", "--json")
        #expect(!listed.stdout.contains("0000000") && !listed.stdout.contains("e-"), "\(listed)")
        #expect(listed.stdout.contains("0.0375"), "\(listed)")
    }

    @Test func exportImportExportRoundTripsIdentically() throws {
        let cw = try pricedStore()
        // A per-request price and a price changed by `models set` ride along.
        try cw.setModel("acme/small", input: "0.075", output: "0.3")
        let withRequest = try cw.write("request.csv", """
            \(Self.header),request_usd
            req/one,req,1.1,2.2,4096,2,0.0015
            req/tiny,"Tiny, Inc.",0.0000001,123456.789,,,0.000015

            """)
        try expectSuccess(cw.run("models", "import", withRequest))

        let csv = try cw.run("export", "prices", "--format", "csv")
        try expectSuccess(csv)
        #expect(csv.lines.first == Self.header + ",request_usd", "\(csv)")
        #expect(csv.stdout.contains("req/one,req,1.1,2.2,4096,2,0.0015"), "\(csv)")
        #expect(csv.stdout.contains(",0.0000001,123456.789,,,0.000015"), "no exponents: \(csv)")
        #expect(csv.stdout.contains("acme/small,acme,0.075,0.3,128000,1,"), "\(csv)")
        let exportedCSV = try cw.write("exported.csv", csv.stdout)

        let fresh = cw.path("fresh.sqlite")
        try cw.initEmpty(db: fresh)
        try expectSuccess(cw.run("models", "import", exportedCSV, db: fresh))
        let again = try cw.run("export", "prices", "--format", "csv", db: fresh)
        #expect(again.stdout == csv.stdout, "\(again)")

        // The JSON export imports back the same way.
        let json = try cw.run("export", "prices", "--format", "json")
        try expectSuccess(json)
        let exportedJSON = try cw.write("exported.json", json.stdout)
        let freshJSON = cw.path("fresh-json.sqlite")
        try cw.initEmpty(db: freshJSON)
        try expectSuccess(cw.run("models", "import", exportedJSON, db: freshJSON))
        #expect(try cw.run("export", "prices", "--format", "json", db: freshJSON).stdout == json.stdout)
        #expect(try cw.run("export", "prices", "--format", "csv", db: freshJSON).stdout == csv.stdout)
    }

    @Test func markdownExportIsATable() throws {
        let cw = try pricedStore()
        let result = try cw.run("export", "prices", "--format", "markdown")
        #expect(result.status == 0, "\(result)")
        let lines = result.lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        try #require(lines.count >= 5, "\(result)")
        #expect(lines.allSatisfy { $0.hasPrefix("|") && $0.hasSuffix("|") }, "\(result)")
        #expect(lines[0].contains("model") && lines[0].contains("input_usd_per_mtok"), "\(result)")
        let separator = lines[1].filter { $0 != " " }
        #expect(separator.allSatisfy { "|-:".contains($0) } && separator.contains("---"), "\(result)")
        for row in ["acme/small", "acme/mid", "other/big"] {
            #expect(lines.dropFirst(2).contains { $0.contains(row) }, "\(row) in \(result)")
        }
        #expect(lines.contains { $0.contains("acme/mid") && $0.contains("0.0375") }, "\(result)")
    }

    @Test func outputWritesTheExportToAFile() throws {
        let cw = try pricedStore()
        let stdout = try cw.run("export", "prices", "--format", "csv").stdout
        let file = cw.path("out.csv")
        let result = try cw.run("export", "prices", "--format", "csv", "--output", file)
        #expect(result.status == 0, "\(result)")
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written.trimmingCharacters(in: .newlines) == stdout.trimmingCharacters(in: .newlines))
    }

    // MARK: - Routing map

    /// Two task types with evidence and one without; three models.
    func routedStore() throws -> Sandbox {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("classification", "--tier", "1", "--input-tokens", "300", "--output-tokens", "10")
        try cw.setTask("summarization", "--tier", "2", "--input-tokens", "3000", "--output-tokens", "400")
        try cw.setTask("unmeasured")
        try cw.setModel("p/cheap", input: "0.15", output: "0.6", "--tier", "1")
        try cw.setModel("p/mid", input: "1.1", output: "4.4", "--tier", "2")
        try cw.setModel("p/top", input: "2.5", output: "10", "--tier", "3")
        try cw.importResults(
            Sandbox.passFail("p/cheap", "classification", passes: 8, fails: 2)
                + Sandbox.passFail("p/mid", "classification", passes: 19, fails: 1)
                + Sandbox.passFail("p/top", "classification", passes: 20, fails: 0)
                + Sandbox.passFail("p/cheap", "summarization", passes: 6, fails: 4)
                + Sandbox.passFail("p/mid", "summarization", passes: 15, fails: 5)
                + Sandbox.passFail("p/top", "summarization", passes: 19, fails: 1))
        return cw
    }

    /// The key of the cost per 1,000 requests in a routing-map entry (the contract does not spell it).
    func costKey(_ entry: [String: Any]) -> String? {
        entry.keys.sorted().first { key in
            key.contains("cost") && (key.contains("1k") || key.contains("1000") || key.contains("thousand")) && !key.contains("top")
        }
    }

    @Test func routingMapHasOneEntryPerTaskAndThresholdMatchingSelect() throws {
        let cw = try routedStore()
        let result = try cw.run("export", "routing-map", "--thresholds", "0.7,0.9", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let entries = try result.jsonArray()
        #expect(entries.count == 6, "3 task types × 2 thresholds: \(result)")

        var seen = Set<String>()
        for entry in entries {
            let task = try #require(entry["task"] as? String, "\(entry)")
            let threshold = try #require(number(entry["threshold"]), "\(entry)")
            seen.insert("\(task) \(threshold)")
            if task == "unmeasured" {
                #expect(isNull(entry["model"]), "no model has evidence: \(entry)")
                continue
            }
            let selected = try cw.select("--task", task, "--min-quality", String(threshold))
            #expect(entry["model"] as? String == selected["model"] as? String, "\(entry) vs \(selected)")
            let key = try #require(costKey(entry), "no cost per 1,000 requests in \(entry)")
            let perRequest = try #require(number(selected["estimated_cost_usd"]))
            #expect(isClose(number(entry[key]), 1000 * perRequest), "\(entry) vs \(selected)")
        }
        #expect(seen == ["classification 0.7", "classification 0.9", "summarization 0.7", "summarization 0.9",
                         "unmeasured 0.7", "unmeasured 0.9"])

        // Spot checks by hand: 0.7 on classification is p/cheap (0.8), 0.9 is p/mid (0.95).
        let classification = entries.filter { $0["task"] as? String == "classification" }
        let byThreshold = Dictionary(uniqueKeysWithValues: classification.map { (number($0["threshold"]) ?? -1, $0) })
        #expect(byThreshold[0.7]?["model"] as? String == "p/cheap")
        #expect(byThreshold[0.9]?["model"] as? String == "p/mid")
        if let entry = byThreshold[0.9], let key = costKey(entry) {
            #expect(isClose(number(entry[key]), 1000 * contractCost(input: 300, output: 10, inputPrice: 1.1, outputPrice: 4.4)))
        }
        let summarization = entries.filter { $0["task"] as? String == "summarization" }
        #expect(summarization.first { number($0["threshold"]) == 0.9 }?["model"] as? String == "p/top")
    }

    @Test func routingMapCSVHasAHeaderAndOneRowPerTaskAndThreshold() throws {
        let cw = try routedStore()
        let result = try cw.run("export", "routing-map", "--thresholds", "0.7,0.9", "--format", "csv")
        #expect(result.status == 0, "\(result)")
        let lines = result.lines
        #expect(lines.count == 7, "\(result)")
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        #expect(header.contains("task") && header.contains("threshold") && header.contains("model"), "\(result)")
        let costColumn = try #require(header.firstIndex { $0.contains("cost") && !$0.contains("top") }, "\(result)")
        let taskColumn = try #require(header.firstIndex(of: "task"))
        let thresholdColumn = try #require(header.firstIndex(of: "threshold"))
        let modelColumn = try #require(header.firstIndex(of: "model"))
        let rows: [[String]] = lines.dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        }
        let matching = rows.first { (cells: [String]) -> Bool in
            cells[taskColumn] == "classification" && Double(cells[thresholdColumn]) == 0.9
        }
        let row = try #require(matching, "\(result)")
        #expect(row[modelColumn] == "p/mid")
        #expect(isClose(Double(row[costColumn]), 1000 * contractCost(input: 300, output: 10, inputPrice: 1.1, outputPrice: 4.4)),
                "\(row)")

        // The default thresholds are 0.7, 0.8 and 0.9.
        let defaults = try cw.run("export", "routing-map")
        #expect(defaults.status == 0, "\(defaults)")
        #expect(defaults.lines.count == 1 + 3 * 3, "\(defaults)")

        let markdown = try cw.run("export", "routing-map", "--format", "markdown")
        #expect(markdown.status == 0, "\(markdown)")
        #expect(markdown.lines.first?.hasPrefix("|") == true, "\(markdown)")
    }
}

import Foundation
import Testing

/// Cached-input and reasoning prices from the command line: `models set`, `models list` and `export prices`.
struct TokenPriceCommandTests {
    @Test("models set takes the cached-input and reasoning prices; models list and export prices show them, and they import back")
    func setListExport() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try expectSuccess(cw.run("models", "set", "a/plain", "--input-usd-per-mtok", "1", "--output-usd-per-mtok", "2"))
        let table = try cw.run("models", "list")
        #expect(!table.stdout.contains("cached_input_usd_per_mtok"), "\(table)")

        try expectSuccess(cw.run("models", "set", "a/cached", "--input-usd-per-mtok", "0.15", "--output-usd-per-mtok", "0.6",
                                 "--cached-input-usd-per-mtok", "0.075", "--reasoning-usd-per-mtok", "2.4"))
        let listed = Dictionary(uniqueKeysWithValues: try cw.run("models", "list", "--json").jsonArray().map { ($0["model"] as! String, $0) })
        #expect(number(listed["a/cached"]?["cached_input_usd_per_mtok"]) == 0.075)
        #expect(number(listed["a/cached"]?["reasoning_usd_per_mtok"]) == 2.4)
        #expect(isNull(listed["a/plain"]?["cached_input_usd_per_mtok"]))
        #expect(try cw.run("models", "list").stdout.contains("reasoning_usd_per_mtok"))

        let exported = try cw.run("export", "prices", "--format", "csv")
        try expectSuccess(exported)
        #expect(exported.stdout.contains("a/cached,a,0.15,0.6,,,,,,0.075,2.4\n"), "\(exported)")
        let copy = try Sandbox()
        try copy.initEmpty()
        try expectSuccess(copy.run("models", "import", try copy.write("prices.csv", exported.stdout)))
        let copied = Dictionary(uniqueKeysWithValues: try copy.run("models", "list", "--json").jsonArray().map { ($0["model"] as! String, $0) })
        #expect(number(copied["a/cached"]?["cached_input_usd_per_mtok"]) == 0.075)
        #expect(number(copied["a/cached"]?["reasoning_usd_per_mtok"]) == 2.4)
    }

    @Test("A negative cached-input price is a usage error that names the option; nothing is written")
    func negativePrice() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        let result = try cw.runRaw(["models", "set", "a/one", "--input-usd-per-mtok", "1", "--output-usd-per-mtok", "2",
                                    "--cached-input-usd-per-mtok=-1", "--db", cw.db])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--cached-input-usd-per-mtok"), "\(result)")
        #expect(try cw.run("models", "list", "--json").jsonArray().isEmpty)
    }
}

import Foundation
import Testing

/// The store file from the command line: created on first use, `init`, where `--db` may stand, `COSTWISE_DB`, the default path.
struct StoreFileCommandTests {
    @Test func firstSelectOnAMissingStoreCreatesItAndAnswers() throws {
        let cw = try Sandbox()
        #expect(!FileManager.default.fileExists(atPath: cw.db))

        let result = try cw.run("select", "--task", "classification", "--min-quality", "0.8", "--json")
        #expect(result.status == 0, "\(result)")
        let answer = try result.jsonObject()
        let model = try #require(answer["model"] as? String)
        #expect(!model.isEmpty)
        #expect(answer["task"] as? String == "classification")
        let mean = try #require(number((answer["quality"] as? [String: Any])?["mean"]))
        #expect(mean >= 0.8)

        let attributes = try FileManager.default.attributesOfItem(atPath: cw.db)
        let permissions = try #require((attributes[.posixPermissions] as? NSNumber)?.intValue)
        #expect(permissions & 0o777 == 0o600, "mode is \(String(permissions & 0o777, radix: 8))")

        // The text form answers too, on the now existing (seeded) store.
        let text = try cw.run("select", "--task", "classification", "--min-quality", "0.8")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains(model))
    }

    /// An existing file with nothing in it (say, from `mktemp`) is no store yet: first use seeds it like a
    /// missing one, so that `COSTWISE_DB=$(mktemp) costwise select …` answers.
    @Test func firstUseOfAnEmptyFileSeedsItLikeAMissingStore() throws {
        let cw = try Sandbox()
        try cw.write("store.sqlite", "")
        let result = try cw.run("select", "--task", "classification", "--min-quality", "0.8", "--json")
        #expect(result.status == 0, "\(result)")
        #expect(try cw.run("models", "list", "--json").jsonArray().isEmpty == false)
    }

    @Test func initEmptyMakesAStoreWithNothingInIt() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        #expect(FileManager.default.fileExists(atPath: cw.db))

        for listing in [["models", "list"], ["tasks", "list"], ["scores"]] {
            let result = try cw.runRaw(listing + ["--json", "--db", cw.db])
            #expect(result.status == 0, "\(result)")
            #expect(try result.jsonArray().isEmpty, "\(result)")
        }
        // Without the catalog, a seeded task type is unknown.
        let select = try cw.run("select", "--task", "classification", "--min-quality", "0.8")
        #expect(select.status == 1, "\(select)")
    }

    @Test func initOnAnExistingStoreFailsAndLeavesItAlone() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setModel("acme/one", input: "1", output: "2")

        for arguments in [["init"], ["init", "--empty"]] {
            let again = try cw.runRaw(arguments + ["--db", cw.db])
            #expect(again.status == 1, "\(again)")
            #expect(!again.stderr.isEmpty)
        }
        let models = try cw.run("models", "list", "--json").jsonArray()
        #expect(models.compactMap { $0["model"] as? String } == ["acme/one"])
    }

    @Test func dbOptionIsAcceptedAnywhereOnTheLine() throws {
        let cw = try Sandbox()
        // Before the subcommand.
        let created = try cw.runRaw(["--db", cw.db, "init", "--empty"])
        #expect(created.status == 0, "\(created)")
        // Between a command and its subcommand, and before an argument.
        let set = try cw.runRaw(["models", "--db", cw.db, "set", "acme/one", "--input-usd-per-mtok", "1",
                                 "--output-usd-per-mtok", "2"])
        #expect(set.status == 0, "\(set)")
        let setTask = try cw.runRaw(["tasks", "set", "--db", cw.db, "sorting"])
        #expect(setTask.status == 0, "\(setTask)")
        let record = try cw.runRaw(["record", "--model", "acme/one", "--db", cw.db, "--task", "sorting", "--score", "0.9"])
        #expect(record.status == 0, "\(record)")

        for arguments in [
            ["--db", cw.db, "models", "list", "--json"],
            ["models", "--db", cw.db, "list", "--json"],
            ["models", "list", "--db", cw.db, "--json"],
            ["models", "list", "--json", "--db", cw.db],
            ["--json", "models", "list", "--db", cw.db],
        ] {
            let result = try cw.runRaw(arguments)
            #expect(result.status == 0, "\(result)")
            #expect(try result.jsonArray().compactMap { $0["model"] as? String } == ["acme/one"], "\(result)")
        }
        // The contract's own example: --db after select's options.
        let select = try cw.runRaw(["select", "--task", "sorting", "--min-quality", "0.8", "--json", "--db", cw.db])
        #expect(select.status == 0, "\(select)")
        #expect(try select.jsonObject()["model"] as? String == "acme/one")
        let selectFirst = try cw.runRaw(["--db", cw.db, "select", "--task", "sorting", "--min-quality", "0.8", "--json"])
        #expect(try selectFirst.jsonObject()["model"] as? String == "acme/one", "\(selectFirst)")

        // Nothing went to the default stores.
        #expect(!FileManager.default.fileExists(atPath: cw.environmentDB))
        #expect(!FileManager.default.fileExists(atPath: cw.xdgDataHome))
    }

    @Test func costwiseDBNamesTheStoreWhenNoDBOptionIsGiven() throws {
        let cw = try Sandbox()
        let envStore = cw.path("from-env.sqlite")
        let environment: [String: String?] = ["COSTWISE_DB": envStore]

        let created = try cw.runRaw(["init", "--empty"], environment: environment)
        #expect(created.status == 0, "\(created)")
        #expect(FileManager.default.fileExists(atPath: envStore))
        let set = try cw.runRaw(["models", "set", "acme/env", "--input-usd-per-mtok", "1", "--output-usd-per-mtok", "2"],
                                environment: environment)
        #expect(set.status == 0, "\(set)")

        let listed = try cw.runRaw(["models", "list", "--json"], environment: environment)
        #expect(try listed.jsonArray().compactMap { $0["model"] as? String } == ["acme/env"], "\(listed)")

        // --db wins over COSTWISE_DB.
        try cw.initEmpty()
        let other = try cw.runRaw(["models", "list", "--json", "--db", cw.db], environment: environment)
        #expect(try other.jsonArray().isEmpty, "\(other)")
        #expect(!FileManager.default.fileExists(atPath: cw.xdgDataHome))
    }

    @Test func withoutDBOrCostwiseDBTheStoreIsUnderXDGDataHome() throws {
        let cw = try Sandbox()
        let environment: [String: String?] = ["COSTWISE_DB": nil]
        let created = try cw.runRaw(["init", "--empty"], environment: environment)
        #expect(created.status == 0, "\(created)")
        let expected = cw.xdgDataHome + "/costwise/costwise.sqlite"
        #expect(FileManager.default.fileExists(atPath: expected))
        let listed = try cw.runRaw(["models", "list", "--json"], environment: environment)
        #expect(try listed.jsonArray().isEmpty, "\(listed)")
        #expect(!FileManager.default.fileExists(atPath: cw.environmentDB))
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        // PRAGMA user_version lives at offset 60 of the SQLite header (4 bytes, big-endian).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cw.db))
        try #require(bytes.count >= 100 && bytes.starts(with: Array("SQLite format 3".utf8)))
        bytes.replaceSubrange(60..<64, with: [0, 0, 0x03, 0xE7])
        try bytes.write(to: URL(fileURLWithPath: cw.db))

        let result = try cw.run("models", "list", "--json")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        let message = result.stderr.lowercased()
        #expect(message.contains("newer") || message.contains("version"), "\(result)")
    }

    /// The package's `data/` folder, which the binary bundles.
    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data")

    /// The rows of a bundled CSV file, without the header, split on commas (enough for its leading columns).
    static func bundledRows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: dataFolder.appendingPathComponent(name), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        }
    }

    @Test func initSeedsTheBundledCatalogExactly() throws {
        let cw = try Sandbox()
        let created = try cw.run("init")
        #expect(created.status == 0, "\(created)")

        // Prices exactly as in data/models.csv (the optional trailing request_usd column aside).
        let exported = try cw.run("export", "prices", "--format", "csv")
        try expectSuccess(exported)
        let exportedRows = Set(exported.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)
            .prefix(6).joined(separator: ",") })
        let bundledRows = Set(try Self.bundledRows("models.csv").map { $0.prefix(6).joined(separator: ",") })
        #expect(!bundledRows.isEmpty)
        #expect(exportedRows == bundledRows, "\(exportedRows.symmetricDifference(bundledRows).sorted())")
        let models = try cw.run("models", "list", "--json").jsonArray()
        #expect(models.allSatisfy { $0["enabled"] as? Bool == true })

        // Task types as in data/tasks.csv.
        let tasks = try cw.run("tasks", "list", "--json").jsonArray()
        let listedTasks = Set(tasks.map { task in
            [task["name"] as? String ?? "?", number(task["tier"]).map { String(Int($0)) } ?? "?",
             number(task["input_tokens"]).map { String(Int($0)) } ?? "?",
             number(task["output_tokens"]).map { String(Int($0)) } ?? "?"].joined(separator: ",")
        })
        let bundledTasks = Set(try Self.bundledRows("tasks.csv").map { $0.prefix(4).joined(separator: ",") })
        #expect(listedTasks == bundledTasks, "\(listedTasks.symmetricDifference(bundledTasks).sorted())")

        // Prior scores: one estimate per prior, its score as the mean and its weight as the samples.
        let scores = try cw.scores()
        let priors = try Self.bundledRows("priors.csv")
        #expect(scores.count == priors.count)
        for prior in priors {
            let estimate = scores["\(prior[0]) \(prior[1])"]
            #expect(isClose(estimate?.mean, Double(prior[2]) ?? -1) && estimate?.samples == Double(prior[3]),
                    "\(prior) vs \(String(describing: estimate))")
        }
    }

    @Test func recordedResultsJoinThePriorAsPseudoSamples() throws {
        let cw = try Sandbox()
        try expectSuccess(cw.run("init"))
        let priors = try Self.bundledRows("priors.csv")
        let prior = try #require(priors.first { $0[1] == "classification" })
        let model = prior[0]
        let priorScore = try #require(Double(prior[2]))
        let weight = try #require(Double(prior[3]))

        try cw.record(model, "classification", score: "0")
        try cw.record(model, "classification", score: "1", "--run", "r", "--item", "1")
        let estimate = try #require(try cw.scores()["\(model) classification"])
        #expect(estimate.samples == weight + 2)
        #expect(isClose(estimate.mean, (priorScore * weight + 1) / (weight + 2)), "\(estimate)")

        let answer = try cw.select("--task", "classification", "--min-quality", "0", "--provider",
                                   String(model.split(separator: "/")[0]), "--explain")
        let candidates = try #require(answer["candidates"] as? [[String: Any]])
        let candidate = try #require(candidates.first { $0["model"] as? String == model }, "\(answer)")
        let quality = try #require(candidate["quality"] as? [String: Any])
        #expect(number(quality["samples"]) == weight + 2)
        #expect(isClose(number(quality["mean"]), (priorScore * weight + 1) / (weight + 2)))
    }
}

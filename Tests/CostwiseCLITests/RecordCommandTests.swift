import Foundation
import Testing

/// `costwise record` and `costwise scores`.
struct RecordCommandTests {
    @Test func recordingForAnUnknownModelOrTaskTypeIsAnErrorThatNamesIt() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("p/m", input: "1", output: "1")

        let unknownTask = try cw.run("record", "--model", "p/m", "--task", "t-typo", "--score", "1")
        #expect(unknownTask.status == 1, "\(unknownTask)")
        #expect(unknownTask.stderr.contains("t-typo"))
        let unknownModel = try cw.run("record", "--model", "p/typo", "--task", "t", "--score", "1")
        #expect(unknownModel.status == 1, "\(unknownModel)")
        #expect(unknownModel.stderr.contains("p/typo"))

        // A typo creates nothing.
        #expect(try cw.run("models", "list", "--json").jsonArray().count == 1)
        #expect(try cw.run("tasks", "list", "--json").jsonArray().count == 1)
        #expect(try cw.run("scores", "--json").jsonArray().isEmpty)
        let scores = try cw.run("scores", "--task", "t-typo")
        #expect(scores.status == 1, "\(scores)")
        #expect(scores.stderr.contains("t-typo"))
    }

    @Test func scoresListsOneEstimatePerPairWithEvidence() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setTask("u")
        try cw.setTask("no-evidence")
        try cw.setModel("p/m", input: "1", output: "1")
        try cw.setModel("p/n", input: "1", output: "1")
        try cw.record("p/m", "t", score: "1", "--run", "r", "--item", "1")
        try cw.record("p/m", "t", score: "0.5", "--run", "r", "--item", "2")
        // The same key again replaces the earlier result.
        try cw.record("p/m", "t", score: "0", "--run", "r", "--item", "2")
        try cw.record("p/n", "u", score: "0.75")

        let result = try cw.run("scores", "--json")
        #expect(result.status == 0, "\(result)")
        let entries = try result.jsonArray()
        #expect(entries.count == 2, "one per pair with evidence: \(result)")
        for entry in entries {
            for key in ["model", "task", "quality"] { #expect(entry.keys.contains(key), "\(entry) lacks \(key)") }
            let quality = try #require(entry["quality"] as? [String: Any])
            #expect(number(quality["mean"]) != nil && number(quality["samples"]) != nil, "\(entry)")
        }
        let scores = try cw.scores()
        #expect(isClose(scores["p/m t"]?.mean, 0.5), "\(scores)")
        #expect(scores["p/m t"]?.samples == 2)
        #expect(isClose(scores["p/n u"]?.mean, 0.75))
        #expect(scores["p/n u"]?.samples == 1)

        let filtered = try cw.run("scores", "--task", "u", "--json")
        #expect(filtered.status == 0, "\(filtered)")
        #expect(try filtered.jsonArray().compactMap { $0["model"] as? String } == ["p/n"], "\(filtered)")
    }

    @Test func aScoreOutsideZeroToOneIsRefused() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("p/m", input: "1", output: "1")
        let result = try cw.run("record", "--model", "p/m", "--task", "t", "--score", "1.5")
        #expect(result.status != 0, "\(result)")
        #expect(try cw.run("scores", "--json").jsonArray().isEmpty)
    }
}

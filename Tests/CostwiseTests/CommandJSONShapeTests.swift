import Foundation
import Testing
@testable import Costwise

/// The JSON shapes that wrap another: the members each adds, where, and with which values.
struct CommandJSONShapeTests {
    func keys(_ value: JSONValue) -> [String] { value.members.map(\.0) }

    @Test("A price import's JSON: the format first, the report's members, then every skipped entry")
    func priceImport() throws {
        let fixture = try TemporaryStore()
        let bytes = Array(try Data(contentsOf: fixturesFolder.appendingPathComponent("prices/litellm_v1.77.7_subset.json")))
        let feed = try PriceFile.read(bytes, format: .auto, file: "litellm.json")
        let report = try fixture.store.importPrices(feed.feed.models, source: .file("litellm.json", format: "litellm", bytes: bytes),
                                                    guard: PriceGuard(maxChangeFactor: 10), dryRun: true)
        let json = report.json(format: feed.format, skipped: feed.feed.skipped)
        #expect(keys(json) == ["format"] + keys(report.json) + ["skipped"])
        #expect(json.members.first?.1 == .string("litellm"))
        guard case .array(let skipped) = json.members.last?.1 else { Issue.record("no skipped list"); return }
        #expect(skipped.count == feed.feed.skipped.count && !skipped.isEmpty)
        let first = try #require(feed.feed.skipped.first)
        #expect(skipped.first == .object([("entry", .string(first.entry)), ("line", .integer(first.line)),
                                          ("reason", .string(first.reason))]))
        #expect(PriceFeed.SkippedEntry(entry: "e", line: nil, reason: "r").json.text() == "{\n  \"entry\": \"e\",\n  \"line\": null,\n  \"reason\": \"r\"\n}")
    }

    @Test("A result import's JSON names the format first")
    func resultImport() {
        let report = ResultImportReport(inserted: 3, replaced: 1, pairs: 2)
        #expect(report.json(format: .lmEval).text() == """
            {
              "format": "lm-eval",
              "inserted": 3,
              "replaced": 1,
              "pairs": 2
            }
            """)
    }

    @Test("A routed selection's JSON ends with the classification that named its task type")
    func routed() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.results("a/m", "t", passes: 1, of: 1)
        let selection = try fixture.select(SelectionRequest(task: "t", minQuality: 0.5))
        let classification = TaskClassification(task: "t", confidence: 0.75, classifier: "rules")
        let json = selection.json(classifiedAs: classification)
        #expect(keys(json) == keys(selection.json) + ["classified_as"])
        #expect(json.members.last?.1 == classification.json)
    }

    @Test("A new store's contents, a model enabled and an alias")
    func storeShapes() throws {
        let fixture = try TemporaryStore(seed: .bundledCatalog)
        let snapshot = try fixture.store.snapshot()
        #expect(snapshot.contentsJSON(path: "/s.sqlite") == .object([
            ("db", .string("/s.sqlite")), ("models", .integer(snapshot.models.count)),
            ("task_types", .integer(snapshot.taskTypes.count)), ("prior_scores", .integer(snapshot.estimates.count)),
        ]))
        #expect(snapshot.models.count == 48 && snapshot.taskTypes.count == 12)
        #expect(JSONValue.enabled(false, model: "a/m").text() == "{\n  \"model\": \"a/m\",\n  \"enabled\": false\n}")
        #expect(JSONValue.alias("m", model: "a/m").text() == "{\n  \"alias\": \"m\",\n  \"model\": \"a/m\"\n}")
    }
}

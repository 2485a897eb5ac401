import Foundation
import Testing
@testable import Costwise

/// ``ReplayInput`` and ``ReplayTuning``: where a replay's prices and model names come from, how its
/// file is read, the run a tuning's results are recorded under, and the tuning's JSON.
struct ReplayInputTests {
    /// easy: cheap/a scores 1, strong/b 1; hard: cheap/a 0, strong/b 1; four items each.
    static let results: String = {
        var lines = ["task,item,model,score,input_tokens,output_tokens"]
        for task in ["easy", "hard"] {
            for item in 1...4 {
                lines.append("\(task),\(item),cheap-a,\(task == "easy" ? 1 : 0),1000,0")
                lines.append("\(task),\(item),strong/b,1,1000,0")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let prices = """
        model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
        cheap/a,cheap,1,0,,1
        strong/b,strong,10,0,,3
        other/c,other,2,0,,1

        """

    /// A folder holding the results as `results.csv`, the prices as `prices.csv` and a model map; the
    /// files go with the folder, so a test keeps it alive until its end.
    static func files() throws -> (folder: TemporaryFolder, input: ReplayInput) {
        let folder = try TemporaryFolder()
        func write(_ name: String, _ text: String) throws -> String {
            let path = folder.url.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let input = ReplayInput(file: try write("results.csv", results), seed: 3, prices: try write("prices.csv", prices),
                                modelMap: try write("map.csv", "from,to\ncheap-a,other/c\n"), aliases: ["cheap-a": "cheap/a"])
        return (folder, input)
    }

    @Test("The run, the file name and the chart title come from the file's last path component")
    func naming() {
        let nested = ReplayInput(file: "data/evals/routellm_gsm8k.csv")
        #expect(nested.fileName == "routellm_gsm8k.csv")
        #expect(nested.run == "replay:routellm_gsm8k.csv")
        #expect(nested.chartTitle == "routellm_gsm8k.csv: cost and quality of routing")
        #expect(ReplayInput(file: "plain.jsonl").run == "replay:plain.jsonl")
    }

    @Test("Prices come from the price file when given, the bundled catalog else; an alias wins over the model map")
    func pricing() throws {
        let (folder, input) = try Self.files()
        defer { withExtendedLifetime(folder) {} }
        let pricing = try input.pricing()
        #expect(pricing.source == "price file \(input.prices ?? "")")
        #expect(pricing.modelMap == ["cheap-a": "cheap/a"])
        #expect(Set(pricing.models.keys) == ["cheap/a", "strong/b", "other/c"])

        var withoutAlias = input
        withoutAlias.aliases = [:]
        #expect(try withoutAlias.pricing().modelMap == ["cheap-a": "other/c"])

        var bundled = input
        bundled.prices = nil
        bundled.modelMap = nil
        let catalog = try bundled.pricing()
        #expect(catalog.source == "bundled catalog (data/models.csv)")
        #expect(catalog.models.count == (try BundledCatalog.models()).count)
    }

    @Test("The format forces how the bytes are read; auto tells a summary, JSONL and CSV apart")
    func formats() throws {
        let (folder, input) = try Self.files()
        defer { withExtendedLifetime(folder) {} }
        let bytes = Array(Self.results.utf8)
        #expect(!input.isSummary(bytes))
        var summary = input
        summary.format = .summary
        #expect(summary.isSummary(bytes))
        #expect(try input.replay(bytes).replay.dataset.items.count == 8)
        var jsonl = input
        jsonl.format = .jsonl
        #expect(throws: InputError.self) { try jsonl.replay(bytes) }
    }

    @Test("The split and the baseline follow the input; the baseline is named through the model map")
    func splitAndBaseline() throws {
        let (folder, input) = try Self.files()
        defer { withExtendedLifetime(folder) {} }
        var named = input
        named.baseline = "cheap-a"
        let replay = try named.replay(Array(Self.results.utf8)).replay
        #expect(replay.dataset.models[replay.baseline].id == "cheap/a")
        #expect(replay.split.trainingFraction == 0.5 && replay.split.seed == 3)
        #expect(replay.split.trainingCount + replay.split.heldOutCount == 8)
    }

    @Test("A tuning's JSON: the split as asked, the baseline, and the run and what was applied only once applied")
    func tuningJSON() throws {
        let (folder, input) = try Self.files()
        defer { withExtendedLifetime(folder) {} }
        var tuning = try ReplayTuning(input, bytes: Array(Self.results.utf8))
        #expect(tuning.applied == nil)
        let dry = try object(tuning.json)
        #expect(dry["file"] as? String == input.file)
        #expect(dry["baseline"] as? String == "strong/b")
        let split = try #require(dry["split"] as? [String: Any])
        #expect(split["training_fraction"] as? Double == 0.5)
        #expect(split["seed"] as? Int == 3)
        #expect(split["task_types"] as? Int == 2)
        #expect((split["training_items"] as? Int).map { $0 + (split["held_out_items"] as? Int ?? 0) } == 8)
        #expect(dry["run"] == nil && dry["applied"] == nil)

        let store = try TemporaryStore()
        try store.model("cheap/a", input: 1, output: 0, tier: 1)
        try store.model("strong/b", input: 10, output: 0, tier: 3)
        try tuning.apply(to: store.store)
        let applied = try object(tuning.json)
        #expect(applied["run"] as? String == "replay:results.csv")
        let entries = try #require(applied["applied"] as? [[String: Any]])
        #expect(entries.compactMap { $0["task"] as? String } == ["easy", "hard"])
        #expect(entries.compactMap { $0["tuned_model"] as? String } == ["cheap/a", "strong/b"])
        #expect(entries.compactMap { $0["selected_model"] as? String } == ["cheap/a", "strong/b"])
        #expect(entries.compactMap { $0["created_task_type"] as? Bool } == [true, true])
        #expect(entries.compactMap { $0["threshold"] as? Double } == [1, 1])
        #expect(try store.store.taskTypes().map(\.minQuality) == [1, 1])
    }

    private func object(_ value: JSONValue) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(value.text().utf8)) as? [String: Any])
    }
}

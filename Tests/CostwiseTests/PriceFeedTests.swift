import Foundation
import Testing
@testable import Costwise

/// Price lists from LiteLLM and OpenRouter: read exactly, every skipped entry explained, guarded
/// against changes that look like mistakes, and written back out in their own shapes.
struct PriceFeedTests {
    func priceFile(_ name: String) throws -> [UInt8] {
        try InputFile.bytes(atPath: fixturesFolder.appendingPathComponent("prices/\(name)").path)
    }

    @Test("LiteLLM's cost map: exact prices, provider-prefixed ids, context windows and explained skips")
    func liteLLM() throws {
        let bytes = try priceFile("litellm_v1.77.7_subset.json")
        #expect(PriceFile.detect(bytes) == .litellm)
        let feed = try LiteLLMCostMap.parse(bytes, file: "litellm.json")
        let models = Dictionary(uniqueKeysWithValues: feed.models.map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.price == Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6))
        #expect(models["openai/gpt-4o-mini"]?.contextWindow == 128_000)
        #expect(models["openrouter/openai/gpt-4o"]?.provider == "openrouter")
        #expect(models["gemini/gemini-1.5-flash-8b"]?.price == Price(inputUSDPerMTok: 0, outputUSDPerMTok: 0))
        #expect(models["deepseek/deepseek-chat"]?.price == Price(inputUSDPerMTok: 0.27, outputUSDPerMTok: 1.1))
        #expect(models["openai/text-embedding-3-small"] == nil)
        #expect(DecimalFormat.string(models["openai/gpt-4o-mini"]!.price.inputUSDPerMTok) == "0.15")

        let reasons = Dictionary(uniqueKeysWithValues: feed.skipped.map { ($0.entry, $0.reason) })
        #expect(reasons["sample_spec"] != nil)
        #expect(reasons["o1-pro"] == "mode responses, not chat")
        #expect(reasons["text-embedding-3-small"] == "mode embedding, not chat")
        #expect(reasons["twelvelabs.pegasus-1-2-v1:0"] == "no input_cost_per_token and output_cost_per_token")
        #expect(reasons["wandb/moonshotai/Kimi-K2-Instruct"]?.contains("not a real price") == true)
        #expect(reasons["azure_ai/jais-30b-chat"]?.contains("3200 USD per million tokens") == true)
        #expect(reasons["deepseek-chat"]?.contains("deepseek/deepseek-chat") == true)
        #expect(feed.models.count + feed.skipped.count == 17)
        #expect(feed.skipped.allSatisfy { $0.line != nil })
        #expect(feed.skipped.first { $0.entry == "text-embedding-3-small" }?.line == 191)
    }

    @Test("A 2023-layout LiteLLM file imports: max_tokens as the window, plain decimals, no mode read as chat")
    func liteLLM2023() throws {
        let feed = try LiteLLMCostMap.parse(try priceFile("litellm_2023_layout.json"), file: "old.json")
        let models = Dictionary(uniqueKeysWithValues: feed.models.map { ($0.id, $0) })
        #expect(models["openai/gpt-3.5-turbo-0613"]?.price == Price(inputUSDPerMTok: 1.5, outputUSDPerMTok: 2))
        #expect(models["anthropic/claude-2"]?.price == Price(inputUSDPerMTok: 11.02, outputUSDPerMTok: 32.68))
        #expect(models["openai/gpt-4"]?.contextWindow == 8_192)
        #expect(models.keys.contains { $0.hasPrefix("replicate/llama-2-70b-chat") })
        #expect(feed.skipped.map(\.entry) == ["command-nightly"])
    }

    @Test("OpenRouter's listing: string prices, per-request price, context length; variable pricing skipped")
    func openRouter() throws {
        let bytes = try priceFile("openrouter_2025-05-23_subset.json")
        #expect(PriceFile.detect(bytes) == .openrouter)
        let feed = try OpenRouterListing.parse(bytes, file: "or.json")
        let models = Dictionary(uniqueKeysWithValues: feed.models.map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.price == Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6))
        #expect(models["perplexity/sonar"]?.price == Price(inputUSDPerMTok: 1, outputUSDPerMTok: 1, requestUSD: 0.005))
        #expect(models["meta-llama/llama-3.3-70b-instruct:free"]?.price == Price(inputUSDPerMTok: 0, outputUSDPerMTok: 0))
        #expect(models["google/gemini-flash-1.5-8b"]?.price == Price(inputUSDPerMTok: 0.0375, outputUSDPerMTok: 0.15))
        #expect((models["anthropic/claude-3.5-haiku"]?.contextWindow ?? 0) > 0)
        #expect(feed.skipped.map(\.entry) == ["openrouter/auto"])
        #expect(feed.skipped.first?.reason == "variable pricing (negative price)")
    }

    @Test("Exports in LiteLLM's and OpenRouter's shapes import back to the same prices", arguments: ["litellm", "openrouter"])
    func roundTrip(format: String) throws {
        let fixture = try TemporaryStore(seed: .bundledCatalog)
        let models = try fixture.store.models()
        let exported = Array((format == "litellm" ? LiteLLMCostMap.export(models) : OpenRouterListing.export(models)).utf8)
        let (detected, feed) = try PriceFile.read(exported, format: .auto, file: "export.json")
        #expect(detected.rawValue == format)
        #expect(feed.skipped.isEmpty)
        #expect(Set(feed.models.map(\.id)) == Set(models.map(\.id)))
        let report = try fixture.store.importPrices(feed.models, source: .manual("round trip"), guard: PriceGuard(), dryRun: false)
        #expect(report.added.isEmpty && report.changed.isEmpty && report.heldBack.isEmpty && report.updated.isEmpty)
        #expect(report.unchanged == models.count)
        #expect(try fixture.store.models() == models)
        if format == "litellm" {
            let text = String(decoding: exported, as: UTF8.self)
            #expect(text.contains("\"input_cost_per_token\": 0.00000015,"))
        }
    }

    @Test("The guard holds back changes by more than the factor and drops to zero, unless told to accept them")
    func priceGuard() throws {
        let fixture = try TemporaryStore()
        try fixture.model("a/m", input: 1, output: 2)
        try fixture.model("b/m", input: 1, output: 2)
        try fixture.model("c/m", input: 1, output: 2)
        let incoming = [
            Model(id: "a/m", provider: "a", price: Price(inputUSDPerMTok: 100_000, outputUSDPerMTok: 2)),  // per-token read as per-million
            Model(id: "b/m", provider: "b", price: Price(inputUSDPerMTok: 0, outputUSDPerMTok: 0)),
            Model(id: "c/m", provider: "c", price: Price(inputUSDPerMTok: 5, outputUSDPerMTok: 10)),
        ]
        let report = try fixture.store.importPrices(incoming, source: .manual("feed"), guard: PriceGuard(maxChangeFactor: 10), dryRun: false)
        #expect(report.heldBack.map(\.change.model) == ["a/m", "b/m"])
        #expect(report.heldBack[0].change.factor == 100_000)
        #expect(report.heldBack[1].reason == "a priced model would become free")
        #expect(report.changed.map(\.model) == ["c/m"])
        #expect(try fixture.store.models().map(\.price.inputUSDPerMTok) == [1, 1, 5])

        let strict = try fixture.store.importPrices([incoming[2]].map { var m = $0; m.price.inputUSDPerMTok = 20; return m },
                                                    source: .manual("feed"), guard: PriceGuard(maxChangeFactor: 3), dryRun: false)
        #expect(strict.heldBack.count == 1)
        let accepted = try fixture.store.importPrices(incoming, source: .manual("feed"), guard: .off, dryRun: false)
        #expect(accepted.heldBack.isEmpty && accepted.changed.map(\.model) == ["a/m", "b/m"])
        #expect(try fixture.store.models().map(\.price.inputUSDPerMTok) == [100_000, 0, 5])
    }

    @Test("A dry run of a second import lists added, changed with factor, and models the source no longer lists")
    func dryRunDiff() throws {
        let fixture = try TemporaryStore()
        let first = try OpenRouterListing.parse(try priceFile("openrouter_2025-05-23_subset.json"), file: nil)
        try fixture.store.importPrices(first.models, source: PriceSource(description: "or", format: "openrouter"), guard: PriceGuard(), dryRun: false)
        var second = first.models.filter { $0.id != "perplexity/sonar" }
        second[0].price.outputUSDPerMTok *= 2
        second.append(Model(id: "new/model", provider: "new", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 1)))
        let report = try fixture.store.importPrices(second, source: PriceSource(description: "or", format: "openrouter"), guard: PriceGuard(), dryRun: true)
        #expect(report.added.map(\.id) == ["new/model"])
        #expect(report.changed.map(\.model) == [second[0].id])
        #expect(report.changed.first?.factor == 2)
        #expect(report.removed == ["perplexity/sonar"])
        #expect(report.unchanged == first.models.count - 2)
        #expect(try fixture.store.models().count == first.models.count)
    }

    @Test("Every import is a price revision carrying its source, format and file hash")
    func revisionsCarryTheirSource() throws {
        let fixture = try TemporaryStore()
        let bytes = try priceFile("openrouter_2025-05-23_subset.json")
        let feed = try OpenRouterListing.parse(bytes, file: nil)
        try fixture.store.importPrices(feed.models, source: .file("or.json", format: "openrouter", bytes: bytes), guard: PriceGuard(), dryRun: false)
        let revision = try #require(try fixture.store.priceHistory(model: "openai/gpt-4o-mini").last)
        #expect(revision.source.format == "openrouter")
        #expect(revision.source.sha256?.count == 64)
    }

    @Test("Aliases resolve the names logs and price files use to the catalog's id")
    func aliases() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("openai/gpt-4o-mini", input: 0.15, output: 0.6)
        try fixture.store.setAlias("gpt-4o-mini-2024-07-18", model: "openai/gpt-4o-mini")
        try fixture.store.record(EvaluationResult(model: "gpt-4o-mini-2024-07-18", task: "t", score: 1))
        #expect(try fixture.store.snapshot().estimates.map(\.model) == ["openai/gpt-4o-mini"])
        let report = try fixture.store.importPrices(
            [Model(id: "gpt-4o-mini-2024-07-18", provider: "openai", price: Price(inputUSDPerMTok: 0.2, outputUSDPerMTok: 0.6))],
            source: .manual("x"), guard: PriceGuard(), dryRun: false)
        #expect(report.changed.map(\.model) == ["openai/gpt-4o-mini"])
        #expect(try fixture.store.models().count == 1)
        #expect(throws: CatalogError.unknownModel("nope/nope")) { try fixture.store.setAlias("x", model: "nope/nope") }
    }

    @Test("SHA-256 matches the standard test vectors")
    func sha256() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

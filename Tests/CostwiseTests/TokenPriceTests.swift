import Foundation
import Testing
@testable import Costwise

/// Cached-input and reasoning prices: what an answer costs with them, where they come from (the
/// price sources, `models set`), and that the store and every export keep them.
struct TokenPriceTests {
    func priceFile(_ name: String) throws -> [UInt8] {
        try InputFile.bytes(atPath: fixturesFolder.appendingPathComponent("prices/\(name)").path)
    }

    /// gpt-4o-mini's prices (0.15 / 0.6, cached input 0.075) with a reasoning price of 2.4 added.
    let priced = Model(id: "openai/gpt-4o-mini", provider: "openai", price: Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6),
                       cachedInputUSDPerMTok: 0.075, reasoningUSDPerMTok: 2.4)

    @Test("Cached prompt tokens cost the cached price and reasoning tokens the reasoning price; the rest the input and output prices")
    func costWithDetailPrices() {
        let usage = TokenUsage(promptTokens: 10_000, completionTokens: 2_000, cachedTokens: 8_000, reasoningTokens: 1_500)
        // 2,000 × 0.15 + 8,000 × 0.075 + 500 × 0.6 + 1,500 × 2.4, per million.
        #expect(abs(priced.cost(of: usage) - 0.0048) < 1e-15)
        // Without the details reported, every token is plain input or output.
        let plain = TokenUsage(promptTokens: 10_000, completionTokens: 2_000)
        #expect(priced.cost(of: plain) == priced.price.estimatedCost(inputTokens: 10_000, outputTokens: 2_000))
    }

    @Test("A budget reserved at the dearest token prices covers an answer whose output is all reasoning")
    func dearestPriceBoundsEverySplit() {
        #expect(priced.dearestTokenPrice == Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 2.4))
        let allReasoning = TokenUsage(promptTokens: 1_000, completionTokens: 4_000, cachedTokens: 0, reasoningTokens: 4_000)
        let bound = priced.dearestTokenPrice.estimatedCost(inputTokens: 1_000, outputTokens: 4_000)
        #expect(priced.cost(of: allReasoning) <= bound)
        #expect(priced.cost(of: allReasoning) > priced.price.estimatedCost(inputTokens: 1_000, outputTokens: 4_000))
    }

    @Test("A model without detail prices charges cached tokens as input and reasoning tokens as output, as OpenAI bills them")
    func costWithoutDetailPrices() {
        var model = priced
        model.cachedInputUSDPerMTok = nil
        model.reasoningUSDPerMTok = nil
        model.price.requestUSD = 0.001
        let usage = TokenUsage(promptTokens: 10_000, completionTokens: 2_000, cachedTokens: 8_000, reasoningTokens: 1_500)
        #expect(model.cost(of: usage) == model.price.estimatedCost(inputTokens: 10_000, outputTokens: 2_000))
        #expect(abs(model.cost(of: usage) - (0.0027 + 0.001)) < 1e-15)
    }

    @Test("Detail counts beyond their totals (a broken upstream) are held to them: no token is charged twice or below zero")
    func costClampsDetailCounts() {
        let over = TokenUsage(promptTokens: 100, completionTokens: 10, cachedTokens: 500, reasoningTokens: 50)
        // All 100 prompt tokens cached, all 10 completion tokens reasoning.
        #expect(abs(priced.cost(of: over) - (100 * 0.075 + 10 * 2.4) / 1_000_000) < 1e-18)
        let negative = TokenUsage(promptTokens: 100, completionTokens: 10, cachedTokens: -5, reasoningTokens: -5)
        #expect(priced.cost(of: negative) == priced.price.estimatedCost(inputTokens: 100, outputTokens: 10))
    }

    @Test("LiteLLM's cache_read_input_token_cost and output_cost_per_reasoning_token become the detail prices, exactly")
    func liteLLM() throws {
        let models = try Dictionary(uniqueKeysWithValues: LiteLLMCostMap.parse(priceFile("litellm_v1.77.7_subset.json"), file: nil)
            .models.map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.cachedInputUSDPerMTok == 0.075)
        #expect(models["openai/gpt-4o"]?.cachedInputUSDPerMTok == 1.25)
        #expect(models["openai/gpt-4o-mini"]?.reasoningUSDPerMTok == nil)
        // An entry without them leaves those tokens at the input and output prices.
        #expect(models["mistral/mistral-large-latest"]?.cachedInputUSDPerMTok == nil)

        // LiteLLM 1.77.7's `gemini/gemini-2.5-flash-preview-04-17`, abridged: reasoning dearer than other output.
        let entry = """
            {"gemini/gemini-2.5-flash-preview-04-17": {"cache_read_input_token_cost": 3.75e-08, "input_cost_per_token": 1.5e-07,
              "litellm_provider": "gemini", "max_input_tokens": 1048576, "max_output_tokens": 65535, "mode": "chat",
              "output_cost_per_reasoning_token": 3.5e-06, "output_cost_per_token": 6e-07, "supports_reasoning": true}}
            """
        let model = try #require(LiteLLMCostMap.parse(Array(entry.utf8), file: nil).models.first)
        #expect(model.cachedInputUSDPerMTok == 0.0375)
        #expect(model.reasoningUSDPerMTok == 3.5)
        #expect(model.price.outputUSDPerMTok == 0.6)
    }

    @Test("OpenRouter's input_cache_read is the cached price; internal_reasoning is the reasoning price only above zero")
    func openRouter() throws {
        let models = try Dictionary(uniqueKeysWithValues: OpenRouterListing.parse(priceFile("openrouter_2025-05-23_subset.json"), file: nil)
            .models.map { ($0.id, $0) })
        #expect(models["anthropic/claude-3.5-haiku"]?.cachedInputUSDPerMTok == 0.08)
        #expect(models["google/gemini-flash-1.5-8b"]?.cachedInputUSDPerMTok == 0.01)
        // `"internal_reasoning": "0"` on every one of them: reasoning billed as output, not free.
        #expect(models.values.allSatisfy { $0.reasoningUSDPerMTok == nil })
        #expect(models["perplexity/sonar"]?.cachedInputUSDPerMTok == nil)

        // OpenRouter's 2025-05-23 `perplexity/sonar-deep-research`, abridged: the one model that prices reasoning.
        let listing = """
            {"data": [{"id": "perplexity/sonar-deep-research", "context_length": 128000,
              "pricing": {"prompt": "0.000002", "completion": "0.000008", "request": "0", "image": "0", "web_search": "0.005",
                          "internal_reasoning": "0.000003"}}]}
            """
        let model = try #require(OpenRouterListing.parse(Array(listing.utf8), file: nil).models.first)
        #expect(model.reasoningUSDPerMTok == 3)
        #expect(model.cachedInputUSDPerMTok == nil)
    }

    @Test("Every export format carries the detail prices back to the same models", arguments: PriceRoundTrip.formats)
    func roundTrip(format: String) throws {
        let models = [
            priced,
            Model(id: "a/cached-only", provider: "a", price: Price(inputUSDPerMTok: 3, outputUSDPerMTok: 15), cachedInputUSDPerMTok: 0.3),
            Model(id: "b/plain", provider: "b", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 2)),
        ]
        let byID = try PriceRoundTrip.models(models, through: format)
        for model in models {
            #expect(byID[model.id]?.cachedInputUSDPerMTok == model.cachedInputUSDPerMTok, "\(format): \(model.id)")
            #expect(byID[model.id]?.reasoningUSDPerMTok == model.reasoningUSDPerMTok, "\(format): \(model.id)")
        }
    }

    @Test("The CSV price table writes the detail prices last, only when some model has one, and refuses a bad one by line and field")
    func priceTableColumns() throws {
        let csv = PriceTable.export([priced], format: .csv)
        #expect(csv.hasPrefix("model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier,request_usd,capabilities,"
            + "max_output_tokens,cached_input_usd_per_mtok,reasoning_usd_per_mtok\n"))
        #expect(csv.contains("openai/gpt-4o-mini,openai,0.15,0.6,,,,,,0.075,2.4\n"))
        let plain = PriceTable.export([Model(id: "a/one", provider: "a", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 2))], format: .csv)
        #expect(plain.hasPrefix("model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier\n"))

        let bad = Array("model,input_usd_per_mtok,output_usd_per_mtok,reasoning_usd_per_mtok\na/one,1,2,-3\n".utf8)
        let error = try #require(throws: InputError.self) { try PriceTable.parse(bad, format: .csv, file: "p.csv") }
        #expect(error.file == "p.csv" && error.line == 2 && error.field == "reasoning_usd_per_mtok")
    }

    @Test("The store keeps the detail prices; a price list without them leaves them; models set changes one and keeps the other")
    func storeKeepsThem() throws {
        let fixture = try TemporaryStore()
        try fixture.store.setModel(ModelUpdate(id: "a/one", inputUSDPerMTok: 1, outputUSDPerMTok: 2, cachedInputUSDPerMTok: 0.1,
                                               reasoningUSDPerMTok: 4), source: "test")
        let stored = try #require(try fixture.store.models().first)
        #expect(stored.cachedInputUSDPerMTok == 0.1 && stored.reasoningUSDPerMTok == 4)

        let listed = Model(id: "a/one", provider: "a", price: Price(inputUSDPerMTok: 1.5, outputUSDPerMTok: 2))
        try fixture.store.importPrices([listed], source: PriceSource(description: "p.csv", format: "csv", sha256: nil),
                                       guard: PriceGuard(), dryRun: false)
        let imported = try #require(try fixture.store.models().first)
        #expect(imported.price.inputUSDPerMTok == 1.5)
        #expect(imported.cachedInputUSDPerMTok == 0.1 && imported.reasoningUSDPerMTok == 4)

        try fixture.store.setModel(ModelUpdate(id: "a/one", cachedInputUSDPerMTok: 0.15), source: "test")
        let changed = try #require(try fixture.store.models().first)
        #expect(changed.cachedInputUSDPerMTok == 0.15 && changed.reasoningUSDPerMTok == 4)
        #expect(changed.json.text().filter { !$0.isWhitespace }.contains("\"cached_input_usd_per_mtok\":0.15"))
    }

    @Test("The bundled catalog prices gpt-4o-mini's cached input at half its input price, as LiteLLM lists it")
    func bundled() throws {
        let models = Dictionary(uniqueKeysWithValues: try BundledCatalog.models().map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.cachedInputUSDPerMTok == 0.075)
        #expect(models["openai/gpt-4o-mini"]?.reasoningUSDPerMTok == nil)
        #expect(models["qwen/qwen-turbo"]?.reasoningUSDPerMTok == 0.5)
    }
}

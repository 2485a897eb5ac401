import Foundation
import Testing
@testable import Costwise

/// Capabilities and output limits: read from every price source, kept by the store, written back out,
/// and a limit on selection.
struct CapabilityTests {
    func priceFile(_ name: String) throws -> [UInt8] {
        try InputFile.bytes(atPath: fixturesFolder.appendingPathComponent("prices/\(name)").path)
    }

    @Test("LiteLLM's supports_* flags and max_output_tokens become capabilities and the output limit")
    func liteLLM() throws {
        let models = try Dictionary(uniqueKeysWithValues: LiteLLMCostMap.parse(priceFile("litellm_v1.77.7_subset.json"), file: nil)
            .models.map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.capabilities == [.tools, .vision, .jsonSchema])
        #expect(models["openai/gpt-4o-mini"]?.maxOutputTokens == 16_384)
        // Flags absent (not false) leave the capability out.
        #expect(models["deepseek/deepseek-chat"]?.capabilities == [.tools])
        #expect(models["deepseek/deepseek-chat"]?.maxOutputTokens == 8_192)
    }

    @Test("OpenRouter's supported_parameters, input_modalities and max_completion_tokens become capabilities and the output limit")
    func openRouter() throws {
        let models = try Dictionary(uniqueKeysWithValues: OpenRouterListing.parse(priceFile("openrouter_2025-05-23_subset.json"), file: nil)
            .models.map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.capabilities == [.tools, .vision, .jsonSchema])
        #expect(models["openai/gpt-4o-mini"]?.maxOutputTokens == 16_384)
        #expect(models["anthropic/claude-3.5-haiku"]?.capabilities == [.tools, .vision])
        #expect(models["perplexity/sonar"]?.capabilities == [.vision])
        #expect(models["perplexity/sonar"]?.maxOutputTokens == nil)
        #expect(models["meta-llama/llama-3.3-70b-instruct:free"]?.capabilities == [.tools])
    }

    @Test("Every export format carries capabilities and output limits back to the same models", arguments: PriceRoundTrip.formats)
    func roundTrip(format: String) throws {
        let models = [
            Model(id: "a/one", provider: "a", price: Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6), contextWindow: 128_000,
                  capabilities: [.tools, .jsonSchema], maxOutputTokens: 4_096),
            Model(id: "a/two", provider: "a", price: Price(inputUSDPerMTok: 3, outputUSDPerMTok: 15), contextWindow: 200_000,
                  capabilities: [.vision]),
            Model(id: "b/three", provider: "b", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 2), contextWindow: 8_000),
        ]
        let byID = try PriceRoundTrip.models(models, through: format)
        for model in models {
            #expect(byID[model.id]?.capabilities == model.capabilities, "\(format): \(model.id)")
            #expect(byID[model.id]?.maxOutputTokens == model.maxOutputTokens, "\(format): \(model.id)")
        }
    }

    @Test("The CSV price table writes capabilities after request_usd, names joined by ';', and refuses an unknown one by line and field")
    func priceTableColumns() throws {
        let models = [Model(id: "a/one", provider: "a", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 2),
                            capabilities: [.vision, .tools], maxOutputTokens: 100)]
        let csv = PriceTable.export(models, format: .csv)
        #expect(csv.hasPrefix("model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier,request_usd,capabilities,max_output_tokens\n"))
        #expect(csv.contains("a/one,a,1,2,,,,tools;vision,100\n"))
        // Without either, the table keeps its old shape.
        let plain = PriceTable.export([Model(id: "a/one", provider: "a", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 2))], format: .csv)
        #expect(plain.hasPrefix("model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier\n"))

        let bad = Array("model,input_usd_per_mtok,output_usd_per_mtok,capabilities\na/one,1,2,tools;telepathy\n".utf8)
        let error = try #require(throws: InputError.self) { try PriceTable.parse(bad, format: .csv, file: "p.csv") }
        #expect(error.file == "p.csv" && error.line == 2 && error.field == "capabilities")
        #expect(error.message.contains("'telepathy'"))
    }

    @Test("The store keeps capabilities; a price table without them leaves them as they were; models set replaces them")
    func storeKeepsThem() throws {
        let fixture = try TemporaryStore()
        try fixture.store.setModel(ModelUpdate(id: "a/one", inputUSDPerMTok: 1, outputUSDPerMTok: 2, capabilities: [.tools, .vision],
                                               maxOutputTokens: 500), source: "test")
        #expect(try fixture.store.models().first?.capabilities == [.tools, .vision])
        try fixture.store.importPrices([Model(id: "a/one", provider: "a", price: Price(inputUSDPerMTok: 1.5, outputUSDPerMTok: 2))],
                                       source: .manual("test"), guard: PriceGuard(), dryRun: false)
        let afterImport = try #require(try fixture.store.models().first)
        #expect(afterImport.capabilities == [.tools, .vision] && afterImport.maxOutputTokens == 500)
        #expect(afterImport.price.inputUSDPerMTok == 1.5)
        try fixture.store.setModel(ModelUpdate(id: "a/one", capabilities: []), source: "test")
        #expect(try fixture.store.models().first?.capabilities == [])
        #expect(try fixture.rawText("SELECT capabilities FROM models") == nil)
    }

    @Test("A request needing capabilities, or more output tokens than a model can give, passes that model over, and says why")
    func selectionLimit() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.store.setModel(ModelUpdate(id: "a/cheap", inputUSDPerMTok: 0.1, outputUSDPerMTok: 0.1, maxOutputTokens: 1_000),
                                   source: "test")
        try fixture.store.setModel(ModelUpdate(id: "a/tools", inputUSDPerMTok: 1, outputUSDPerMTok: 1, capabilities: [.tools]),
                                   source: "test")
        try fixture.store.setModel(ModelUpdate(id: "a/all", inputUSDPerMTok: 5, outputUSDPerMTok: 5, capabilities: [.tools, .vision]),
                                   source: "test")
        for model in ["a/cheap", "a/tools", "a/all"] { try fixture.results(model, "t", passes: 9, of: 10) }

        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8)).chosenModel == "a/cheap")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, requiredCapabilities: [.tools])).chosenModel == "a/tools")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, requiredCapabilities: [.tools, .vision])).chosenModel == "a/all")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, outputTokens: 1_001)).chosenModel == "a/tools")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, outputTokens: 1_000)).chosenModel == "a/cheap")

        let none = try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, requiredCapabilities: [.jsonSchema], explain: true))
        #expect(none.chosen == nil)
        #expect(none.candidates.map(\.reason) == ["lacks json-schema", "lacks json-schema", "lacks json-schema"])
        let explained = try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, outputTokens: 2_000,
                                                            requiredCapabilities: [.vision], explain: true))
        #expect(explained.candidates.first { $0.model == "a/cheap" }?.reason == "lacks vision")
        #expect(explained.chosenModel == "a/all")
        let tooLong = try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, outputTokens: 2_000, explain: true))
        #expect(tooLong.candidates.first { $0.model == "a/cheap" }?.reason == "needs 2000 output tokens; can produce at most 1000")

        // Routing by tier checks the same limits: tier 1 holds a/cheap and a/tools (a/all's price makes it tier 3).
        let snapshot = try fixture.store.snapshot()
        #expect(try snapshot.selectByTier(SelectionRequest(task: "t", minQuality: 0)).chosenModel == "a/cheap")
        #expect(try snapshot.selectByTier(SelectionRequest(task: "t", minQuality: 0, requiredCapabilities: [.tools])).chosenModel == "a/tools")
        let noVision = try snapshot.selectByTier(SelectionRequest(task: "t", minQuality: 0, requiredCapabilities: [.vision], explain: true))
        #expect(noVision.chosenModel == nil)
        #expect(noVision.candidates.map(\.reason) == ["lacks vision", "lacks vision"])
    }

    @Test("What all-premium would cost is the cheapest top-tier model that has the capabilities the request needed")
    func premiumWithCapabilities() throws {
        let fixture = try TemporaryStore()
        try fixture.store.setModel(ModelUpdate(id: "a/top", inputUSDPerMTok: 10, outputUSDPerMTok: 30, tier: 3), source: "test")
        try fixture.store.setModel(ModelUpdate(id: "a/top-tools", inputUSDPerMTok: 15, outputUSDPerMTok: 60, tier: 3, capabilities: [.tools]),
                                   source: "test")
        let snapshot = try fixture.store.snapshot()
        #expect(snapshot.premiumAlternative(inputTokens: 1_000, outputTokens: 1_000)?.model == "a/top")
        #expect(snapshot.premiumAlternative(inputTokens: 1_000, outputTokens: 1_000, requiring: [.tools])?.model == "a/top-tools")
        #expect(snapshot.premiumAlternative(inputTokens: 1_000, outputTokens: 1_000, requiring: [.vision]) == nil)
    }

    @Test("An unknown capability name is refused by name, with the known ones")
    func unknownName() throws {
        let error = try #require(throws: InputError.self) { try Capability(validating: "telepathy") }
        #expect(error.description == "field 'capability': unknown capability 'telepathy'; known: tools, vision, json-schema")
    }

    @Test("The bundled catalog carries capabilities and output limits from its price sources")
    func bundled() throws {
        let models = Dictionary(uniqueKeysWithValues: try BundledCatalog.models().map { ($0.id, $0) })
        #expect(models["openai/gpt-4o-mini"]?.capabilities == [.tools, .vision, .jsonSchema])
        #expect(models["openai/gpt-4o-mini"]?.maxOutputTokens == 16_384)
        #expect(models["cohere/command-r"]?.capabilities == [.tools])
        #expect(models.values.filter { $0.capabilities.contains(.tools) }.count >= 40)
    }
}

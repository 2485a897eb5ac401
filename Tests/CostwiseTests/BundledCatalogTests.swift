import Testing
@testable import Costwise

struct BundledCatalogTests {
    @Test("The bundled catalog holds at least 30 real models, each priced and sized")
    func models() throws {
        let models = try BundledCatalog.models()
        #expect(models.count >= 30)
        #expect(Set(models.map(\.provider)).count >= 6)
        for model in models {
            #expect(model.id.hasPrefix(model.provider + "/"))
            #expect(model.price.inputUSDPerMTok > 0 && model.price.outputUSDPerMTok > 0, "\(model.id)")
            #expect((model.contextWindow ?? 0) >= 8_000, "\(model.id)")
            #expect((1...3).contains(model.tier ?? 0), "\(model.id)")
        }
        let mini = try #require(models.first { $0.id == "openai/gpt-4o-mini" })
        #expect(mini.price == Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6))
    }

    @Test("The task types of the routing pattern, each with its tier")
    func taskTypes() throws {
        let tiers = Dictionary(uniqueKeysWithValues: try BundledCatalog.taskTypes().map { ($0.name, $0.tier) })
        #expect(tiers == [
            "classification": 1, "extraction": 1, "formatting": 1, "simple-qa": 1,
            "analysis": 2, "summarization": 2, "content-generation": 2, "scoring": 2,
            "reasoning": 3, "strategy": 3, "multi-step-analysis": 3, "code": 3,
        ])
    }

    @Test("Every model has a prior for every task type, with a low weight and its provenance")
    func priors() throws {
        let priors = try BundledCatalog.priors()
        #expect(priors.count == (try BundledCatalog.models().count) * 12)
        #expect(priors.allSatisfy { $0.weight <= 4 && (0...1).contains($0.score) })
        #expect(priors.allSatisfy { $0.source.hasPrefix("published: ") || $0.source.hasPrefix("tier map: ") })
        #expect(priors.contains { $0.source.hasPrefix("published: ") })
    }

    @Test("A new default store answers the README's first command")
    func seededStoreAnswers() throws {
        let fixture = try TemporaryStore(seed: .bundledCatalog)
        let selection = try fixture.select(SelectionRequest(task: "classification", minQuality: 0.8))
        let chosen = try #require(selection.chosen)
        #expect(chosen.quality.mean >= 0.8)
        let models = try fixture.store.models()
        let cheaper = models.filter { $0.price.estimatedCost(inputTokens: 300, outputTokens: 10) < chosen.estimatedCostUSD }
        let estimates = try fixture.store.snapshot().estimates.filter { $0.task == "classification" }
        for model in cheaper {
            #expect((estimates.first { $0.model == model.id }?.quality.mean ?? 0) < 0.8, "\(model.id) is cheaper and qualifies")
        }
    }
}

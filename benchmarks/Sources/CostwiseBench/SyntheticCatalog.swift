#if canImport(Glibc)
import Glibc
#endif
import Costwise

/// The made-up catalog behind measurements 1 and 3: 2,000 models of 20 providers and 100 task types,
/// with a quality, sample count, token use and latency for every (model, task type) pair.
///
/// Prices come from the handful of price points real providers use, so many models cost the same
/// and ties are broken the way the selection rule says; quality grows with price, with noise.
struct SyntheticCatalog {
    static let providers = [
        "openai", "anthropic", "google", "mistral", "meta", "deepseek", "qwen", "cohere", "xai", "amazon",
        "ai21", "nvidia", "microsoft", "zhipu", "moonshot", "perplexity", "reka", "writer", "inflection", "together",
    ]
    static let inputPrices: [Double] = [0.02, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.1,
                                        1.25, 2, 2.5, 3, 5, 10, 15, 30, 60]
    static let contextWindows = [8_192, 16_384, 32_768, 65_536, 128_000, 128_000, 200_000, 1_000_000]

    /// What one (model, task type) pair holds. Pairs without results live on their prior alone.
    struct Pair {
        var model: Int
        var task: Int
        var prior: (score: Double, weight: Double)?
        var results: Results?
    }

    /// Result statistics as `model_task_stats` keeps them (see Schema.swift): sums and sample counts.
    struct Results {
        var samples: Int
        var scoreSum: Double
        var inputTokensSum: Double
        var outputTokensSum: Double
        var latencyP95Ms: Double
    }

    var models: [Model] = []
    var tasks: [TaskType] = []
    var pairs: [Pair] = []
    /// Every 100th model is disabled, so the store also holds models that are never candidates.
    var disabledModels: [String] { stride(from: 0, to: models.count, by: 100).map { models[$0].id } }

    init(models modelCount: Int, tasks taskCount: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let logPriceSpan = log(Self.inputPrices.last! / Self.inputPrices.first!)
        var ability: [Double] = []
        var latencyBase: [Double] = []
        for index in 0..<modelCount {
            let provider = Self.providers[index % Self.providers.count]
            let input = Self.inputPrices.randomElement(using: &random)!
            let output = input * [2, 3, 4, 5].randomElement(using: &random)!
            let priceRank = log(input / Self.inputPrices.first!) / logPriceSpan
            models.append(Model(
                id: "\(provider)/model-\(Self.padded(index, 4))", provider: provider,
                price: Price(inputUSDPerMTok: input, outputUSDPerMTok: output,
                             requestUSD: Int.random(in: 0..<20, using: &random) == 0 ? 0.0005 : nil),
                contextWindow: Self.contextWindows.randomElement(using: &random)!,
                tier: priceRank < 0.4 ? 1 : priceRank < 0.75 ? 2 : 3))
            ability.append(min(0.97, max(0.3, 0.5 + 0.35 * priceRank + random.normal(mean: 0, deviation: 0.08))))
            latencyBase.append(random.logUniform(150...3_000))
        }
        var difficulty: [Double] = []
        for index in 0..<taskCount {
            tasks.append(TaskType(
                name: "task-\(Self.padded(index, 3))", tier: Int.random(in: 1...3, using: &random),
                inputTokens: Int(random.logUniform(200...12_000)), outputTokens: Int(random.logUniform(50...2_000))))
            difficulty.append(Double.random(in: -0.2...0.05, using: &random))
        }
        pairs.reserveCapacity(modelCount * taskCount)
        for model in 0..<modelCount {
            for task in 0..<taskCount {
                let mean = min(0.995, max(0.02, ability[model] + difficulty[task] + random.normal(mean: 0, deviation: 0.04)))
                var pair = Pair(model: model, task: task)
                let hasResults = Double.random(in: 0..<1, using: &random) < 0.85
                if !hasResults || Double.random(in: 0..<1, using: &random) < 0.5 {
                    let score = min(1, max(0, mean + random.normal(mean: 0, deviation: 0.03)))
                    pair.prior = (score, Double(Int.random(in: 5...20, using: &random)))
                }
                if hasResults {
                    let samples = Int(random.logUniform(5...500))
                    let inputMean = Double(tasks[task].inputTokens) * random.logUniform(0.7...1.4)
                    let outputMean = Double(tasks[task].outputTokens) * random.logUniform(0.7...1.4)
                    pair.results = Results(
                        samples: samples, scoreSum: mean * Double(samples),
                        inputTokensSum: (inputMean * Double(samples)).rounded(),
                        outputTokensSum: (outputMean * Double(samples)).rounded(),
                        latencyP95Ms: (latencyBase[model] * (1 + outputMean / 500) * random.logUniform(0.8...1.25)).rounded())
                }
                pairs.append(pair)
            }
        }
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

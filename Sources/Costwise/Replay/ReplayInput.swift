/// What a replay or a tuning reads: a file of per-item results (or a summary), how to read it, the
/// prices and model names to cost it with, how to split it, and the baseline and target.
///
/// `costwise replay` and `costwise tune` fill one from their options; ``replay(_:)`` then reads,
/// prices and splits the file's bytes into a ``Replay``.
public struct ReplayInput: Sendable, Hashable {
    /// How to read the file.
    public enum Format: String, Sendable, CaseIterable {
        /// Tell from the content: a summary by its header, else JSONL or CSV (see ``ReplayFile/detect(_:)``).
        case auto
        case csv, jsonl
        /// FrugalGPT's per-data-set summary (see ``SummaryReplay``).
        case summary
    }

    /// The file's path, as errors and reports name it.
    public var file: String
    public var format: Format
    /// The share of each task type's items that trains the store, in (0, 1).
    public var split: Double
    /// The seed of the split: the same file, split and seed always split the same way.
    public var seed: UInt64
    /// The model whose quality and cost the ratios are of, as the file or the model map names it;
    /// nil takes the best single model on the training part.
    public var baseline: String?
    /// The quality target, as a ratio of the baseline's quality.
    public var targetQualityRatio: Double
    /// The folds of the cross-validation that sets the margin a choice needs to hold the target on
    /// new items (see ``ReplayMargin``); 1 optimizes the training part for the target itself.
    public var folds: Int
    /// A price file (any format `models import` reads) to price the models from; nil takes the
    /// bundled catalog.
    public var prices: String?
    /// A model map file (see ``ReplayPricing/modelMap(_:file:)``) mapping the file's model names to priced ids.
    public var modelMap: String?
    /// More names mapped to priced ids; they win over the model map file's.
    public var aliases: [String: String]
    /// Characters per token, to estimate tokens from `prompt_chars` and `response_chars`.
    public var charsPerToken: Double
    /// The tokens of a row that gives neither tokens nor characters.
    public var defaultInputTokens: Int
    public var defaultOutputTokens: Int
    /// The top of the file's score scale: scores are divided by it.
    public var scoreScale: Double

    public init(file: String, format: Format = .auto, split: Double = 0.5, seed: UInt64 = 1, baseline: String? = nil,
                targetQualityRatio: Double = 0.95, folds: Int = ReplayMargin.defaultFolds, prices: String? = nil, modelMap: String? = nil, aliases: [String: String] = [:],
                charsPerToken: Double = ReplayPricing.defaultCharsPerToken,
                defaultInputTokens: Int = TaskType.defaultInputTokens, defaultOutputTokens: Int = TaskType.defaultOutputTokens,
                scoreScale: Double = 1) {
        self.file = file
        self.format = format
        self.split = split
        self.seed = seed
        self.baseline = baseline
        self.targetQualityRatio = targetQualityRatio
        self.folds = folds
        self.prices = prices
        self.modelMap = modelMap
        self.aliases = aliases
        self.charsPerToken = charsPerToken
        self.defaultInputTokens = defaultInputTokens
        self.defaultOutputTokens = defaultOutputTokens
        self.scoreScale = scoreScale
    }

    /// The file's name without its folders.
    public var fileName: String {
        file.split(separator: "/").last.map(String.init) ?? file
    }

    /// The evaluation run that applying a tuning records the training part's results under,
    /// `replay:NAME`: applying the same file again replaces them instead of counting them twice.
    public var run: String { "replay:" + fileName }

    /// The title of the file's cost–quality chart.
    public var chartTitle: String { "\(fileName): cost and quality of routing" }

    /// Whether `bytes` are to be read as a summary rather than per-item results.
    public func isSummary(_ bytes: [UInt8]) -> Bool {
        format == .summary || (format == .auto && SummaryReplay.isSummary(bytes))
    }

    /// The prices (from ``prices``, else the bundled catalog), the model names' mapping (the model
    /// map file, then ``aliases``) and the token estimates.
    public func pricing() throws -> ReplayPricing {
        var map = try modelMap.map { try ReplayPricing.modelMap(InputFile.bytes(atPath: $0), file: $0) } ?? [:]
        map.merge(aliases) { _, alias in alias }
        let models: [Model]
        let source: String
        if let prices {
            models = try PriceFile.read(InputFile.bytes(atPath: prices), format: .auto, file: prices).feed.models
            source = "price file \(prices)"
        } else {
            models = try BundledCatalog.models()
            source = "bundled catalog (data/models.csv)"
        }
        return ReplayPricing(models: models, source: source, modelMap: map, charsPerToken: charsPerToken,
                             defaultInputTokens: defaultInputTokens, defaultOutputTokens: defaultOutputTokens)
    }

    /// Reads the per-item results in `bytes` (the file's content), prices them, splits them and
    /// records the training part in a fresh in-memory store.
    ///
    /// - Throws: ``InputError`` naming the file, line and field of the first bad row, or a model without a price.
    public func replay(_ bytes: [UInt8]) throws -> (replay: Replay, pricing: ReplayPricing) {
        let pricing = try pricing()
        let fileFormat: ReplayFile.Format = switch format {
        case .csv: .csv
        case .jsonl: .jsonl
        case .auto, .summary: ReplayFile.detect(bytes)
        }
        let records = try ReplayFile.parse(bytes, format: fileFormat, file: file, scoreScale: scoreScale)
        let dataset = try ReplayDataset(records: records, pricing: pricing, file: file)
        let replay = try Replay(dataset: dataset, split: ReplaySplit(dataset, trainingFraction: split, seed: seed),
                                baseline: baseline.map { pricing.modelMap[$0] ?? $0 })
        return (replay, pricing)
    }
}

import FoundationEssentials

/// How a replay turns a file's row into a priced model and a cost: the prices, the names the file
/// uses for models, and how tokens are estimated where a row gives none.
///
/// A row's cost is its `cost_usd` when given; otherwise the model's price at the row's tokens:
/// `input_tokens`, else `prompt_chars` ÷ ``charsPerToken``, else ``defaultInputTokens`` (and the
/// same for output with `output_tokens`, `response_chars` and ``defaultOutputTokens``).
///
/// A model keeps the name the file gives it unless the model map maps it. It needs a price only
/// where a row of it gives no `cost_usd`: a model without one whose every row gives its cost is
/// priced by its rows, at their total cost over their total tokens (the same per input and output
/// token), which is what the selector ranks it by.
public struct ReplayPricing: Sendable {
    /// The models that have a price, by id.
    public var models: [String: Model]
    /// Where the prices come from, in words: `bundled catalog (data/models.csv)`, a file's path.
    public var source: String
    /// The file's model names (as logs spell them) mapped to ids in ``models``.
    public var modelMap: [String: String]
    /// Characters per token, to estimate tokens from character counts.
    public var charsPerToken: Double
    /// The tokens assumed where a row gives neither tokens nor characters.
    public var defaultInputTokens: Int
    public var defaultOutputTokens: Int

    /// About four characters a token, the usual rule of thumb for English text.
    public static let defaultCharsPerToken = 4.0

    public init(models: [Model], source: String, modelMap: [String: String] = [:],
                charsPerToken: Double = defaultCharsPerToken,
                defaultInputTokens: Int = TaskType.defaultInputTokens, defaultOutputTokens: Int = TaskType.defaultOutputTokens) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.source = source
        self.modelMap = modelMap
        self.charsPerToken = charsPerToken
        self.defaultInputTokens = defaultInputTokens
        self.defaultOutputTokens = defaultOutputTokens
    }

    /// A model map file: a JSON object `{"name in the file": "model id", …}` or CSV with the header `from,to`.
    public static func modelMap(_ bytes: [UInt8], file: String) throws -> [String: String] {
        if InputFile.firstSignificantByte(bytes) == UInt8(ascii: "{") {
            guard let map = try? JSONDecoder().decode([String: String].self, from: Data(bytes)) else {
                throw InputError(file: file, line: 1, "a JSON model map is an object of model names to model ids")
            }
            return map
        }
        var table = try CSVTable(bytes: bytes, file: file, required: ["from", "to"], optional: [])
        var map: [String: String] = [:]
        while let row = try table.nextRow() { map[try row.string("from").trimmingSpaces] = try row.string("to").trimmingSpaces }
        return map
    }

    /// The model id a row's model name stands for: its mapped id, else the name as the file gives it.
    func id(for record: ReplayRecord) -> String {
        modelMap[record.model] ?? record.model
    }

    /// The models `records` name, by id: each with its price where it has one, else priced by its rows.
    ///
    /// - Throws: ``InputError`` naming the first row, of a model without a price, that gives no `cost_usd`.
    func models(for records: [ReplayRecord], file: String?) throws -> (models: [String: Model], pricedByRows: Set<String>) {
        var found: [String: Model] = [:]
        var sums: [String: (costUSD: Double, tokens: Int, rows: Int)] = [:]
        for record in records {
            let id = id(for: record)
            if let model = models[id] {
                found[id] = model
                continue
            }
            guard let cost = record.costUSD else {
                let mapped = id == record.model ? "" : " (mapped to '\(id)')"
                throw InputError(file: file, line: record.line, field: "cost_usd",
                                 "no price for model '\(record.model)'\(mapped) in \(source), and the row gives no cost_usd: "
                                    + "give cost_usd on every row of the model, price it with --prices, "
                                    + "or map the name to a priced model id with --model-map or --alias")
            }
            let tokens = tokens(for: record)
            sums[id, default: (0, 0, 0)].costUSD += cost
            sums[id, default: (0, 0, 0)].tokens += tokens.input + tokens.output
            sums[id, default: (0, 0, 0)].rows += 1
        }
        for (id, sum) in sums {
            let price = sum.tokens > 0
                ? Price(inputUSDPerMTok: sum.costUSD / Double(sum.tokens) * 1_000_000, outputUSDPerMTok: sum.costUSD / Double(sum.tokens) * 1_000_000)
                : Price(inputUSDPerMTok: 0, outputUSDPerMTok: 0, requestUSD: sum.costUSD / Double(sum.rows))
            found[id] = Model(id: id, provider: Model.provider(ofID: id), price: price)
        }
        return (found, Set(sums.keys))
    }

    /// The row's tokens: given, else estimated from its characters, else the defaults.
    func tokens(for record: ReplayRecord) -> (input: Int, output: Int) {
        func estimate(_ characters: Int?) -> Int? {
            characters.map { Int((Double($0) / charsPerToken).rounded()) }
        }
        return (record.inputTokens ?? estimate(record.promptChars) ?? defaultInputTokens,
                record.outputTokens ?? estimate(record.responseChars) ?? defaultOutputTokens)
    }
}

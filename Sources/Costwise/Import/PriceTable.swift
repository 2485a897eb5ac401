/// A price table in Costwise's own formats: CSV with the header
/// `model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier[,request_usd]`, and
/// optionally `capabilities` (names joined by `;`, e.g. `tools;vision`), `max_output_tokens`,
/// `cached_input_usd_per_mtok` and `reasoning_usd_per_mtok`, or a JSON array of objects with the same
/// keys (`capabilities` an array of names).
public enum PriceTable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, json
    }

    static let requiredColumns = ["model", "input_usd_per_mtok", "output_usd_per_mtok"]
    static let optionalColumns = ["provider", "context_window", "tier", "request_usd", "capabilities", "max_output_tokens",
                                  "cached_input_usd_per_mtok", "reasoning_usd_per_mtok"]
    /// The columns in the order exports write them.
    public static let columns = ["model", "provider", "input_usd_per_mtok", "output_usd_per_mtok", "context_window", "tier", "request_usd",
                                 "capabilities", "max_output_tokens", "cached_input_usd_per_mtok", "reasoning_usd_per_mtok"]

    /// Reads every row; the first bad one throws an ``InputError`` naming its line and field.
    public static func parse(_ bytes: [UInt8], format: Format, file: String?) throws -> [Model] {
        var models: [Model] = []
        var seen: [String: Int] = [:]
        func add(_ model: Model, line: Int) throws {
            if let earlier = seen[model.id] {
                throw InputError(file: file, line: line, field: "model", "\(model.id.quoted) is listed twice (first on line \(earlier))")
            }
            seen[model.id] = line
            models.append(model)
        }
        switch format {
        case .csv:
            var table = try CSVTable(bytes: bytes, file: file, required: requiredColumns, optional: optionalColumns)
            while let row = try table.nextRow() { try add(model(from: row), line: row.line) }
        case .json:
            // `models list --json` output imports as it is: its derived-tier keys are information only.
            let allowedKeys = Set(columns + ["enabled", "effective_tier", "tier_source"])
            for record in try JSONArray.records(bytes, file: file, allowedKeys: allowedKeys) {
                try add(model(from: record), line: record.line)
            }
        }
        return models
    }

    static func model(from row: some FieldSource) throws -> Model {
        let id = try row.name("model")
        let price = Price(
            inputUSDPerMTok: try row.double("input_usd_per_mtok", in: 0...1_000_000),
            outputUSDPerMTok: try row.double("output_usd_per_mtok", in: 0...1_000_000),
            requestUSD: try row.optionalDouble("request_usd", in: 0...1_000_000))
        let tier = try row.optionalCount("tier")
        if let tier, !(1...3).contains(tier) { throw row.error("tier", "must be 1, 2 or 3") }
        return Model(
            id: id, provider: try row.optionalString("provider") ?? Model.provider(ofID: id), price: price,
            contextWindow: try row.optionalCount("context_window"), tier: tier,
            enabled: try row.optionalBool("enabled") ?? true,
            capabilities: try capabilities(from: row), maxOutputTokens: try row.optionalCount("max_output_tokens"),
            cachedInputUSDPerMTok: try row.optionalDouble("cached_input_usd_per_mtok", in: 0...1_000_000),
            reasoningUSDPerMTok: try row.optionalDouble("reasoning_usd_per_mtok", in: 0...1_000_000))
    }

    /// The `capabilities` field: names joined by `;` in CSV, an array of names in JSON; each must be known.
    static func capabilities(from row: some FieldSource) throws -> Set<Capability> {
        guard let names = try row.optionalNames("capabilities") else { return [] }
        return try Set(names.map { name in
            do { return try Capability(validating: name) } catch let error as InputError { throw row.error("capabilities", error.message) }
        })
    }
}

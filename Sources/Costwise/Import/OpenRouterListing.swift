import FoundationEssentials

/// OpenRouter's `/api/v1/models` listing: `{"data": [{"id", "context_length", "pricing": {"prompt",
/// "completion", "request", …}}]}`, prices per token (and per request) as strings. Capabilities come
/// from `supported_parameters` (`tools`; `structured_outputs` for json-schema) and
/// `architecture.input_modalities` (`image` for vision); the output limit from
/// `top_provider.max_completion_tokens`. The price of cached input is `pricing.input_cache_read`; that
/// of reasoning `pricing.internal_reasoning` where it is above zero: OpenRouter lists `"0"` for nearly
/// every model, whose reasoning it bills as output, so a zero there means no price of its own.
///
/// Models with variable pricing (negative prices, as for `openrouter/auto`) are skipped and counted.
public enum OpenRouterListing {
    public static func parse(_ bytes: [UInt8], file: String?) throws -> PriceFeed {
        try InputFile.checkUTF8(bytes, file: file)
        try JSONOutline.checkDepth(bytes, limit: DecimalJSON.maxDepth, file: file)
        let document: DecimalJSON
        do {
            document = try JSONDecoder().decode(DecimalJSON.self, from: Data(bytes))
        } catch {
            throw InputError(file: file, line: 1, "not valid JSON")
        }
        guard case .array(let entries)? = document["data"] else {
            throw InputError(file: file, line: 1, field: "data", "not an OpenRouter model listing (no \"data\" array)")
        }
        var feed = PriceFeed()
        var locator = LineLocator(bytes: bytes)
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"]?.string, !id.isEmpty else {
                feed.skipped.append(.init(entry: "data[\(index)]", line: nil, reason: "no id"))
                continue
            }
            let line = locator.line(of: "\"\(id)\"")
            func skip(_ reason: String) { feed.skipped.append(.init(entry: id, line: line, reason: reason)) }
            guard let prompt = entry["pricing"]?["prompt"]?.decimal, let completion = entry["pricing"]?["completion"]?.decimal,
                  let input = PriceFeed.perMillion(prompt), let output = PriceFeed.perMillion(completion) else {
                skip("pricing.prompt and pricing.completion are missing or not numbers")
                continue
            }
            let request = entry["pricing"]?["request"]?.decimal.flatMap { Double("\($0)") }
            if input < 0 || output < 0 || (request ?? 0) < 0 { skip("variable pricing (negative price)"); continue }
            if let request, !request.isFinite { skip("pricing.request is not a finite number"); continue }
            if let reason = PriceFeed.objection(to: input, field: "pricing.prompt") ?? PriceFeed.objection(to: output, field: "pricing.completion") {
                skip(reason)
                continue
            }
            // A detail price that cannot be taken leaves those tokens at the input or output price; the entry stays.
            func detailPrice(_ field: String) -> Double? {
                guard let perToken = entry["pricing"]?[field]?.decimal, let price = PriceFeed.perMillion(perToken),
                      PriceFeed.objection(to: price, field: "pricing." + field) == nil else { return nil }
                return price
            }
            let reasoning = detailPrice("internal_reasoning")
            feed.models.append(Model(
                id: id, provider: Model.provider(ofID: id),
                price: Price(inputUSDPerMTok: input, outputUSDPerMTok: output, requestUSD: request == 0 ? nil : request),
                contextWindow: entry["context_length"]?.integer ?? entry["top_provider"]?["context_length"]?.integer,
                capabilities: capabilities(of: entry), maxOutputTokens: entry["top_provider"]?["max_completion_tokens"]?.integer,
                cachedInputUSDPerMTok: detailPrice("input_cache_read"), reasoningUSDPerMTok: reasoning == 0 ? nil : reasoning))
        }
        return feed
    }

    private static func capabilities(of entry: DecimalJSON) -> Set<Capability> {
        func strings(_ value: DecimalJSON?) -> [String] {
            guard case .array(let values)? = value else { return [] }
            return values.compactMap(\.string)
        }
        let parameters = strings(entry["supported_parameters"])
        var capabilities: Set<Capability> = []
        if parameters.contains("tools") { capabilities.insert(.tools) }
        if parameters.contains("structured_outputs") { capabilities.insert(.jsonSchema) }
        if strings(entry["architecture"]?["input_modalities"]).contains("image") { capabilities.insert(.vision) }
        return capabilities
    }

    /// The same shape as OpenRouter's listing: `data[].id`, `name`, `context_length` and `pricing`
    /// with per-token strings.
    public static func export(_ models: [Model]) -> String {
        let sorted = models.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        return JSONValue.object([("data", .array(sorted.map { model in
            .object([
                ("id", .string(model.id)),
                ("name", .string(model.id)),
                ("context_length", .integer(model.contextWindow)),
                ("architecture", .object([
                    ("input_modalities", .array((model.capabilities.contains(.vision) ? ["text", "image"] : ["text"]).map { .string($0) })),
                ])),
                ("supported_parameters", .array(
                    ([(Capability.tools, "tools"), (.jsonSchema, "structured_outputs")].filter { model.capabilities.contains($0.0) })
                        .map { .string($0.1) })),
                ("top_provider", .object([("max_completion_tokens", .integer(model.maxOutputTokens))])),
                ("pricing", .object([
                    ("prompt", .string(LiteLLMCostMap.perToken(model.price.inputUSDPerMTok))),
                    ("completion", .string(LiteLLMCostMap.perToken(model.price.outputUSDPerMTok))),
                    ("request", .string(model.price.requestUSD.map(DecimalFormat.string) ?? "0")),
                ] + detailPricing(of: model))),
            ])
        }))]).text() + "\n"
    }

    /// `input_cache_read` and `internal_reasoning`, per token, where the model has those prices.
    private static func detailPricing(of model: Model) -> [(String, JSONValue)] {
        let prices: [(String, Double?)] = [("input_cache_read", model.cachedInputUSDPerMTok), ("internal_reasoning", model.reasoningUSDPerMTok)]
        return prices.compactMap { field, price in price.map { (field, JSONValue.string(LiteLLMCostMap.perToken($0))) } }
    }
}

/// Finds the lines of successive occurrences of strings in a file, scanning forward only.
struct LineLocator {
    let bytes: [UInt8]
    private var offset = 0
    private var line = 1

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The line of the next occurrence of `needle` from where the last one was found; nil if none.
    mutating func line(of needle: String) -> Int? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return nil }
        var index = offset
        var currentLine = line
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                offset = index + pattern.count
                line = currentLine
                return currentLine
            }
            if bytes[index] == UInt8(ascii: "\n") { currentLine += 1 }
            index += 1
        }
        return nil
    }
}

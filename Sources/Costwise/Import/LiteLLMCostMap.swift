import FoundationEssentials

/// LiteLLM's `model_prices_and_context_window.json`: an object of model entries with USD-per-token
/// prices, `litellm_provider`, `mode` and context sizes.
///
/// A model's id is `PROVIDER/NAME`, from `litellm_provider` and the key without a repeated provider
/// prefix (`gpt-4o-mini` → `openai/gpt-4o-mini`, `openrouter/openai/gpt-4o` → `openrouter/openai/gpt-4o`);
/// its context window is `max_input_tokens`, else `max_tokens`; its output limit `max_output_tokens`;
/// its capabilities `supports_function_calling` (tools), `supports_vision` and
/// `supports_response_schema` (json-schema); its price of cached input `cache_read_input_token_cost`
/// and of reasoning `output_cost_per_reasoning_token`, where listed. Prices are converted from the
/// decimal digits of the JSON numbers, so `1.5e-07` per token is exactly `0.15` per million.
public enum LiteLLMCostMap {
    public static func parse(_ bytes: [UInt8], file: String?, mode: String = "chat") throws -> PriceFeed {
        try InputFile.checkUTF8(bytes, file: file)
        try JSONOutline.checkDepth(bytes, limit: DecimalJSON.maxDepth, file: file)
        let entries: [String: DecimalJSON]
        let members = JSONOutline.containerMembers(bytes)
        do {
            entries = try JSONDecoder().decode([String: DecimalJSON].self, from: Data(bytes))
        } catch {
            // Name the entry that breaks the document, when one does on its own.
            if let bad = members.first(where: { (try? JSONDecoder().decode(DecimalJSON.self, from: Data(bytes[$0.range]))) == nil }) {
                throw InputError(file: file, line: bad.line, field: bad.key, "the entry is not valid JSON")
            }
            throw InputError(file: file, line: 1, "not a LiteLLM cost map (a JSON object of model entries), or cut short")
        }
        var feed = PriceFeed()
        var lines: [String: Int] = [:]
        var order: [String] = []
        // A key given twice keeps one of its entries in the decoder and the other in LiteLLM
        // (Python keeps the last): which price is meant is unclear, so neither is taken.
        var repeated: Set<String> = []
        for member in members {
            guard let key = member.key else { continue }
            guard lines[key] == nil else {
                repeated.insert(key)
                continue
            }
            lines[key] = member.line
            order.append(key)
        }
        order += entries.keys.filter { lines[$0] == nil }.sorted()

        var candidates: [(key: String, model: Model)] = []
        for key in order {
            guard let entry = entries[key] else { continue }
            func skip(_ reason: String) { feed.skipped.append(.init(entry: key, line: lines[key], reason: reason)) }
            if key == "sample_spec" { skip("documents the format; not a model"); continue }
            if repeated.contains(key) { skip("the key appears more than once; which entry is meant is unclear"); continue }
            guard case .object = entry else { skip("not an object"); continue }
            // Early cost maps had no `mode`; their entries were chat models, as LiteLLM itself assumes.
            let entryMode = entry["mode"]?.string ?? "chat"
            guard entryMode == mode else { skip("mode \(entryMode), not \(mode)"); continue }
            guard let provider = entry["litellm_provider"]?.string, !provider.isEmpty else { skip("no litellm_provider"); continue }
            guard let inputPerToken = entry["input_cost_per_token"]?.decimal,
                  let outputPerToken = entry["output_cost_per_token"]?.decimal else {
                skip("no input_cost_per_token and output_cost_per_token")
                continue
            }
            guard let input = PriceFeed.perMillion(inputPerToken), let output = PriceFeed.perMillion(outputPerToken) else {
                skip("prices are not numbers")
                continue
            }
            if let reason = PriceFeed.objection(to: input, field: "input_cost_per_token")
                ?? PriceFeed.objection(to: output, field: "output_cost_per_token") {
                skip(reason)
                continue
            }
            // A detail price that cannot be taken leaves those tokens at the input or output price; the entry stays.
            func detailPrice(_ field: String) -> Double? {
                guard let perToken = entry[field]?.decimal, let price = PriceFeed.perMillion(perToken),
                      PriceFeed.objection(to: price, field: field) == nil else { return nil }
                return price
            }
            let name = key.hasPrefix(provider + "/") ? String(key.dropFirst(provider.count + 1)) : key
            let model = Model(
                id: provider + "/" + name, provider: provider,
                price: Price(inputUSDPerMTok: input, outputUSDPerMTok: output),
                contextWindow: entry["max_input_tokens"]?.integer ?? entry["max_tokens"]?.integer,
                capabilities: Set(capabilityFlags.compactMap { flag, capability in entry[flag]?.bool == true ? capability : nil }),
                maxOutputTokens: entry["max_output_tokens"]?.integer,
                cachedInputUSDPerMTok: detailPrice("cache_read_input_token_cost"),
                reasoningUSDPerMTok: detailPrice("output_cost_per_reasoning_token"))
            candidates.append((key, model))
        }
        // Where two keys name the same model (`deepseek-chat` and `deepseek/deepseek-chat`), the one
        // spelled as the id wins.
        var taken: [String: (key: String, model: Model)] = [:]
        for candidate in candidates.sorted(by: { ($0.key == $0.model.id ? 0 : 1) < ($1.key == $1.model.id ? 0 : 1) }) {
            if let earlier = taken[candidate.model.id] {
                let reason = earlier.model.price == candidate.model.price
                    ? "same model and price as entry '\(earlier.key)'"
                    : "same model as entry '\(earlier.key)', which is taken instead; this one's price differs"
                feed.skipped.append(.init(entry: candidate.key, line: lines[candidate.key], reason: reason))
                continue
            }
            taken[candidate.model.id] = candidate
        }
        feed.models = candidates.filter { taken[$0.model.id]?.key == $0.key }.map(\.model)
        return feed
    }

    /// The cost map's flag for each capability.
    static let capabilityFlags: [(String, Capability)] = [
        ("supports_function_calling", .tools), ("supports_vision", .vision), ("supports_response_schema", .jsonSchema),
    ]

    /// A cost map LiteLLM accepts as a custom `model_cost` map (`litellm.register_model(...)`):
    /// keys are the catalog ids, prices per token written exactly.
    public static func export(_ models: [Model]) -> String {
        let sorted = models.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        return JSONValue.object(sorted.map { model in
            var entry: [(String, JSONValue)] = [
                ("litellm_provider", .string(model.provider)),
                ("mode", .string("chat")),
                ("input_cost_per_token", .decimalText(perToken(model.price.inputUSDPerMTok))),
                ("output_cost_per_token", .decimalText(perToken(model.price.outputUSDPerMTok))),
            ]
            if let window = model.contextWindow {
                entry += [("max_input_tokens", .integer(window)), ("max_tokens", .integer(window))]
            }
            if let limit = model.maxOutputTokens { entry.append(("max_output_tokens", .integer(limit))) }
            if let cached = model.cachedInputUSDPerMTok { entry.append(("cache_read_input_token_cost", .decimalText(perToken(cached)))) }
            if let reasoning = model.reasoningUSDPerMTok {
                entry.append(("output_cost_per_reasoning_token", .decimalText(perToken(reasoning))))
            }
            for (flag, capability) in capabilityFlags where model.capabilities.contains(capability) { entry.append((flag, .bool(true))) }
            return (model.id, .object(entry))
        }).text() + "\n"
    }

    /// USD per million tokens as the exact decimal text of USD per token.
    static func perToken(_ perMillion: Double) -> String {
        guard let decimal = Decimal(string: DecimalFormat.string(perMillion)) else { return "0" }
        return "\(decimal / Decimal(1_000_000))"
    }
}

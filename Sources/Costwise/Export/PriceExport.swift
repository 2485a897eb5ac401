/// Every form the price table is exported in: Costwise's own tables, and the shapes LiteLLM and
/// OpenRouter read.
public enum PriceExport {
    public enum Format: String, Sendable, CaseIterable {
        case csv, json, markdown
        /// A custom `model_cost` map for LiteLLM.
        case litellm
        /// OpenRouter's `/models` listing.
        case openrouter
    }

    /// The price table of `models` in `format`, with prices exactly as entered.
    public static func text(_ models: [Model], format: Format) -> String {
        switch format {
        case .csv: PriceTable.export(models, format: .csv)
        case .json: PriceTable.export(models, format: .json)
        case .markdown: PriceTable.export(models, format: .markdown)
        case .litellm: LiteLLMCostMap.export(models)
        case .openrouter: OpenRouterListing.export(models)
        }
    }
}

extension PriceTable {
    /// The catalog's current prices, sorted by model id, exactly as they were entered.
    ///
    /// CSV has the header `model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier`,
    /// a trailing `request_usd` column when any model has a per-request price, after it
    /// `capabilities` and `max_output_tokens` when any model has either, and after those
    /// `cached_input_usd_per_mtok` and `reasoning_usd_per_mtok` when any model has either: a table
    /// without them reads as it did before they existed. JSON is an array of objects with all those
    /// keys (null or an empty list where there is none). Both import back unchanged.
    public static func export(_ models: [Model], format: ExportFormat) -> String {
        let sorted = models.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let withTokenPrices = sorted.contains { $0.cachedInputUSDPerMTok != nil || $0.reasoningUSDPerMTok != nil }
        let withAbilities = withTokenPrices || sorted.contains { !$0.capabilities.isEmpty || $0.maxOutputTokens != nil }
        let withRequestPrice = withAbilities || sorted.contains { $0.price.requestUSD != nil }
        let width = withTokenPrices ? columns.count : withAbilities ? columns.count - 2 : withRequestPrice ? columns.count - 4 : columns.count - 5
        let header = Array(columns.prefix(width))
        let rows = sorted.map { model in
            let cells: [String] = [
                model.id, model.provider,
                DecimalFormat.string(model.price.inputUSDPerMTok), DecimalFormat.string(model.price.outputUSDPerMTok),
                model.contextWindow.map(String.init) ?? "", model.tier.map(String.init) ?? "",
                model.price.requestUSD.map(DecimalFormat.string) ?? "",
                model.capabilities.joined(), model.maxOutputTokens.map(String.init) ?? "",
                model.cachedInputUSDPerMTok.map(DecimalFormat.string) ?? "", model.reasoningUSDPerMTok.map(DecimalFormat.string) ?? "",
            ]
            return Array(cells.prefix(width))
        }
        switch format {
        case .csv:
            return TableWriter.csv(header: header, rows: rows)
        case .markdown:
            return TableWriter.markdown(header: header, rows: rows, rightAligned: [2, 3, 4, 5, 6, 8, 9, 10])
        case .json:
            return JSONValue.array(sorted.map { model in
                .object([
                    ("model", .string(model.id)),
                    ("provider", .string(model.provider)),
                    ("input_usd_per_mtok", .number(model.price.inputUSDPerMTok)),
                    ("output_usd_per_mtok", .number(model.price.outputUSDPerMTok)),
                    ("context_window", .integer(model.contextWindow)),
                    ("tier", .integer(model.tier)),
                    ("request_usd", .numberOrNull(model.price.requestUSD)),
                    ("capabilities", .array(model.capabilities.sorted().map { .string($0.rawValue) })),
                    ("max_output_tokens", .integer(model.maxOutputTokens)),
                    ("cached_input_usd_per_mtok", .numberOrNull(model.cachedInputUSDPerMTok)),
                    ("reasoning_usd_per_mtok", .numberOrNull(model.reasoningUSDPerMTok)),
                ])
            }).text() + "\n"
        }
    }
}

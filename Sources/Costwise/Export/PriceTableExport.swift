extension PriceTable {
    /// The catalog's current prices, sorted by model id, exactly as they were entered.
    ///
    /// CSV has the header `model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier`,
    /// a trailing `request_usd` column when any model has a per-request price, and after it
    /// `capabilities` and `max_output_tokens` when any model has either; JSON is an array of objects
    /// with all those keys (null or an empty list where there is none). Both import back unchanged.
    public static func export(_ models: [Model], format: ExportFormat) -> String {
        let sorted = models.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let withAbilities = sorted.contains { !$0.capabilities.isEmpty || $0.maxOutputTokens != nil }
        let withRequestPrice = withAbilities || sorted.contains { $0.price.requestUSD != nil }
        let width = withAbilities ? columns.count : withRequestPrice ? columns.count - 2 : columns.count - 3
        let header = Array(columns.prefix(width))
        let rows = sorted.map { model in
            let cells = [
                model.id, model.provider,
                DecimalFormat.string(model.price.inputUSDPerMTok), DecimalFormat.string(model.price.outputUSDPerMTok),
                model.contextWindow.map(String.init) ?? "", model.tier.map(String.init) ?? "",
                model.price.requestUSD.map(DecimalFormat.string) ?? "",
                model.capabilities.joined(), model.maxOutputTokens.map(String.init) ?? "",
            ]
            return Array(cells.prefix(width))
        }
        switch format {
        case .csv:
            return TableWriter.csv(header: header, rows: rows)
        case .markdown:
            return TableWriter.markdown(header: header, rows: rows, rightAligned: [2, 3, 4, 5, 6])
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
                ])
            }).text() + "\n"
        }
    }
}

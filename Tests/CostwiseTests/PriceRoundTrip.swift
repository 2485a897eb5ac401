@testable import Costwise

/// Models written out in one of the price formats Costwise exports and read back, by id: what the
/// round-trip tests of each model field compare.
enum PriceRoundTrip {
    static let formats = ["csv", "json", "litellm", "openrouter"]

    static func models(_ models: [Model], through format: String) throws -> [String: Model] {
        let read: [Model]
        switch format {
        case "csv": read = try PriceTable.parse(Array(PriceTable.export(models, format: .csv).utf8), format: .csv, file: nil)
        case "json": read = try PriceTable.parse(Array(PriceTable.export(models, format: .json).utf8), format: .json, file: nil)
        case "litellm": read = try LiteLLMCostMap.parse(Array(LiteLLMCostMap.export(models).utf8), file: nil).models
        default: read = try OpenRouterListing.parse(Array(OpenRouterListing.export(models).utf8), file: nil).models
        }
        return Dictionary(uniqueKeysWithValues: read.map { ($0.id, $0) })
    }
}

import ArgumentParser
import Costwise

struct ModelsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a price table: Costwise CSV or JSON, LiteLLM's cost map or OpenRouter's model listing.",
        discussion: """
            A Costwise CSV or JSON file with any invalid line is refused whole. From LiteLLM and OpenRouter \
            files, entries that cannot be used (other modes, no price, variable or absurd prices) are \
            skipped and listed. Price changes by more than --max-change-factor, and prices dropping to \
            zero, are held back unless --accept-large-changes.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The price file.")
    var file: String
    @Option(help: "auto (tell from the content), csv, json, litellm or openrouter.")
    var format: PriceFile.Format = .auto
    @Option(help: "The LiteLLM mode to import.")
    var mode: String = "chat"
    @Option(help: "Hold back price changes larger than this factor.")
    var maxChangeFactor: Double = 10
    @Flag(help: "Apply large changes instead of holding them back.")
    var acceptLargeChanges = false
    @Flag(help: "Print what the import would change, and change nothing.")
    var dryRun = false

    func validate() throws {
        guard maxChangeFactor >= 1 else { throw ValidationError("--max-change-factor must be at least 1") }
    }

    func run() throws {
        let bytes = try InputFile.bytes(atPath: file)
        let imported = try PriceFile.importPrices(
            bytes, format: format, file: file, mode: mode, into: global.openStore(),
            guard: acceptLargeChanges ? .off : PriceGuard(maxChangeFactor: maxChangeFactor), dryRun: dryRun)
        let report = imported.report
        if global.json {
            Console.printJSON(report.json(format: imported.format, skipped: imported.feed.skipped))
        } else {
            Console.print(PriceImportText.render(report, skipped: imported.feed.skipped, file: file, format: imported.format.rawValue))
        }
        if !report.heldBack.isEmpty {
            Console.error("\(report.heldBack.count) price changes held back; check them, then import again with --accept-large-changes")
        }
    }
}

extension PriceFile.Format: ExpressibleByArgument {}

/// The readable form of a price import's report.
enum PriceImportText {
    static func render(_ report: PriceImportReport, skipped: [PriceFeed.SkippedEntry], file: String, format: String) -> String {
        func price(_ price: Price) -> String {
            var text = "\(DecimalFormat.string(price.inputUSDPerMTok)) / \(DecimalFormat.string(price.outputUSDPerMTok))"
            if let request = price.requestUSD { text += " + \(DecimalFormat.string(request)) a request" }
            return text
        }
        let would = report.dryRun ? "would be " : ""
        var lines = ["\(file) (\(format))\(report.dryRun ? ", dry run: nothing written" : ""): "
            + "\(report.added.count) \(would)added, \(report.changed.count) \(would)changed, \(report.heldBack.count) held back, "
            + "\(report.updated.count) \(would)updated, \(report.unchanged) unchanged, \(report.removed.count) no longer listed, "
            + "\(skipped.count) skipped"]
        for model in report.added { lines.append("  + \(model.id): \(price(model.price))") }
        for change in report.changed {
            lines.append("  ~ \(change.model): \(price(change.old)) -> \(price(change.new)) (x\(DecimalFormat.string(change.factor, places: 2)))")
        }
        for held in report.heldBack {
            lines.append("  ! \(held.change.model): \(price(held.change.old)) -> \(price(held.change.new)) held back: \(held.reason)")
        }
        for model in report.removed { lines.append("  - \(model): priced from \(format) before, not in this file (kept)") }
        if !skipped.isEmpty {
            lines.append("skipped:")
            var counts: [String: Int] = [:]
            for entry in skipped { counts[entry.reason.hasPrefix("mode ") ? entry.reason : "", default: 0] += 1 }
            for entry in skipped where !entry.reason.hasPrefix("mode ") {
                lines.append("  \(entry.entry)\(entry.line.map { " (line \($0))" } ?? ""): \(entry.reason)")
            }
            for (reason, count) in counts.sorted(by: { $0.key < $1.key }) where !reason.isEmpty {
                lines.append("  \(count) entries: \(reason)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import Costwise

struct ModelsHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A model's prices over time, with where each came from.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The model id.")
    var id: String

    func run() throws {
        let revisions = try global.openStore().priceHistory(model: id)
        if global.json {
            Console.printJSON(.array(revisions.map(\.json)))
            return
        }
        var table = TextTable(header: ["effective_at", "input_usd_per_mtok", "output_usd_per_mtok", "request_usd", "source", "sha256"],
                              numericColumns: [1, 2, 3])
        for revision in revisions {
            table.rows.append([
                RFC3339.string(fromSeconds: revision.effectiveAt), DecimalFormat.string(revision.price.inputUSDPerMTok),
                DecimalFormat.string(revision.price.outputUSDPerMTok), revision.price.requestUSD.map(DecimalFormat.string) ?? "",
                revision.source.description, revision.source.sha256.map { String($0.prefix(12)) } ?? "",
            ])
        }
        Console.print(table.render())
    }
}

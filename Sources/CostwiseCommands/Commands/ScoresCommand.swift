import ArgumentParser
import Costwise

struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Quality estimates per model and task type, with the evidence behind them.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this task type.")
    var task: String?

    func run() throws {
        let entries = try global.openStore().snapshot().scores(task: task)
        if global.json {
            Console.printJSON(.array(entries.map(\.json)))
            return
        }
        var table = TextTable(header: ["task", "model", "mean", "samples", "results", "prior_weight", "latency_p95_ms"],
                              numericColumns: [2, 3, 4, 5, 6])
        for entry in entries {
            table.rows.append([
                entry.task, entry.model, DecimalFormat.string(entry.quality.mean, places: 4), DecimalFormat.string(entry.quality.samples),
                String(entry.quality.results), DecimalFormat.string(entry.quality.priorWeight),
                entry.latencyP95Ms.map { DecimalFormat.string($0, places: 1) } ?? "",
            ])
        }
        Console.print(table.render())
    }
}

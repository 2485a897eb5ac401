import ArgumentParser
import Costwise

struct SelectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Print the cheapest model whose quality for a task type clears a threshold.",
        discussion: """
            Exit status 3 when no model qualifies; stderr says why, and --json prints the best candidate.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The task type (see `costwise tasks list`).")
    var task: String

    @OptionGroup var options: SelectionOptions

    @Flag(help: "Plain rule-based routing: the cheapest model in the task type's tier, quality not considered.")
    var byTier = false

    @Option(help: ArgumentHelp("Answer with the prices and evidence the store held at this time (RFC 3339).", valueName: "time"))
    var asOf: String?

    @Option(help: ArgumentHelp("Weigh each result by its age: half its weight every D days.", valueName: "D"))
    var halfLifeDays: Double?

    @Flag(help: "Log this selection, for `report savings` and `review` (the store setting log-selections logs every one).")
    var log = false

    func validate() throws {
        if let halfLifeDays, !(halfLifeDays > 0) { throw ValidationError("--half-life-days must be positive") }
        if let asOf, RFC3339.seconds(from: asOf) == nil { throw ValidationError("--as-of: '\(asOf)' is not an RFC 3339 time") }
    }

    func run() throws {
        var query = options.query(task: task)
        query.byTier = byTier
        query.asOf = asOf.flatMap(RFC3339.seconds(from:))
        query.halfLifeDays = halfLifeDays
        query.log = log
        try global.openStore().select(query).emit(json: global.json)
    }
}

/// The readable form of a selection.
enum SelectionText {
    static func render(_ selection: Selection) -> String {
        var lines: [String] = []
        if let chosen = selection.chosen {
            lines.append(chosen.model)
            lines.append(selection.byTier
                ? "  task \(selection.task.name), routed by tier \(selection.task.tier) (quality not considered)"
                : "  task \(selection.task.name), threshold \(number(selection.request.minQuality))")
            lines.append("  estimated cost \(number(chosen.estimatedCostUSD)) USD per request "
                + "(\(number(chosen.inputTokens)) input + \(number(chosen.outputTokens)) output tokens)")
            lines.append("  quality mean \(number(chosen.quality.mean, places: 4)), lower bound \(number(chosen.lowerBound, places: 4)) "
                + "at \(number(selection.confidence)), \(number(chosen.quality.samples)) samples")
        } else {
            lines.append("no qualifying model for task \(selection.task.name) at threshold \(number(selection.request.minQuality))")
            if let best = selection.best {
                lines.append("  best candidate \(best.model): mean \(number(best.quality.mean, places: 4)), "
                    + "lower bound \(number(best.lowerBound, places: 4)), \(number(best.quality.samples)) samples, \(best.reason)")
            }
        }
        if selection.request.explain {
            var table = TextTable(header: ["#", "model", "cost_usd", "mean", "lower_bound", "samples", "qualified", "reason"],
                                  numericColumns: [0, 2, 3, 4, 5])
            for (index, verdict) in selection.candidates.enumerated() {
                table.rows.append([
                    String(index + 1), verdict.model, number(verdict.estimatedCostUSD, places: 8),
                    number(verdict.quality.mean, places: 4), number(verdict.lowerBound, places: 4),
                    number(verdict.quality.samples), verdict.qualified ? "yes" : "no", verdict.reason,
                ])
            }
            lines.append("")
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double) -> String { DecimalFormat.string(value) }
    private static func number(_ value: Double, places: Int) -> String { DecimalFormat.string(value, places: places) }
}

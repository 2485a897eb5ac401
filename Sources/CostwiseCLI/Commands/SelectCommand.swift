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

    @Option(help: ArgumentHelp("The quality threshold Q in [0, 1] (default: the task type's, see `tasks set --min-quality`).", valueName: "Q"))
    var minQuality: Double?

    @Option(help: "Input tokens per request (default: measured for the model and task, else the task's default).")
    var inputTokens: Int?

    @Option(help: "Output tokens per request (default: measured for the model and task, else the task's default).")
    var outputTokens: Int?

    @Option(help: ArgumentHelp("Qualify on the one-sided Wilson lower bound at this level in (0, 1).", valueName: "C"))
    var confidence: Double?

    @Option(help: "The fewest samples (results plus prior weight) a quality estimate must rest on.")
    var minSamples: Double = 1

    @Option(help: ArgumentHelp("The highest estimated cost per request, in USD.", valueName: "X"))
    var maxCostUsd: Double?

    @Option(help: ArgumentHelp("The highest p95 latency measured for the model and task, in ms.", valueName: "L"))
    var maxLatencyMs: Double?

    @Option(name: .customLong("provider"), help: "Allow only this provider (repeatable).")
    var providers: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Never choose this model (repeatable).", valueName: "model"))
    var excludedModels: [String] = []

    @Flag(help: "Show every candidate and why it was or was not chosen.")
    var explain = false

    func validate() throws {
        if let minQuality, !(0...1).contains(minQuality) { throw ValidationError("--min-quality must be in [0, 1]") }
        if let confidence, !(confidence > 0 && confidence < 1) { throw ValidationError("--confidence must be in (0, 1)") }
        guard minSamples >= 0 else { throw ValidationError("--min-samples must be at least 0") }
        if let inputTokens, inputTokens < 0 { throw ValidationError("--input-tokens must be at least 0") }
        if let outputTokens, outputTokens < 0 { throw ValidationError("--output-tokens must be at least 0") }
        if let maxCostUsd, maxCostUsd < 0 { throw ValidationError("--max-cost-usd must be at least 0") }
        if let maxLatencyMs, maxLatencyMs < 0 { throw ValidationError("--max-latency-ms must be at least 0") }
    }

    func request(threshold: Double) -> SelectionRequest {
        SelectionRequest(
            task: task, minQuality: threshold, inputTokens: inputTokens, outputTokens: outputTokens,
            confidence: confidence, minSamples: minSamples, maxCostUSD: maxCostUsd, maxLatencyMs: maxLatencyMs,
            providers: providers, excludedModels: excludedModels, explain: explain)
    }

    func run() throws {
        let store = try global.openStore()
        let snapshot = try store.snapshot(onlyTask: task)
        let selection = try snapshot.select(request(threshold: minQuality ?? snapshot.defaultThreshold(for: task)))
        if global.json {
            Console.printJSON(selection.json)
        } else {
            Console.print(SelectionText.render(selection))
        }
        if selection.chosen == nil {
            if let reason = selection.failureReason { Console.error(reason) }
            throw ExitCode(CostwiseCommand.noQualifyingModelExitCode)
        }
    }
}

/// The readable form of a selection.
enum SelectionText {
    static func render(_ selection: Selection) -> String {
        var lines: [String] = []
        if let chosen = selection.chosen {
            lines.append(chosen.model)
            lines.append("  task \(selection.task.name), threshold \(number(selection.request.minQuality))")
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

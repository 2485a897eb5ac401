import ArgumentParser
import Costwise

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Per task type, the model in use at its threshold and one action: keep, upgrade, downgrade, explore or collapse.",
        discussion: """
            Evidence is weighted by age (--half-life-days). The model in use is the one that took most of the logged \
            selections over the last --window-days days, else the cheapest that clears the task type's threshold with \
            95% confidence. Task types without a threshold of their own are reviewed at 0.8. The text form ends \
            with each task classifier's last measured accuracy.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Half a result's weight every D days.", valueName: "D"))
    var halfLifeDays: Double = Review.defaultHalfLifeDays

    @Option(help: ArgumentHelp("The days of logged selections that give each task type's volume.", valueName: "days"))
    var windowDays: Double = Review.defaultWindowDays

    func validate() throws {
        guard halfLifeDays > 0 else { throw ValidationError("--half-life-days must be positive") }
        guard windowDays > 0 else { throw ValidationError("--window-days must be positive") }
    }

    func run() throws {
        let store = try global.openStore()
        let review = try Review(store: store, halfLifeDays: halfLifeDays, windowDays: windowDays)
        if global.json {
            Console.printJSON(.array(review.findings.map(\.json)))
            return
        }
        var table = TextTable(header: ["task", "threshold", "in use", "cost_usd", "action", "reason"], numericColumns: [1, 3])
        for finding in review.findings {
            table.rows.append([
                finding.task, DecimalFormat.string(finding.threshold) + (finding.thresholdIsFallback ? "*" : ""),
                finding.currentModel ?? "", finding.currentCostUSD.map { DecimalFormat.string($0, places: 6) } ?? "",
                finding.action.rawValue, finding.reason,
            ])
        }
        var text = table.render()
        if review.findings.contains(where: \.thresholdIsFallback) {
            text += "\n* the task type has no threshold of its own (`costwise tasks set NAME --min-quality Q`)"
        }
        // How far to trust routes that start from a description: each classifier's last measured accuracy.
        let evaluations = try store.latestClassifierEvaluations()
        if !evaluations.isEmpty {
            text += "\n\nclassifiers, as last evaluated (`costwise classifier evaluate`):"
            for evaluation in evaluations {
                text += "\n  \(evaluation.classifier): accuracy \(DecimalFormat.string(evaluation.accuracy, places: 4)) "
                    + "(\(evaluation.correct) of \(evaluation.examples)) on \(evaluation.source ?? "an unnamed set"), "
                    + RFC3339.string(fromSeconds: evaluation.at)
            }
        }
        Console.print(text)
    }
}

import ArgumentParser
import Costwise

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Choose a model per task type for a quality target on per-item results, and optionally write the choice into the store.",
        discussion: """
            Splits FILE as `replay` does and, on the training part alone, finds the cheapest choice of \
            one model per task type expected to hold --target-quality-ratio of the baseline's quality \
            on new items: on each model's quality as expected on new items, the training part is \
            optimized (exactly, over every combination) for the target plus the margin --folds-fold \
            cross-validation finds it needs (--folds 1: none). It \
            prints the method, the choices with their figures on the training part and on the \
            held-out part.

            --apply writes the choice into the store as each task type's default threshold (the one \
            `select` uses without --min-quality). It creates the task types the store lacks, records \
            the training part's results in the store (run `replay:FILE`, so applying again replaces \
            them), and sets each task type's threshold to the tuned model's quality mean there, as the \
            store's evidence now stands. `select --task T` then picks the cheapest model at least as \
            good as the tuned one: the tuned model itself, unless the store knows a cheaper model it \
            rates at least as high, which is the selection rule working as meant. The models must be \
            in the store (by id or alias).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ReplayInputOptions

    @Flag(help: "Write the choices into the store as the task types' default thresholds.")
    var apply = false

    func validate() throws {
        try input.validateValues()
    }

    func run() throws {
        let input = try input.replayInput()
        let bytes = try InputFile.bytes(atPath: input.file)
        if input.isSummary(bytes) {
            throw CommandError(description: "\(input.file): tune needs per-item results, not a summary")
        }
        var tuning = try ReplayTuning(input, bytes: bytes)
        if apply { try tuning.apply(to: global.openStore()) }
        Console.print(global.json ? tuning.json.text() : TuneText.render(tuning, storePath: global.storeName))
    }
}

/// The readable form of a tuning: its figures, the choice per task type and, when applied, what
/// `select` now picks.
enum TuneText {
    static func render(_ tuning: ReplayTuning, storePath: String) -> String {
        let (replay, optimization) = (tuning.replay, tuning.optimization)
        var lines = [
            "tuned on \(replay.split.trainingCount) training items of \(replay.dataset.tasks.count) task types for quality ratio "
                + "\(DecimalFormat.string(tuning.input.targetQualityRatio)) of \(tuning.baseline)"
                + (optimization.reachesTarget ? "" : " (not reachable on the training part; the best choice there)"),
            ReplayText.method(optimization),
            "training: quality_ratio \(number(optimization.trainingQualityRatio)), cost_ratio \(number(optimization.trainingCostRatio)); "
                + "held out: quality_ratio \(number(optimization.heldOut.qualityRatio)), cost_ratio \(number(optimization.heldOut.costRatio))",
            "",
        ]
        var table = TextTable(header: ["task", "model", "threshold"], numericColumns: [2])
        if let applied = tuning.applied {
            table = TextTable(header: ["task", "model", "threshold", "selected"], numericColumns: [2])
            for entry in applied {
                table.rows.append([entry.task, entry.tunedModel, number(entry.threshold), entry.selectedModel ?? "none"])
            }
        } else {
            for choice in optimization.choices { table.rows.append([choice.task, choice.model, number(choice.threshold)]) }
        }
        lines.append(table.render())
        if let applied = tuning.applied {
            let created = applied.count { $0.createdTaskType }
            let tunedPicked = applied.count { $0.selectedModel == $0.tunedModel }
            lines.append("")
            lines.append("applied to \(storePath): \(applied.count) default thresholds set (\(created) task types created), "
                + "training results recorded as run \(tuning.input.run); select picks the tuned model for \(tunedPicked) of \(applied.count) task types")
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double) -> String { DecimalFormat.string(value, places: 4) }
}

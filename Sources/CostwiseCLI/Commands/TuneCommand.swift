import ArgumentParser
import Costwise

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Choose a model per task type for a quality target on per-item results, and optionally write the choice into the store.",
        discussion: """
            Splits FILE as `replay` does and, on the training part alone, finds the cheapest choice of \
            one model per task type whose overall quality reaches --target-quality-ratio of the \
            baseline's (exactly, over every combination); it prints the choices with their figures on \
            the training part and on the held-out part.

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
        let bytes = try InputFile.bytes(atPath: input.file)
        if input.isSummary(bytes) {
            throw CommandError(description: "\(input.file): tune needs per-item results, not a summary")
        }
        let (replay, _) = try input.replay(bytes)
        let optimization = try replay.optimize(targetQualityRatio: input.targetQualityRatio, on: replay.frontier())
        let run = "replay:" + (input.file.split(separator: "/").last.map(String.init) ?? input.file)
        let applied = apply ? try replay.apply(optimization, to: global.openStore(), run: run) : []
        let baseline = replay.dataset.models[replay.baseline].id

        if global.json {
            guard case .object(let members) = optimization.json else { return }
            let split = JSONValue.object([
                ("training_fraction", .number(input.split)),
                ("seed", .decimalText(String(input.seed))),
                ("training_items", .integer(replay.split.trainingCount)),
                ("held_out_items", .integer(replay.split.heldOutCount)),
                ("task_types", .integer(replay.dataset.tasks.count)),
            ])
            var output: [(String, JSONValue)] = [("file", .string(input.file)), ("split", split), ("baseline", .string(baseline))] + members
            if apply {
                output.append(("run", .string(run)))
                output.append(("applied", .array(applied.map { entry in
                    .object([
                        ("task", .string(entry.task)),
                        ("tuned_model", .string(entry.tunedModel)),
                        ("threshold", .number(entry.threshold)),
                        ("selected_model", .stringOrNull(entry.selectedModel)),
                        ("created_task_type", .bool(entry.createdTaskType)),
                    ])
                })))
            }
            Console.printJSON(.object(output))
            return
        }

        func number(_ value: Double, places: Int = 4) -> String { DecimalFormat.string(value, places: places) }
        var lines = [
            "tuned on \(replay.split.trainingCount) training items of \(replay.dataset.tasks.count) task types for quality ratio "
                + "\(DecimalFormat.string(input.targetQualityRatio)) of \(baseline)"
                + (optimization.reachesTarget ? "" : " (not reachable on the training part; the best choice there)"),
            "training: quality_ratio \(number(optimization.trainingQualityRatio)), cost_ratio \(number(optimization.trainingCostRatio)); "
                + "held out: quality_ratio \(number(optimization.heldOut.qualityRatio)), cost_ratio \(number(optimization.heldOut.costRatio))",
            "",
        ]
        var table = TextTable(header: ["task", "model", "threshold"], numericColumns: [2])
        if apply {
            table = TextTable(header: ["task", "model", "threshold", "selected"], numericColumns: [2])
            for entry in applied {
                table.rows.append([entry.task, entry.tunedModel, number(entry.threshold), entry.selectedModel ?? "none"])
            }
        } else {
            for choice in optimization.choices { table.rows.append([choice.task, choice.model, number(choice.threshold)]) }
        }
        lines.append(table.render())
        if apply {
            let created = applied.count { $0.createdTaskType }
            let tunedPicked = applied.count { $0.selectedModel == $0.tunedModel }
            lines.append("")
            lines.append("applied to \(global.storePath): \(applied.count) default thresholds set (\(created) task types created), "
                + "training results recorded as run \(run); select picks the tuned model for \(tunedPicked) of \(applied.count) task types")
        }
        Console.print(lines.joined(separator: "\n"))
    }
}

import ArgumentParser
import Costwise
import FoundationEssentials

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Measure routing quality and cost on per-item results of several models on the same items.",
        discussion: """
            Items are split reproducibly by task type: --split of each task type's items feed a fresh \
            in-memory store (no store file is read or written), and every held-out item is routed by \
            that store's own selector for its task type and scored with the chosen model's result and \
            cost. Reported on the held-out part: every single model, the per-item oracle (the cheapest \
            model with the item's best score), the baseline, and a sweep of uniform thresholds, with \
            quality and cost as ratios of the baseline's. --optimize adds per-task-type choices made on \
            the training part alone to hold --target-quality-ratio on new items, and the curve of \
            choices over a range of training targets; "at_target" is each curve's cheapest held-out \
            point that reaches the target. To hold the target, the optimizer reads each model's quality \
            on a task type as expected on new items (its difference from the baseline shrunk toward its \
            usual difference as far as the task type's items leave it uncertain), and optimizes the \
            training part for the target plus a margin: --folds-fold cross-validation on the training \
            part finds the lowest training target whose choices, made without a fold, reach the target \
            on that fold, pooled over the folds, less one standard error (--folds 1: no margin). Where a task type has no model above a threshold, its items go to the selector's \
            best candidate (counted as fallback_items).

            A row's cost is its cost_usd, else the model's price at its tokens: input_tokens, else \
            prompt_chars / --chars-per-token, else --input-tokens (output likewise with output_tokens, \
            response_chars and --output-tokens). Prices come from the bundled catalog unless --prices \
            names a price file; --model-map and --alias map the file's model names to priced ids. A \
            model with no price needs cost_usd on every row of it; the selector then ranks it at its \
            rows' total cost over their total tokens.

            With --format summary (FrugalGPT's layout: dataset, method, train_acc, test_acc, \
            train_cost_usd_per_query, test_cost_usd_per_query, budget_usd_per_query), it picks per data \
            set the cheapest model within --quality-tolerance of the best model's training accuracy and \
            scores it on the test figures, beside the cascade point chosen the same way.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ReplayInputOptions

    @Flag(help: "Also choose a model per task type on the training part for the target, and its curve.")
    var optimize = false

    @Option(help: ArgumentHelp("Draw the cost–quality plane as SVG to this file.", valueName: "OUT.svg"))
    var chart: String?

    @Option(help: ArgumentHelp("Summary files: how far below the best model's training accuracy the choice may be (0.01 is one point).", valueName: "T"))
    var qualityTolerance: Double = 0.01

    func validate() throws {
        try input.validateValues()
        guard (0..<1).contains(qualityTolerance) else { throw ValidationError("--quality-tolerance must be in [0, 1)") }
    }

    func run() throws {
        let input = try input.replayInput()
        let bytes = try InputFile.bytes(atPath: input.file)
        if input.isSummary(bytes) {
            if chart != nil || optimize {
                throw CommandError(description: "\(input.file): --chart and --optimize need per-item results, not a summary")
            }
            let outcomes = try SummaryReplay.replay(SummaryReplay.parse(bytes, file: input.file), tolerance: qualityTolerance)
            if global.json {
                Console.printJSON(SummaryReplay.json(outcomes, file: input.file, tolerance: qualityTolerance))
            } else {
                Console.print(ReplayText.summary(outcomes, file: input.file, tolerance: qualityTolerance))
            }
            return
        }

        let (replay, pricing) = try input.replay(bytes)
        let report = try replay.report(targetQualityRatio: input.targetQualityRatio, optimize: optimize, folds: input.folds)
        if let chart {
            do {
                try Data(ReplayChart.svg(report, title: input.chartTitle).utf8).write(to: URL(fileURLWithPath: chart))
            } catch {
                throw CommandError(description: "\(chart): cannot write: \(error)")
            }
        }
        if global.json {
            Console.printJSON(report.json(input: input, pricing: pricing))
        } else {
            Console.print(ReplayText.render(report, file: input.file, pricing: pricing))
        }
    }
}

/// What `replay` and `tune` read: the file, how to read, price and split it, and the baseline and target.
struct ReplayInputOptions: ParsableArguments {
    @Argument(help: "Per-item results (task, item, model, score, and optionally input_tokens, output_tokens, cost_usd, prompt_chars, response_chars), or a summary.")
    var file: String

    @Option(help: "auto (tell from the content), csv, jsonl, or summary.")
    var format: ReplayInput.Format = .auto

    @Option(help: ArgumentHelp("The share of each task type's items that trains the store, in (0, 1).", valueName: "fraction"))
    var split: Double = 0.5

    @Option(help: "The seed of the split: the same file, split and seed always split the same way.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The model whose quality and cost the ratios are of (default: the best single model on the training part).", valueName: "model"))
    var baseline: String?

    @Option(help: ArgumentHelp("The quality target, as a ratio of the baseline's quality.", valueName: "R"))
    var targetQualityRatio: Double = 0.95

    @Option(help: ArgumentHelp("Cross-validation folds that set the margin a choice needs to hold the target on new items; 1 for no margin.", valueName: "K"))
    var folds: Int = ReplayMargin.defaultFolds

    @Option(help: ArgumentHelp("Price the models from this price file (any format `models import` reads) instead of the bundled catalog.", valueName: "file"))
    var prices: String?

    @Option(help: ArgumentHelp("Map the file's model names to priced model ids: a JSON object or CSV with columns from,to.", valueName: "file"))
    var modelMap: String?

    @Option(name: .customLong("alias"), help: ArgumentHelp("Map one model name to a priced id (repeatable).", valueName: "NAME=ID"))
    var aliases: [String] = []

    @Option(help: "Characters per token, to estimate tokens from prompt_chars and response_chars.")
    var charsPerToken: Double = ReplayPricing.defaultCharsPerToken

    @Option(help: "Input tokens of a row that gives neither input_tokens nor prompt_chars.")
    var inputTokens: Int = TaskType.defaultInputTokens

    @Option(help: "Output tokens of a row that gives neither output_tokens nor response_chars.")
    var outputTokens: Int = TaskType.defaultOutputTokens

    @Option(help: ArgumentHelp("The top of the file's score scale: scores are divided by it (10 for a 1–10 judge).", valueName: "S"))
    var scoreScale: Double = 1

    func validateValues() throws {
        guard split > 0 && split < 1 else { throw ValidationError("--split must be in (0, 1)") }
        guard targetQualityRatio > 0 && targetQualityRatio.isFinite else { throw ValidationError("--target-quality-ratio must be above 0") }
        guard folds >= 1 else { throw ValidationError("--folds must be at least 1") }
        guard charsPerToken > 0 && charsPerToken.isFinite else { throw ValidationError("--chars-per-token must be above 0") }
        guard inputTokens >= 0 else { throw ValidationError("--input-tokens must be at least 0") }
        guard outputTokens >= 0 else { throw ValidationError("--output-tokens must be at least 0") }
        guard scoreScale > 0 && scoreScale.isFinite else { throw ValidationError("--score-scale must be above 0") }
        _ = try aliasMap()
    }

    func aliasMap() throws -> [String: String] {
        var map: [String: String] = [:]
        for alias in aliases {
            guard let equals = alias.firstIndex(of: "="), equals != alias.startIndex, alias.index(after: equals) != alias.endIndex else {
                throw ValidationError("--alias '\(alias)' is not NAME=ID")
            }
            map[String(alias[..<equals])] = String(alias[alias.index(after: equals)...])
        }
        return map
    }

    /// What the options ask to read.
    func replayInput() throws -> ReplayInput {
        ReplayInput(file: file, format: format, split: split, seed: seed, baseline: baseline, targetQualityRatio: targetQualityRatio,
                    folds: folds, prices: prices, modelMap: modelMap, aliases: try aliasMap(), charsPerToken: charsPerToken,
                    defaultInputTokens: inputTokens, defaultOutputTokens: outputTokens, scoreScale: scoreScale)
    }
}

extension ReplayInput.Format: ExpressibleByArgument {}

/// The readable form of replay reports.
enum ReplayText {
    static func render(_ report: ReplayReport, file: String, pricing: ReplayPricing) -> String {
        var lines: [String] = []
        let items = report.trainingItems + report.heldOutItems
        lines.append("\(file): \(items) items of \(report.taskTypes) task types, \(report.models.count) models")
        if let fraction = report.trainingFraction, let seed = report.seed {
            lines.append("split \(number(fraction)), seed \(seed): \(report.trainingItems) items train a fresh store, \(report.heldOutItems) are held out")
        }
        let prices = report.models.map { model in
            "\(model.id) \(number(model.price.inputUSDPerMTok))/\(number(model.price.outputUSDPerMTok))"
                + (report.modelsPricedByRows.contains(model.id) ? " (from its rows' cost_usd)" : "")
        }
        lines.append("prices (USD per million input/output tokens) from the \(pricing.source): " + prices.joined(separator: ", "))
        lines.append("baseline: \(report.baseline.label); costs are means per held-out request")
        lines.append("")

        var table = TextTable(header: ["held out", "quality", "quality_ratio", "cost_per_1k_requests_usd", "cost_ratio"],
                              numericColumns: [1, 2, 3, 4])
        for point in report.singleModels + [report.oracle] { table.rows.append(row(point.label, point)) }
        lines.append(table.render())
        lines.append("")

        lines.append("at quality ratio >= \(number(report.targetQualityRatio)), the cheapest held-out point of")
        lines.append("  the sweep:           " + (report.sweepAtTarget.map(summary) ?? "none reaches it"))
        if report.optimized != nil {
            lines.append("  the optimized curve: " + (report.optimizedCurveAtTarget.map(summary) ?? "none reaches it"))
        }
        if let optimized = report.optimized {
            let counts = Dictionary(grouping: optimized.choices, by: \.model).mapValues(\.count)
            let shares = counts.keys.sorted().map { "\(counts[$0] ?? 0) on \($0)" }.joined(separator: ", ")
            lines.append("chosen on the training part alone for \(number(optimized.targetQualityRatio))"
                + (optimized.reachesTarget ? ":" : " (not reachable there; the best choice):"))
            lines.append("  " + ReplayText.method(optimized))
            lines.append("  held out: quality_ratio \(number(optimized.heldOut.qualityRatio, places: 4)), "
                + "cost_ratio \(number(optimized.heldOut.costRatio, places: 4)); training: quality_ratio "
                + "\(number(optimized.trainingQualityRatio, places: 4)), cost_ratio \(number(optimized.trainingCostRatio, places: 4))")
            lines.append("  task types: \(shares)")
        }
        lines.append("")

        var sweep = TextTable(header: ["threshold", "quality", "quality_ratio", "cost_per_1k_requests_usd", "cost_ratio", "fallback_items"],
                              numericColumns: [0, 1, 2, 3, 4, 5])
        for point in report.sweep {
            sweep.rows.append(row(number(point.threshold ?? 0, places: 4), point) + [String(point.fallbackItems)])
        }
        lines.append(sweep.render())
        if !report.optimizedCurve.isEmpty {
            lines.append("")
            var curve = TextTable(header: ["training_target", "quality", "quality_ratio", "cost_per_1k_requests_usd", "cost_ratio"],
                                  numericColumns: [0, 1, 2, 3, 4])
            for point in report.optimizedCurve { curve.rows.append(row(number(point.trainingTarget ?? 0, places: 4), point)) }
            lines.append(curve.render())
        }
        return lines.joined(separator: "\n")
    }

    static func summary(_ outcomes: [SummaryReplay.Outcome], file: String, tolerance: Double) -> String {
        var table = TextTable(
            header: ["data_set", "best", "best_acc", "best_cost_per_1k_usd", "chosen", "chosen_acc", "chosen_cost_per_1k_usd",
                     "saving_pct", "cascade_acc", "cascade_cost_per_1k_usd", "cascade_saving_pct"],
            numericColumns: [2, 3, 5, 6, 7, 8, 9, 10])
        for outcome in outcomes {
            table.rows.append([
                outcome.task, outcome.best.model, number(outcome.best.quality, places: 4), number(outcome.best.costUSD * 1_000, places: 4),
                outcome.chosen.model, number(outcome.chosen.quality, places: 4), number(outcome.chosen.costUSD * 1_000, places: 4),
                number(outcome.saving(outcome.chosen) * 100, places: 1),
                outcome.cascade.map { number($0.quality, places: 4) } ?? "",
                outcome.cascade.map { number($0.costUSD * 1_000, places: 4) } ?? "",
                outcome.cascade.map { number(outcome.saving($0) * 100, places: 1) } ?? "",
            ])
        }
        return "\(file): per data set, the cheapest single model within \(number(tolerance)) of the best model's training accuracy, "
            + "and the cheapest cascade point chosen the same way; accuracy and cost are the test figures, saving is of the best model's test cost\n\n"
            + table.render()
    }

    /// How the choice was made: the margin, the folds and what they expect, or no margin.
    static func method(_ optimization: ReplayOptimization) -> String {
        guard let margin = optimization.margin else {
            return "optimized for the target itself on the training part (no margin)"
        }
        return "\(margin.folds)-fold cross-validation on the training part: margin \(number(margin.margin, places: 4)), "
            + "optimized for \(number(margin.trainingTarget, places: 4)); expected on new items: quality_ratio "
            + "\(number(margin.expectedQualityRatio, places: 4)) ± \(number(margin.standardError, places: 4)), "
            + "cost_ratio \(number(margin.expectedCostRatio, places: 4))"
    }

    private static func row(_ label: String, _ point: ReplayPoint) -> [String] {
        [label, number(point.quality, places: 4), number(point.qualityRatio, places: 4),
         number(point.costUSD * 1_000, places: 6), number(point.costRatio, places: 4)]
    }

    private static func summary(_ point: ReplayPoint) -> String {
        "\(point.label): quality_ratio \(number(point.qualityRatio, places: 4)), cost_ratio \(number(point.costRatio, places: 4))"
    }

    private static func number(_ value: Double) -> String { DecimalFormat.string(value) }
    private static func number(_ value: Double, places: Int) -> String { DecimalFormat.string(value, places: places) }
}

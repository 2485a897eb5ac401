import ArgumentParser
import Costwise

struct EvalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evals",
        abstract: "Take evaluation runs into the store.",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Record a whole evaluation run: all of it, or nothing.",
            discussion: """
                Formats: Costwise JSONL or CSV (fields model, task, score 0 to 1 or passed true/false; optional \
                run, item, cost_usd, latency_ms, input_tokens, output_tokens, at as RFC 3339), Inspect AI logs \
                (.json or .eval) and lm-evaluation-harness logs (per-sample JSONL or the results JSON). \
                Importing the same run again replaces its results; a result with neither run nor item is \
                always new.
                """)
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The results file.")
        var file: String
        @Option(help: "auto (tell from the content), jsonl, csv, inspect or lm-eval.")
        var format: EvaluationImport.Format = .auto
        @Option(help: "Record every result for this model, whatever the file says.")
        var model: String?
        @Option(help: "Record every result for this task type, whatever the file says.")
        var task: String?
        @Option(help: ArgumentHelp("Map the file's task names to task types: a JSON object or CSV with columns from,to.", valueName: "file"))
        var taskMap: String?
        @Option(help: "The Inspect AI scorer to read (default: the log's headline scorer).")
        var scorer: String?

        func run() throws {
            let bytes = try InputFile.bytes(atPath: file)
            let map = try taskMap.map { try EvaluationImport.taskMap(InputFile.bytes(atPath: $0), file: $0) } ?? [:]
            let reader = EvaluationImport(model: model, task: task, taskMap: map, scorer: scorer)
            let (format, report) = try reader.record(bytes, format: format, file: file, in: global.openStore())
            if global.json {
                Console.printJSON(report.json(format: format))
            } else {
                Console.print("\(file) (\(format.rawValue)): \(report.inserted) new results, \(report.replaced) replaced, "
                    + "\(report.pairs) model/task pairs updated")
            }
        }
    }
}

extension EvaluationImport.Format: ExpressibleByArgument {}

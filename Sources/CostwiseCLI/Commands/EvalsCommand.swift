import ArgumentParser
import Costwise

struct EvalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evals",
        abstract: "Take evaluation runs into the store.",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a whole evaluation run (JSONL or CSV): all of it, or nothing.",
            discussion: """
                Fields: model, task, score (0 to 1) or passed (true/false); optional run, item, cost_usd,
                latency_ms, input_tokens, output_tokens, at (RFC 3339). Importing the same run again replaces
                its results; a result with neither run nor item is always new.
                """)
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The results file.")
        var file: String
        @Option(help: "auto (tell from the content), jsonl or csv.")
        var format: ImportFormat = .auto

        enum ImportFormat: String, ExpressibleByArgument, CaseIterable {
            case auto, jsonl, csv
        }

        func run() throws {
            let bytes = try InputFile.bytes(atPath: file)
            let fileFormat: EvaluationFile.Format = switch format {
            case .auto: EvaluationFile.detectFormat(bytes)
            case .jsonl: .jsonl
            case .csv: .csv
            }
            let parsed = try EvaluationFile.parse(bytes, format: fileFormat, file: file)
            let report = try global.openStore().recordResults(parsed.map(\.result), lines: parsed.map(\.line), file: file)
            if global.json {
                Console.printJSON(report.json)
            } else {
                Console.print("\(file): \(report.inserted) new results, \(report.replaced) replaced, "
                    + "\(report.pairs) model/task pairs updated")
            }
        }
    }
}

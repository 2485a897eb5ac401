import ArgumentParser
import Costwise

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record one evaluation result.",
        discussion: "Recording the same (model, task, run, item) again replaces the earlier result.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The model id.")
    var model: String
    @Option(help: "The task type.")
    var task: String
    @Option(help: "The quality score in [0, 1].")
    var score: Double
    @Option(name: .customLong("run"), help: "The evaluation run.")
    var runName: String?
    @Option(help: "The item within the run.")
    var item: String?
    @Option(help: "What the request cost, in USD.")
    var costUsd: Double?
    @Option(help: "How long the request took, in ms.")
    var latencyMs: Double?
    @Option(help: "Input tokens of the request.")
    var inputTokens: Int?
    @Option(help: "Output tokens of the request.")
    var outputTokens: Int?

    func validate() throws {
        guard score.isFinite, (0...1).contains(score) else { throw ValidationError("--score must be in [0, 1]") }
        if let costUsd, !(costUsd.isFinite && costUsd >= 0) { throw ValidationError("--cost-usd must be a number ≥ 0") }
        if let latencyMs, !(latencyMs.isFinite && latencyMs >= 0) { throw ValidationError("--latency-ms must be a number ≥ 0") }
        if let inputTokens, inputTokens < 0 { throw ValidationError("--input-tokens must be at least 0") }
        if let outputTokens, outputTokens < 0 { throw ValidationError("--output-tokens must be at least 0") }
    }

    func run() throws {
        let result = EvaluationResult(
            model: model, task: task, score: score, run: runName, item: item, costUSD: costUsd, latencyMs: latencyMs,
            inputTokens: inputTokens, outputTokens: outputTokens)
        let report = try global.openStore().record(result)
        if global.json {
            Console.printJSON(report.json)
        } else {
            Console.print(report.replaced > 0 ? "replaced the earlier result for \(model) on \(task)" : "recorded \(model) on \(task)")
        }
    }
}

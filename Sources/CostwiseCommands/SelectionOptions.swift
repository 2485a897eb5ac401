import ArgumentParser
import Costwise

/// The options of a selection that `select` and `route` share: the threshold and every limit.
struct SelectionOptions: ParsableArguments {
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

    @Option(name: .customLong("require"),
            help: ArgumentHelp("Only models with this capability (repeatable).", valueName: "capability"))
    var requiredCapabilities: [Capability] = []

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

    /// The selection of a model for `task`: at `--min-quality`, else at the task type's default threshold.
    func query(task: String) -> SelectionQuery {
        SelectionQuery(request: request(task: task, threshold: minQuality ?? 0), usesDefaultThreshold: minQuality == nil)
    }

    func request(task: String, threshold: Double) -> SelectionRequest {
        SelectionRequest(
            task: task, minQuality: threshold, inputTokens: inputTokens, outputTokens: outputTokens,
            confidence: confidence, minSamples: minSamples, maxCostUSD: maxCostUsd, maxLatencyMs: maxLatencyMs,
            providers: providers, excludedModels: excludedModels,
            requiredCapabilities: Set(requiredCapabilities), explain: explain)
    }
}

extension Selection {
    /// Prints the answer (after the classification that named its task type, when one did), and
    /// exits 3 with the reason on stderr when no model qualifies.
    func emit(json: Bool, classifiedAs classification: TaskClassification? = nil) throws {
        if json {
            Console.printJSON(classification.map(self.json(classifiedAs:)) ?? self.json)
        } else {
            if let classification { Console.print("classified as " + ClassificationText.render(classification)) }
            Console.print(SelectionText.render(self))
        }
        if chosen == nil {
            if let reason = failureReason { Console.error(reason) }
            throw ExitCode(CostwiseCommand.noQualifyingModelExitCode)
        }
    }
}

import ArgumentParser
import Costwise
import FoundationEssentials

struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Print the task type of a task description.",
        discussion: """
            Classifiers: rules (keywords and patterns from data/classifier-rules.json, or --rules FILE), bayes \
            (naive Bayes trained on the bundled labelled set; `costwise classifier train` trains others under \
            their own names) and llm (asks the cheapest model that qualifies for classification through the \
            OpenAI-compatible endpoint in COSTWISE_LLM_BASE_URL, with COSTWISE_LLM_API_KEY; falls back to the \
            rules and says why when it cannot answer).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var classifierOptions: ClassifierOptions

    @Argument(help: "The task description.")
    var text: String

    func run() async throws {
        let store = try global.openStore()
        let classification = try await classifierOptions.withClassifier(store: store) { await $0.classify(text) }
        if global.json {
            Console.printJSON(classification.json)
        } else {
            Console.print(ClassificationText.render(classification))
        }
    }
}

/// The options that choose and configure a task classifier: `classify`, `route` and
/// `classifier evaluate` take them.
struct ClassifierOptions: ParsableArguments {
    @Option(help: ArgumentHelp("rules, llm, or a trained classifier's name (default: bayes when the store has it, else rules).",
                               valueName: "name"))
    var classifier: String?

    @Option(help: ArgumentHelp("A rules file to use instead of the bundled rules (a JSON array of rules).", valueName: "file"))
    var rules: String?

    @Option(help: ArgumentHelp("How long the llm classifier waits for an answer before falling back to the rules.", valueName: "ms"))
    var timeoutMs: Int = LLMEndpoint.defaultTimeoutMs

    func validate() throws {
        guard timeoutMs > 0 else { throw ValidationError("--timeout-ms must be greater than 0") }
    }

    /// Runs `body` with the classifier named by `--classifier`, else the store's default, and the
    /// rules from `--rules`, else the bundled ones. Only the llm classifier takes the network stack
    /// (in `costwise`, that hands the command over to `costwise-net`).
    func withClassifier<Answer>(store: SQLiteStore, _ body: (any TaskClassifier) async throws -> Answer) async throws -> Answer {
        let endpoint = LLMEndpoint.from(environment: ProcessInfo.processInfo.environment, timeoutMs: timeoutMs)
        let choice = try ClassifierChoice.named(classifier, in: store)
        func make(_ transport: (any HTTPTransport)?) throws -> any TaskClassifier {
            try choice.makeClassifier(store: store, rulesFile: rules, endpoint: endpoint, transport: transport)
        }
        guard choice == .llm else { return try await body(make(nil)) }
        return try await Network.stack.withTransport { transport in try await body(make(transport)) }
    }
}

/// The readable form of a classification: `reasoning (confidence 0.97, bayes)`, and why the rules
/// answered when the LLM could not.
enum ClassificationText {
    static func render(_ classification: TaskClassification) -> String {
        var line = "\(classification.task) (confidence \(DecimalFormat.string(classification.confidence, places: 4)), "
            + "\(classification.classifier))"
        if let reason = classification.fallbackReason {
            line += "\n  the llm classifier\(classification.model.map { " (\($0))" } ?? "") did not answer: \(reason)"
        }
        return line
    }
}

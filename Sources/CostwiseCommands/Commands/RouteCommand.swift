import ArgumentParser
import Costwise

struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Classify a task description, then print the cheapest model whose quality for that task type clears a threshold.",
        discussion: """
            The answer is `select`'s for the task type the classifier read, with "classified_as" added to --json. \
            Exit status 3 when no model qualifies, as for select.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var classifierOptions: ClassifierOptions

    @Argument(help: "The task description.")
    var text: String

    @OptionGroup var options: SelectionOptions

    func run() async throws {
        let store = try global.openStore()
        let classification = try await classifierOptions.withClassifier(store: store) { await $0.classify(text) }
        let snapshot = try store.snapshot()
        let selection = try snapshot.select(options.query(task: classification.task).request(in: snapshot))
        try selection.emit(json: global.json, classifiedAs: classification)
    }
}

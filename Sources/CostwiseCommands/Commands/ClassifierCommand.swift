import ArgumentParser
import Costwise

struct ClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Train task classifiers on labelled task descriptions, and measure how well they classify.",
        discussion: """
            Labelled files are JSONL, one {"text", "task"} object a line, with an optional "split" (the bundled \
            data/labelled-tasks.jsonl uses train and held-out); --split keeps only the lines of one split.
            """,
        subcommands: [Train.self, Evaluate.self, List.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a naive Bayes classifier and keep it in the store, replacing one of the same name.")
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The labelled examples (JSONL).")
        var file: String
        @Option(help: "The name to keep it under; `classify --classifier NAME` uses it.")
        var name = ClassifierChoice.bayes.name
        @Option(help: "Train only on the lines whose split is this.")
        var split: String?

        func validate() throws {
            do {
                try ClassifierChoice.checkTrainedName(name)
            } catch let error as InputError {
                throw ValidationError("--name: \(error.message)")
            }
        }

        func run() throws {
            let store = try global.openStore()
            let examples = try LabelledExampleFile.parse(InputFile.bytes(atPath: file), file: file,
                                                         taskTypes: Set(store.taskTypes().map(\.name)), split: split)
            let classifier = NaiveBayesClassifier.train(name: name, examples: examples)
            let trained = TrainedClassifier(classifier, trainedAt: RFC3339.now)
            try store.saveClassifier(trained)
            if global.json {
                Console.printJSON(trained.json(tasks: classifier.tasks))
            } else {
                Console.print("trained \(name) (\(trained.kind)) on \(trained.examples) examples of \(classifier.tasks.count) task types "
                    + "from \(Evaluate.source(file: file, split: split))")
            }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Classify labelled examples, report accuracy and the confusion matrix, and keep the result in the store.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var classifierOptions: ClassifierOptions

        @Argument(help: "The labelled examples (JSONL).")
        var file: String
        @Option(help: "Evaluate only on the lines whose split is this.")
        var split: String?

        static func source(file: String, split: String?) -> String {
            file + (split.map { " (split \($0))" } ?? "")
        }

        func run() async throws {
            let store = try global.openStore()
            let examples = try LabelledExampleFile.parse(InputFile.bytes(atPath: file), file: file,
                                                         taskTypes: Set(store.taskTypes().map(\.name)), split: split)
            let evaluation = try await classifierOptions.withClassifier(store: store) { classifier in
                await ClassifierEvaluation.evaluate(classifier, on: examples, source: Self.source(file: file, split: split))
            }
            try store.recordClassifierEvaluation(evaluation)
            if global.json {
                Console.printJSON(evaluation.json)
            } else {
                Console.print(EvaluationText.render(evaluation))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "The classifiers (rules, llm and those trained in the store) with their latest evaluation.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let rows = try ClassifierListing.all(in: global.openStore())
            if global.json {
                Console.printJSON(.array(rows.map(\.json)))
                return
            }
            var table = TextTable(header: ["name", "kind", "examples", "trained_at", "accuracy", "evaluated_on", "evaluated_at"],
                                  numericColumns: [2, 4])
            for row in rows {
                let evaluation = row.latestEvaluation
                table.rows.append([
                    row.name, row.kind, row.trained.map { String($0.examples) } ?? "",
                    row.trained.map { RFC3339.string(fromSeconds: $0.trainedAt) } ?? "",
                    evaluation.map { DecimalFormat.string($0.accuracy, places: 4) } ?? "",
                    evaluation.map { "\($0.examples) of \($0.source ?? "unnamed examples")" } ?? "",
                    evaluation.map { RFC3339.string(fromSeconds: $0.at) } ?? "",
                ])
            }
            Console.print(table.render())
        }
    }
}

/// The readable form of a classifier evaluation: the accuracy, then the confusion matrix with
/// numbered columns so that twelve task types fit a terminal.
enum EvaluationText {
    static func render(_ evaluation: ClassifierEvaluation) -> String {
        var lines = ["\(evaluation.classifier) on \(evaluation.source ?? "the examples"): \(evaluation.examples) examples, "
            + "\(evaluation.correct) correct, accuracy \(DecimalFormat.string(evaluation.accuracy, places: 4))"]
        if let fallbacks = evaluation.fallbacks, fallbacks > 0 {
            lines.append("\(fallbacks) answers came from the rules: the llm classifier could not answer")
        }
        let confusion = evaluation.confusion
        let numbers = confusion.labels.indices.map { String($0 + 1) }
        var table = TextTable(header: ["#", "label \\ answer"] + numbers + ["correct"],
                              numericColumns: Set([0] + Array(2...(confusion.labels.count + 2))))
        for (row, label) in confusion.labels.enumerated() {
            let counts = confusion.counts[row]
            table.rows.append([String(row + 1), label] + counts.map { $0 == 0 ? "." : String($0) }
                + ["\(counts[row])/\(counts.reduce(0, +))"])
        }
        lines.append("")
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}

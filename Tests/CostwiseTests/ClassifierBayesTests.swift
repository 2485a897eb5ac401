import Foundation
import Testing
@testable import Costwise

struct ClassifierBayesTests {
    @Test("Features are the distinct unigrams and bigrams, with a marker for the first word")
    func features() {
        #expect(TextTokens.words("What's the ROI, 2x?") == ["what", "s", "the", "roi", "2x"])
        #expect(TextTokens.features("Prove it, prove it") == ["^ prove", "prove", "prove it", "it", "it prove"])
        #expect(TextTokens.features(" ,; ").isEmpty)
    }

    @Test("The posterior follows the multinomial formula with Laplace smoothing, counting a feature once per text")
    func posteriorByHand() throws {
        let classifier = NaiveBayesClassifier.train(name: "toy", examples: [
            LabelledExample(text: "prove it", task: "reasoning"),
            LabelledExample(text: "prove prove that", task: "reasoning"),
            LabelledExample(text: "sum it", task: "summarization"),
        ])
        #expect(classifier.tasks == ["reasoning", "summarization"])
        #expect(classifier.exampleCount == 3)

        // Features: reasoning {^ prove ×2, prove ×2, prove it, it, prove prove, prove that, that} = 9;
        // summarization {^ sum, sum, sum it, it} = 4; vocabulary 10 ("it" is in both). "prove it" has features
        // ^ prove, prove, prove it, it.
        let vocabulary = 10.0
        let reasoning = log(2.0 / 3) + log(3 / (9 + vocabulary)) + log(3 / (9 + vocabulary)) + log(2 / (9 + vocabulary))
            + log(2 / (9 + vocabulary))
        let summarization = log(1.0 / 3) + 3 * log(1 / (4 + vocabulary)) + log(2 / (4 + vocabulary))
        let expected = 1 / (1 + exp(summarization - reasoning))

        let answer = classifier.classify("prove it")
        #expect(answer.task == "reasoning")
        #expect(abs(answer.confidence - expected) < 1e-12, "\(answer.confidence) vs \(expected)")
        #expect(answer.classifier == "toy")
        // Words never seen in training change nothing.
        #expect(classifier.classify("prove it zebra").confidence == answer.confidence)
        #expect(classifier.classify("sum").task == "summarization")
    }

    @Test("Parameters written as JSON read back into the same classifier, and the same training writes the same text")
    func parametersRoundTrip() throws {
        let examples = try BundledCatalog.labelledTasks(split: BundledCatalog.trainSplit)
        let trained = NaiveBayesClassifier.train(name: "bayes", examples: examples)
        let restored = try NaiveBayesClassifier(name: "bayes", parametersJSON: trained.parametersJSON)
        #expect(NaiveBayesClassifier.train(name: "bayes", examples: examples.reversed()).parametersJSON == trained.parametersJSON)
        for example in try BundledCatalog.labelledTasks(split: BundledCatalog.heldOutSplit) {
            #expect(restored.classify(example.text) == trained.classify(example.text))
        }
        let error = try #require(throws: InputError.self) { try NaiveBayesClassifier(name: "x", parametersJSON: "{\"classes\": 3}") }
        #expect(error.field == "parameters")
    }

    @Test("The bundled labelled set: at least 300 descriptions over all 12 task types, split into train and held-out")
    func bundledLabelledSet() throws {
        let all = try BundledCatalog.labelledTasks()
        let train = try BundledCatalog.labelledTasks(split: BundledCatalog.trainSplit)
        let heldOut = try BundledCatalog.labelledTasks(split: BundledCatalog.heldOutSplit)
        #expect(all.count >= 300)
        #expect(train.count + heldOut.count == all.count)
        #expect(Set(all.map(\.text)).count == all.count, "a description appears twice")
        let taskTypes = Set(try BundledCatalog.taskTypes().map(\.name))
        #expect(Set(train.map(\.task)) == taskTypes)
        #expect(Set(heldOut.map(\.task)) == taskTypes)
        #expect(try BundledCatalog.trainedBayes().exampleCount == train.count)
    }

    @Test("The bundled bayes classifier keeps its held-out accuracy and sends no held-out reasoning to a tier-1 task type")
    func bundledBayesOnHeldOut() async throws {
        let classifier = try BundledCatalog.trainedBayes()
        let heldOut = try BundledCatalog.labelledTasks(split: BundledCatalog.heldOutSplit)
        let evaluation = await ClassifierEvaluation.evaluate(classifier, on: heldOut, source: nil)
        // 90 of 120 when the set was written; the README reports it.
        #expect(evaluation.accuracy >= 0.7, "\(evaluation.json.text())")
        let tiers = Dictionary(uniqueKeysWithValues: try BundledCatalog.taskTypes().map { ($0.name, $0.tier) })
        for example in heldOut where example.task == "reasoning" {
            let answer = classifier.classify(example.text)
            #expect(tiers[answer.task] != 1, "\(example.text) → \(answer.task)")
        }
    }

    @Test("A labelled file with a bad line is refused, naming the file, line and field")
    func labelledFileErrors() throws {
        let taskTypes: Set<String> = ["code", "reasoning"]
        func parse(_ text: String, split: String? = nil) throws -> [LabelledExample] {
            try LabelledExampleFile.parse(Array(text.utf8), file: "set.jsonl", taskTypes: taskTypes, split: split)
        }
        let examples = try parse("""
            {"text": "Fix this bug", "task": "code", "split": "train"}

            {"text": "Prove it", "task": " reasoning", "split": "held-out"}
            """)
        #expect(examples == [
            LabelledExample(text: "Fix this bug", task: "code", split: "train"),
            LabelledExample(text: "Prove it", task: "reasoning", split: "held-out"),
        ])
        #expect(try parse(#"{"text": "Prove it", "task": "reasoning", "split": "held-out"}"#, split: "held-out").count == 1)

        let cases: [(String, Int, String?)] = [
            (#"{"text": "a", "task": "code"}\n{"text": "b", "task": "poetry"}"#, 2, "task"),
            (#"{"task": "code"}"#, 1, "text"),
            (#"{"text": "a", "task": "code", "label": "x"}"#, 1, "label"),
            (#"{"text": "a", "task": 3}"#, 1, "task"),
            (#"{"text": "a", "task": "code"}\n{"text": "b""#, 2, nil),
        ]
        for (text, line, field) in cases {
            let error = try #require(throws: InputError.self) { try parse(text.replacingOccurrences(of: "\\n", with: "\n")) }
            #expect(error.file == "set.jsonl" && error.line == line && error.field == field, "\(error)")
        }
        let noSplit = try #require(throws: InputError.self) { try parse(#"{"text": "a", "task": "code"}"#, split: "train") }
        #expect(noSplit.message.contains("no example has split 'train'"))
    }
}

import Testing
@testable import Costwise

struct ClassifierStoreTests {
    @Test("A new default store comes with bayes trained on the train part of the bundled set, and uses it by default")
    func seededStoreHoldsBayes() async throws {
        let fixture = try TemporaryStore(seed: .bundledCatalog)
        let stored = try #require(try fixture.store.trainedClassifier(named: "bayes"))
        #expect(stored.kind == NaiveBayesClassifier.kind)
        #expect(stored.examples == (try BundledCatalog.labelledTasks(split: BundledCatalog.trainSplit).count))
        #expect(stored.parametersJSON == (try BundledCatalog.trainedBayes().parametersJSON))
        #expect(try ClassifierChoice.defaultChoice(in: fixture.store) == .bayes)
        let classifier = try ClassifierChoice.bayes.makeClassifier(store: fixture.store, rules: try RuleClassifier.bundled(for: []))
        #expect(await classifier.classify("Summarize this email thread in two sentences.").task == "summarization")
    }

    @Test("Without a trained bayes the rules answer by default; a name the store does not hold is an error")
    func emptyStoreDefaultsToRules() async throws {
        let fixture = try TemporaryStore()
        try fixture.task("code")
        try fixture.task("analysis")
        #expect(try fixture.store.trainedClassifiers().isEmpty)
        #expect(try ClassifierChoice.defaultChoice(in: fixture.store) == .rules)
        let rules = try RuleClassifier.parse(Array(#"[{"task": "code", "priority": 1, "keywords": ["bug"]}, {"task": "analysis", "fallback": true}]"#.utf8),
                                             file: nil, taskTypes: ["code", "analysis"])
        #expect(try await ClassifierChoice.rules.makeClassifier(store: fixture.store, rules: rules).classify("a bug").task == "code")
        let error = try #require(throws: InputError.self) {
            try ClassifierChoice(name: "mine").makeClassifier(store: fixture.store, rules: rules)
        }
        #expect(error.field == "classifier" && error.message.contains("'mine'"), "\(error)")
    }

    @Test("Saving a classifier under a taken name replaces it; rules and llm cannot be taken")
    func saveAndReplace() throws {
        let fixture = try TemporaryStore()
        let first = NaiveBayesClassifier.train(name: "mine", examples: [LabelledExample(text: "fix the bug", task: "code")])
        try fixture.store.saveClassifier(TrainedClassifier(first, trainedAt: 100))
        let second = NaiveBayesClassifier.train(name: "mine", examples: [
            LabelledExample(text: "fix the bug", task: "code"), LabelledExample(text: "prove it", task: "reasoning"),
        ])
        try fixture.store.saveClassifier(TrainedClassifier(second, trainedAt: 200))
        let stored = try fixture.store.trainedClassifiers()
        #expect(stored == [TrainedClassifier(second, trainedAt: 200)])
        #expect(try stored[0].classifier().tasks == ["code", "reasoning"])

        for reserved in ["rules", "llm", ""] {
            let classifier = TrainedClassifier(name: reserved, kind: NaiveBayesClassifier.kind, parametersJSON: second.parametersJSON,
                                               trainedAt: 0, examples: 2)
            let error = try #require(throws: InputError.self) { try fixture.store.saveClassifier(classifier) }
            #expect(error.field == "name")
        }
        let unknownKind = TrainedClassifier(name: "svm", kind: "svm", parametersJSON: "{}", trainedAt: 0, examples: 0)
        #expect(throws: InputError.self) { try unknownKind.classifier() }
    }

    @Test("Evaluations are kept; the latest per classifier reads back with its confusion matrix")
    func latestEvaluations() throws {
        let fixture = try TemporaryStore()
        func evaluation(_ classifier: String, at time: Double, _ pairs: [(String, String)]) -> ClassifierEvaluation {
            ClassifierEvaluation(classifier: classifier, at: time, confusion: ConfusionMatrix(pairs: pairs.map { ($0.0, $0.1) }),
                                 source: "set.jsonl (split held-out)")
        }
        let old = evaluation("bayes", at: 100, [("code", "code")])
        let latest = evaluation("bayes", at: 200, [("code", "code"), ("code", "reasoning"), ("reasoning", "reasoning"), ("analysis", "code")])
        let rules = evaluation("rules", at: 150, [("code", "analysis")])
        for entry in [latest, rules, old] { try fixture.store.recordClassifierEvaluation(entry) }

        let read = try fixture.store.latestClassifierEvaluations()
        #expect(read == [latest, rules])
        #expect(read[0].confusion.labels == ["analysis", "code", "reasoning"])
        #expect(read[0].confusion.counts == [[0, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(read[0].accuracy == 0.5 && read[0].examples == 4 && read[0].correct == 2)
        #expect(read[1].accuracy == 0)
        #expect(try fixture.rawInteger("SELECT count(*) FROM classifier_evaluations") == 3)
    }
}

import Testing
@testable import Costwise

struct ClassifierRulesTests {
    static let taskTypes: Set<String> = ["analysis", "code", "reasoning", "simple-qa", "summarization"]

    func rules(_ json: String) throws -> RuleClassifier {
        try RuleClassifier.parse(Array(json.utf8), file: "rules.json", taskTypes: Self.taskTypes)
    }

    func parseError(_ json: String) throws -> InputError {
        try #require(throws: InputError.self) { try rules(json) }
    }

    @Test("The bundled rules parse against the bundled task types and cover each of them")
    func bundledRulesCoverEveryTaskType() throws {
        let taskTypes = try BundledCatalog.taskTypes()
        let classifier = try RuleClassifier.bundled(for: taskTypes)
        #expect(Set(classifier.rules.map(\.task)) == Set(taskTypes.map(\.name)))
        #expect(classifier.fallbackTask == "analysis")
        #expect(classifier.classify("Prove that the square root of 2 is irrational.").task == "reasoning")
        #expect(classifier.classify("tl;dr").task == "summarization")
    }

    @Test("Each matching keyword or pattern adds its rule's priority; the confidence is the winner's share")
    func prioritiesAreWeights() throws {
        let classifier = try rules("""
            [
              {"task": "reasoning", "priority": 5, "keywords": ["prove"]},
              {"task": "simple-qa", "priority": 1, "keywords": ["what"], "patterns": ["\\\\?$"]},
              {"task": "analysis", "fallback": true}
            ]
            """)
        let strong = classifier.classify("What is it, can you prove it?")
        #expect(strong.task == "reasoning")
        #expect(strong.confidence == 5.0 / 7.0)
        #expect(strong.classifier == "rules")

        let weak = classifier.classify("What is it?")
        #expect(weak.task == "simple-qa")
        #expect(weak.confidence == 1)

        let nothing = classifier.classify("Look at these numbers.")
        #expect(nothing == TaskClassification(task: "analysis", confidence: 0, classifier: "rules"))
    }

    @Test("A tie goes to the task type whose strongest rule has the higher priority, then to the earlier rule")
    func ties() throws {
        let classifier = try rules("""
            [
              {"task": "code", "priority": 1, "keywords": ["bug", "crash", "loop"]},
              {"task": "reasoning", "priority": 3, "keywords": ["prove"]},
              {"task": "summarization", "priority": 3, "keywords": ["summary"]},
              {"task": "analysis", "fallback": true}
            ]
            """)
        #expect(classifier.classify("bug crash loop, prove it").task == "reasoning")
        #expect(classifier.classify("a summary, prove it").task == "reasoning")
        #expect(classifier.classify("a summary, prove it").confidence == 0.5)
    }

    @Test("Keywords match whole words and phrases, a trailing * matches a stem, patterns ignore case")
    func keywordMatching() throws {
        let classifier = try rules("""
            [
              {"task": "summarization", "priority": 2, "keywords": ["summar*", "tl dr"]},
              {"task": "code", "priority": 2, "keywords": ["go to market"], "patterns": ["\\\\bdef \\\\w+\\\\("]},
              {"task": "analysis", "fallback": true}
            ]
            """)
        #expect(classifier.classify("Please SUMMARISE this").task == "summarization")
        #expect(classifier.classify("tl;dr").task == "summarization")
        #expect(classifier.classify("our go-to-market").task == "code")
        #expect(classifier.classify("DEF run(").task == "code")
        // "summar*" is a stem at the start of a word, not inside one; "go to market" needs all three words in a row.
        #expect(classifier.classify("the consummate answer").task == "analysis")
        #expect(classifier.classify("go to the market").task == "analysis")
    }

    @Test("A bad rules file names its file, the rule's line and the field")
    func errorsNameFileLineAndField() throws {
        let unknownTask = try parseError("""
            [
              {"task": "analysis", "fallback": true},
              {"task": "poetry", "priority": 1, "keywords": ["poem"]}
            ]
            """)
        #expect(unknownTask.file == "rules.json")
        #expect(unknownTask.line == 3)
        #expect(unknownTask.field == "task")
        #expect(unknownTask.message.contains("unknown task type 'poetry'"))

        let unknownKey = try parseError(#"[{"task": "code", "priority": 1, "keyword": ["bug"]}]"#)
        #expect(unknownKey.line == 1 && unknownKey.field == "keyword", "\(unknownKey)")

        let badPattern = try parseError("""
            [
              {"task": "analysis", "fallback": true},

              {"task": "code", "priority": 1, "patterns": ["(unclosed"]}
            ]
            """)
        #expect(badPattern.line == 4 && badPattern.field == "patterns", "\(badPattern)")
        #expect(badPattern.message.contains("(unclosed"))

        let badPriority = try parseError(#"[{"task": "code", "priority": 0, "keywords": ["bug"]}, {"task": "code", "fallback": true}]"#)
        #expect(badPriority.field == "priority", "\(badPriority)")

        let priorityText = try parseError(#"[{"task": "code", "priority": "high", "keywords": ["bug"]}]"#)
        #expect(priorityText.field == "priority" && priorityText.message == "expected a number", "\(priorityText)")

        let keywordsText = try parseError(#"[{"task": "code", "priority": 1, "keywords": "bug"}]"#)
        #expect(keywordsText.field == "keywords" && keywordsText.message == "expected an array of strings", "\(keywordsText)")

        let nothingToMatch = try parseError(#"[{"task": "code", "priority": 1}, {"task": "code", "fallback": true}]"#)
        #expect(nothingToMatch.field == "keywords", "\(nothingToMatch)")

        let noWord = try parseError(#"[{"task": "code", "priority": 1, "keywords": ["--"]}, {"task": "code", "fallback": true}]"#)
        #expect(noWord.field == "keywords" && noWord.message.contains("'--'"), "\(noWord)")

        let noFallback = try parseError(#"[{"task": "code", "priority": 1, "keywords": ["bug"]}]"#)
        #expect(noFallback.field == "fallback", "\(noFallback)")

        let twoFallbacks = try parseError("""
            [
              {"task": "code", "fallback": true},
              {"task": "analysis", "fallback": true}
            ]
            """)
        #expect(twoFallbacks.line == 3 && twoFallbacks.field == "fallback", "\(twoFallbacks)")
        #expect(twoFallbacks.message.contains("line 2"))

        let notAnArray = try parseError(#"{"task": "code"}"#)
        #expect(notAnArray.file == "rules.json" && notAnArray.line == 1, "\(notAnArray)")

        let brokenJSON = try parseError("""
            [
              {"task": "analysis", "fallback": true},
              {"task": "code", "priority": 1, "keywords": ["bug"] "patterns": []}
            ]
            """)
        #expect(brokenJSON.line == 3, "\(brokenJSON)")
    }
}

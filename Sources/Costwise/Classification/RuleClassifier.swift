import FoundationEssentials

/// Classifies task descriptions by keyword and pattern rules: no training, no network, and every
/// answer can be traced to the rules that fired.
///
/// Each matching keyword or pattern adds its rule's priority to the rule's task type; the task type
/// with the highest total wins (ties go to the one whose strongest matching rule has the higher
/// priority, then to the one whose rules come first). The confidence is the winner's share of the
/// total. When no rule matches, the answer is the fallback task type with confidence 0.
///
/// The bundled rules (`data/classifier-rules.json`) cover every bundled task type; a rules file of
/// the same shape replaces them:
///
/// ```json
/// [
///   {"task": "reasoning", "priority": 5, "keywords": ["prove", "derive"], "patterns": ["\\bshow that\\b"]},
///   {"task": "simple-qa", "priority": 1, "patterns": ["^\\s*(what|who|when)\\b"]},
///   {"task": "analysis", "fallback": true}
/// ]
/// ```
public struct RuleClassifier: TaskClassifier {
    public var name: String { ClassifierChoice.rules.name }
    public let rules: [ClassificationRule]
    /// The task type answered when no rule matches.
    public let fallbackTask: String

    public init(rules: [ClassificationRule], fallbackTask: String) {
        self.rules = rules
        self.fallbackTask = fallbackTask
    }

    public func classify(_ text: String) -> TaskClassification {
        let words = TextTokens.words(text)
        var tally: [String: (score: Double, strongest: Double, firstRule: Int)] = [:]
        var total = 0.0
        for (index, rule) in rules.enumerated() {
            let matches = rule.matchCount(words: words, text: text)
            guard matches > 0 else { continue }
            let score = rule.priority * Double(matches)
            total += score
            let previous = tally[rule.task] ?? (0, 0, index)
            tally[rule.task] = (previous.score + score, max(previous.strongest, rule.priority), previous.firstRule)
        }
        let winner = tally.max { a, b in
            if a.value.score != b.value.score { return a.value.score < b.value.score }
            if a.value.strongest != b.value.strongest { return a.value.strongest < b.value.strongest }
            return a.value.firstRule > b.value.firstRule
        }
        guard let winner, total > 0 else {
            return TaskClassification(task: fallbackTask, confidence: 0, classifier: name)
        }
        return TaskClassification(task: winner.key, confidence: winner.value.score / total, classifier: name)
    }

    /// The rules shipped in `data/classifier-rules.json`, checked against the task types `taskTypes`.
    public static func bundled(for taskTypes: [TaskType]) throws -> RuleClassifier {
        try parse(Array(BundledCatalogData.classifierRulesJSON.utf8), file: "data/classifier-rules.json",
                  taskTypes: Set(taskTypes.map(\.name)))
    }

    /// Reads a rules file: a JSON array of rules, exactly one of them `{"task": …, "fallback": true}`.
    ///
    /// - Throws: ``InputError`` naming the file, the line of the bad rule and its field: an unknown
    ///   key or task type, a priority that is not a positive number, a rule with nothing to match, a
    ///   pattern that does not compile, or a missing or second fallback.
    public static func parse(_ bytes: [UInt8], file: String?, taskTypes: Set<String>) throws -> RuleClassifier {
        let members = JSONOutline.containerMembers(bytes)
        let elements: [JSONScalar]
        do {
            elements = try JSONDecoder().decode([JSONScalar].self, from: Data(bytes))
        } catch {
            for member in members { _ = try decodeRule(bytes[member.range], file: file, line: member.line) }
            throw InputError(file: file, line: 1, "not a JSON array of rules")
        }
        guard elements.count == members.count, members.allSatisfy({ bytes[$0.range.lowerBound] == UInt8(ascii: "{") }) else {
            let line = members.first { bytes[$0.range.lowerBound] != UInt8(ascii: "{") }?.line ?? 1
            throw InputError(file: file, line: line, "every element of the array must be a rule object")
        }
        var rules: [ClassificationRule] = []
        var fallback: (task: String, line: Int)?
        for member in members {
            let record = try decodeRule(bytes[member.range], file: file, line: member.line)
            let located = { (field: String, message: String) in InputError(file: file, line: member.line, field: field, message) }
            guard taskTypes.contains(record.task) else {
                throw located("task", CatalogError.unknownTaskType(record.task).description)
            }
            if record.fallback {
                if let fallback {
                    throw located("fallback", "a second fallback rule; the first is on line \(fallback.line)")
                }
                guard record.keywords.isEmpty, record.patterns.isEmpty else {
                    throw located("fallback", "the fallback rule answers when no rule matches, so it takes no keywords or patterns")
                }
                fallback = (record.task, member.line)
                continue
            }
            guard let priority = record.priority, priority > 0, priority.isFinite else {
                throw located("priority", "required: a number greater than 0")
            }
            guard !record.keywords.isEmpty || !record.patterns.isEmpty else {
                throw located("keywords", "the rule has neither keywords nor patterns to match")
            }
            do {
                rules.append(try ClassificationRule(task: record.task, priority: priority, keywords: record.keywords,
                                                    patterns: record.patterns))
            } catch let error as InputError {
                throw InputError(file: file, line: member.line, field: error.field, error.message)
            }
        }
        guard let fallback else {
            throw InputError(file: file, line: 1, field: "fallback",
                             "no rule says \"fallback\": true; one must name the task type answered when no rule matches")
        }
        return RuleClassifier(rules: rules, fallbackTask: fallback.task)
    }

    private static func decodeRule(_ bytes: some Collection<UInt8>, file: String?, line: Int) throws -> RuleRecord {
        do {
            return try JSONDecoder().decode(RuleRecord.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw RuleRecord.inputError(error, file: file, line: line)
        } catch {
            throw InputError(file: file, line: line, "not valid JSON")
        }
    }
}

/// One rule object as written in a rules file, before its task type and patterns are checked.
private struct RuleRecord: Decodable {
    static let keys = ["task", "priority", "keywords", "patterns", "fallback"]

    var task: String
    var priority: Double?
    var keywords: [String]
    var patterns: [String]
    var fallback: Bool

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !Self.keys.contains($0) }) {
            throw DecodingError.dataCorruptedError(forKey: Key(stringValue: unknown), in: container,
                                                   debugDescription: "unknown key; the keys are \(Self.keys.joined(separator: ", "))")
        }
        task = try container.decode(String.self, forKey: Key(stringValue: "task"))
        priority = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "priority"))
        keywords = try container.decodeIfPresent([String].self, forKey: Key(stringValue: "keywords")) ?? []
        patterns = try container.decodeIfPresent([String].self, forKey: Key(stringValue: "patterns")) ?? []
        fallback = try container.decodeIfPresent(Bool.self, forKey: Key(stringValue: "fallback")) ?? false
    }

    /// The decoding failure as an error that names the field of the rule on `line`.
    static func inputError(_ error: DecodingError, file: String?, line: Int) -> InputError {
        switch error {
        case .keyNotFound(let key, _):
            return InputError(file: file, line: line, field: key.stringValue, "required, but missing")
        case .valueNotFound(_, let context):
            return InputError(file: file, line: line, field: context.codingPath.first?.stringValue, "required, but null")
        case .typeMismatch(_, let context):
            guard let field = context.codingPath.first?.stringValue else {
                return InputError(file: file, line: line, "expected a rule object")
            }
            let expected = switch field {
            case "priority": "a number"
            case "fallback": "true or false"
            case "keywords", "patterns": "an array of strings"
            default: "a string"
            }
            return InputError(file: file, line: line, field: field, "expected \(expected)")
        case .dataCorrupted(let context):
            return InputError(file: file, line: line, field: context.codingPath.last?.stringValue,
                              context.codingPath.isEmpty ? "not valid JSON" : context.debugDescription)
        @unknown default:
            return InputError(file: file, line: line, "not a valid rule")
        }
    }
}

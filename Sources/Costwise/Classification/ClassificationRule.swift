/// One rule of a ``RuleClassifier``: when a task description holds any of its keywords or matches
/// any of its patterns, its task type gains `priority` for each keyword and pattern that matched.
///
/// ```json
/// {"task": "code", "priority": 3, "keywords": ["stack trace", "refactor*"], "patterns": ["\\w+\\(\\)"]}
/// ```
public struct ClassificationRule {
    public let task: String
    /// The weight each match adds, so that one strong sign (a proof, a diagnosis) outweighs
    /// several weak ones (a question mark, "what is").
    public let priority: Double
    /// Words or phrases matched as whole words, ignoring case; a trailing `*` matches any word that
    /// starts with the stem (`summar*` matches "summary" and "summarize").
    public let keywords: [String]
    /// Regular expressions, matched against the text as written, ignoring case.
    public let patterns: [String]

    private let keywordWords: [(words: [String], lastIsStem: Bool)]
    private let compiledPatterns: [Regex<AnyRegexOutput>]

    /// - Throws: ``InputError`` naming the keyword that holds no word or the pattern that does not compile.
    public init(task: String, priority: Double, keywords: [String], patterns: [String]) throws {
        self.task = task
        self.priority = priority
        self.keywords = keywords
        self.patterns = patterns
        keywordWords = try keywords.map { keyword in
            let lastIsStem = keyword.hasSuffix("*")
            let words = TextTokens.words(lastIsStem ? String(keyword.dropLast()) : keyword)
            guard !words.isEmpty else { throw InputError(field: "keywords", "'\(keyword)' holds no word to match") }
            return (words, lastIsStem)
        }
        compiledPatterns = try patterns.map { pattern in
            do {
                return try Regex(pattern).ignoresCase()
            } catch {
                throw InputError(field: "patterns", "'\(pattern)' is not a valid regular expression: \(error)")
            }
        }
    }

    /// How many of the rule's keywords and patterns `text` (whose words are `words`) matches.
    func matchCount(words: [String], text: String) -> Int {
        var count = 0
        for keyword in keywordWords where Self.contains(words, keyword.words, lastIsStem: keyword.lastIsStem) { count += 1 }
        for pattern in compiledPatterns where text.contains(pattern) { count += 1 }
        return count
    }

    private static func contains(_ words: [String], _ phrase: [String], lastIsStem: Bool) -> Bool {
        guard words.count >= phrase.count else { return false }
        let last = phrase.count - 1
        for start in 0...(words.count - phrase.count) {
            var matched = true
            for offset in 0...last {
                let word = words[start + offset]
                let matches = offset == last && lastIsStem ? word.hasPrefix(phrase[offset]) : word == phrase[offset]
                if !matches {
                    matched = false
                    break
                }
            }
            if matched { return true }
        }
        return false
    }
}

/// The words of a task description, and the features a trained classifier counts.
///
/// Both the keyword rules and the naive Bayes classifier read text through here, so a keyword
/// matches exactly the words the classifier would see: lowercased runs of letters and digits
/// (`"What's the ROI?"` is `what`, `s`, `the`, `roi`).
enum TextTokens {
    /// Lowercased runs of letters and digits, in order.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The distinct word unigrams and bigrams, in order of first appearance, with a marker bigram
    /// for the first word: the opening verb ("summarize", "write", "prove") says most about a request.
    ///
    /// ```swift
    /// TextTokens.features("Prove it, prove it") // ["^ prove", "prove", "prove it", "it", "it prove"]
    /// ```
    static func features(_ text: String) -> [String] {
        let words = words(text)
        guard let first = words.first else { return [] }
        var features = ["^ " + first]
        var seen: Set<String> = [features[0]]
        for (index, word) in words.enumerated() {
            if seen.insert(word).inserted { features.append(word) }
            guard index + 1 < words.count else { continue }
            let bigram = word + " " + words[index + 1]
            if seen.insert(bigram).inserted { features.append(bigram) }
        }
        return features
    }
}

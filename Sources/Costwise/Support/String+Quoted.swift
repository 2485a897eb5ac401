extension String {
    /// The longest stretch of input an error message quotes.
    static let quotedLimit = 80

    /// The text in single quotes, as an error message quotes input: control characters escaped
    /// (`\n`, `\u{0}`), and a long text cut to its start and its length, so that a 10 MB field
    /// makes a one-line message rather than a 10 MB one.
    var quoted: String {
        var text = ""
        var count = 0
        for scalar in unicodeScalars {
            guard count < Self.quotedLimit else {
                return "'\(text)…' (\(utf8.count) bytes)"
            }
            text += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: false) : String(scalar)
            count += 1
        }
        return "'\(text)'"
    }
}

/// A file of per-item results of several models on the same items, the input of a ``Replay``:
/// CSV with a header, or JSONL (one object a line), with the fields `task`, `item`, `model`,
/// `score` and optionally `input_tokens`, `output_tokens`, `cost_usd`, `prompt_chars` and
/// `response_chars`.
///
/// Scores on another scale than [0, 1] (an LLM judge's 1 to 10) are divided by the scale as they
/// are read, so every score the store sees is in [0, 1].
///
/// ```csv
/// task,item,model,score,prompt_chars
/// abstract_algebra,0,gpt-4-1106-preview,1,111
/// ```
public enum ReplayFile {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
    }

    static let requiredFields = ["task", "item", "model", "score"]
    static let optionalFields = ["input_tokens", "output_tokens", "cost_usd", "prompt_chars", "response_chars"]

    /// JSONL when the first significant byte opens a JSON object, else CSV.
    public static func detect(_ bytes: [UInt8]) -> Format {
        InputFile.firstSignificantByte(bytes) == UInt8(ascii: "{") ? .jsonl : .csv
    }

    /// Reads every row; the first bad one throws an ``InputError`` naming its line and field.
    ///
    /// - Parameter scoreScale: the highest score the file's scale allows; each score must lie in
    ///   [0, scoreScale] and is divided by it.
    public static func parse(_ bytes: [UInt8], format: Format, file: String?, scoreScale: Double = 1) throws -> [ReplayRecord] {
        var records: [ReplayRecord] = []
        switch format {
        case .csv:
            var table = try CSVTable(bytes: bytes, file: file, required: requiredFields, optional: optionalFields)
            while let row = try table.nextRow() { records.append(try record(from: row, scoreScale: scoreScale)) }
        case .jsonl:
            let allowed = Set(requiredFields + optionalFields)
            var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var line = 0
            while lineStart < bytes.count {
                line += 1
                let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                let text = bytes[lineStart..<lineEnd]
                lineStart = lineEnd + 1
                guard text.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
                let fields = try JSONRecord.decodeObject(text, file: file, line: line)
                records.append(try record(from: JSONRecord(fields: fields, file: file, line: line, allowedKeys: allowed),
                                          scoreScale: scoreScale))
            }
        }
        guard !records.isEmpty else { throw InputError(file: file, "the file holds no results") }
        return records
    }

    static func record(from row: some FieldSource, scoreScale: Double) throws -> ReplayRecord {
        ReplayRecord(
            task: try row.string("task").trimmingSpaces, item: try row.string("item").trimmingSpaces,
            model: try row.string("model").trimmingSpaces,
            score: try score(from: row, scale: scoreScale),
            inputTokens: try row.optionalCount("input_tokens"), outputTokens: try row.optionalCount("output_tokens"),
            costUSD: try row.optionalDouble("cost_usd", in: 0...1_000_000),
            promptChars: try row.optionalCount("prompt_chars"), responseChars: try row.optionalCount("response_chars"),
            line: row.line)
    }

    private static func score(from row: some FieldSource, scale: Double) throws -> Double {
        let score = try row.double("score")
        guard (0...scale).contains(score) else {
            let hint = scale == 1 ? "; for scores on another scale (a 1–10 judge), give the scale's top with --score-scale" : ""
            throw row.error("score", "\(DecimalFormat.string(score)) is outside [0, \(DecimalFormat.string(scale))]\(hint)")
        }
        return score / scale
    }
}

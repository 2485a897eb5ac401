/// A file of evaluation results: JSONL (one object a line) or CSV with a header, both with the
/// fields `model`, `task`, `score` (in [0, 1]) or `passed` (true/false), and optionally `run`,
/// `item`, `cost_usd`, `latency_ms`, `input_tokens`, `output_tokens`, `at` (RFC 3339).
public enum EvaluationFile {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv
    }

    static let fields = ["model", "task", "score", "passed", "run", "item", "cost_usd", "latency_ms",
                         "input_tokens", "output_tokens", "at"]

    /// Reads every result with the line it stands on; the first bad line throws an ``InputError``.
    public static func parse(_ bytes: [UInt8], format: Format, file: String?) throws -> [(result: EvaluationResult, line: Int)] {
        var results: [(result: EvaluationResult, line: Int)] = []
        results.reserveCapacity(lineCount(bytes))
        try forEachResult(in: bytes, format: format, file: file) { results.append(($0, $1)) }
        return results
    }

    /// Hands every result with the line it stands on to `body`, so that a caller collecting them in
    /// its own shape copies no intermediate array; the first bad line throws an ``InputError``.
    static func forEachResult(in bytes: [UInt8], format: Format, file: String?,
                              _ body: (consuming EvaluationResult, Int) throws -> Void) throws {
        switch format {
        case .csv:
            var table = try CSVTable(bytes: bytes, file: file, required: ["model", "task"], optional: Array(fields.dropFirst(2)))
            guard table.hasColumn("score") || table.hasColumn("passed") else {
                throw InputError(file: file, line: 1, field: "score", "required column is missing (or give `passed`)")
            }
            while let row = try table.nextRow() { try body(try result(from: row), row.line) }
        case .jsonl:
            try InputFile.checkUTF8(bytes, file: file)
            let allowed = Set(fields)
            var lineStart = 0
            var line = 0
            let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            if hasBOM { lineStart = 3 }
            while lineStart <= bytes.count {
                line += 1
                let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                let text = bytes[lineStart..<lineEnd]
                lineStart = lineEnd + 1
                guard text.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
                let fields = try JSONRecord.decodeObject(text, file: file, line: line)
                let record = try JSONRecord(fields: fields, file: file, line: line, allowedKeys: allowed)
                try body(try result(from: record), line)
            }
        }
    }

    /// The number of lines in `bytes`, at least the number of results they hold: reserving room for
    /// them all spares copying a growing array of large results again and again.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.reduce(into: 1) { count, byte in if byte == UInt8(ascii: "\n") { count += 1 } }
        }
    }

    static func result(from record: some FieldSource) throws -> EvaluationResult {
        let score: Double
        let givenScore = try record.optionalDouble("score", in: 0...1)
        let passed = try record.optionalBool("passed")
        switch (givenScore, passed) {
        case (let value?, nil): score = value
        case (nil, let value?): score = value ? 1 : 0
        case (nil, nil): throw record.error("score", "required: give `score` (0 to 1) or `passed` (true/false)")
        case (let value?, let passed?):
            guard value == (passed ? 1 : 0) else { throw record.error("passed", "contradicts score \(DecimalFormat.string(value))") }
            score = value
        }
        var recordedAt: Double?
        if let text = try record.optionalString("at") {
            guard let seconds = RFC3339.seconds(from: text) else {
                throw record.error("at", "\(text.quoted) is not an RFC 3339 time such as 2026-11-29T12:00:00Z")
            }
            recordedAt = seconds
        }
        return EvaluationResult(
            model: try record.name("model"), task: try record.name("task"), score: score,
            run: try record.optionalString("run"), item: try record.optionalString("item"),
            costUSD: try record.optionalDouble("cost_usd", in: 0...1_000_000),
            latencyMs: try record.optionalDouble("latency_ms", in: 0...86_400_000),
            inputTokens: try record.optionalCount("input_tokens"), outputTokens: try record.optionalCount("output_tokens"),
            recordedAt: recordedAt)
    }
}

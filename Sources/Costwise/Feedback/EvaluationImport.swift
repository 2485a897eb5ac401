import FoundationEssentials

/// Every evaluation format `costwise evals import` reads, with the renaming of models and tasks
/// that logs from other tools need before their results can join the store.
public struct EvaluationImport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case auto, jsonl, csv, inspect
        case lmEval = "lm-eval"
    }

    /// Replaces the model name every result gives.
    public var model: String?
    /// Replaces the task name every result gives (before the task map).
    public var task: String?
    /// Maps the task names a tool uses to Costwise task types.
    public var taskMap: [String: String]
    /// The Inspect AI scorer to read (default: the log's headline scorer).
    public var scorer: String?

    public init(model: String? = nil, task: String? = nil, taskMap: [String: String] = [:], scorer: String? = nil) {
        self.model = model
        self.task = task
        self.taskMap = taskMap
        self.scorer = scorer
    }

    /// Reads `bytes` in `format` (telling `auto` from the content) into results, each with the line it
    /// stands on where the format has lines; returns the format it read. A file with no results (empty,
    /// or a header only) is an error: it is more likely cut short than a run that scored nothing.
    public func read(_ bytes: [UInt8], format: Format, file: String) throws -> (format: Format, results: [(result: EvaluationResult, line: Int?)]) {
        guard InputFile.firstSignificantByte(bytes) != nil else { throw InputError(file: file, "the file is empty") }
        let resolved = format == .auto ? Self.detect(bytes) : format
        var results: [(result: EvaluationResult, line: Int?)] = []
        switch resolved {
        case .csv, .jsonl, .auto:
            results.reserveCapacity(EvaluationFile.lineCount(bytes))
            // A JSON array given as results is read as JSONL, so its error says one object a line is expected.
            try EvaluationFile.forEachResult(in: bytes, format: resolved == .csv ? .csv : .jsonl, file: file) { results.append(($0, $1)) }
        case .inspect:
            results = try InspectLog.parse(bytes, file: file, scorer: scorer).map { ($0, nil) }
        case .lmEval:
            if Self.isJSONLines(bytes) {
                results = try LMEvalLog.parseSamples(bytes, file: file, model: model, task: task).map { ($0.result, $0.line) }
            } else {
                results = try LMEvalLog.parseResults(bytes, file: file, model: model).map { ($0, nil) }
            }
        }
        guard !results.isEmpty else { throw InputError(file: file, "the file holds no results") }
        for index in results.indices {
            if let model { results[index].result.model = model }
            if let task { results[index].result.task = task }
            if let mapped = taskMap[results[index].result.task] { results[index].result.task = mapped }
        }
        return (resolved == .auto ? .jsonl : resolved, results)
    }

    /// A zip or an object with `eval` is Inspect AI's; an object with `results` and `n-samples`, or
    /// lines with `doc_id` and `metrics`, lm-eval's; other JSON lines Costwise's JSONL; the rest CSV.
    public static func detect(_ bytes: [UInt8]) -> Format {
        if bytes.starts(with: [0x50, 0x4B]) { return .inspect }
        let head = String(decoding: bytes.prefix(8_192), as: UTF8.self)
        let first = InputFile.firstSignificantByte(bytes)
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return .csv }
        if head.contains("\"doc_id\"") && head.contains("\"metrics\"") { return .lmEval }
        if isJSONLines(bytes) { return .jsonl }
        if head.contains("\"eval\"") && (head.contains("\"samples\"") || head.contains("\"results\"")) { return .inspect }
        if head.contains("\"results\"") && (head.contains("\"n-samples\"") || head.contains("\"lm_eval_version\"")) { return .lmEval }
        return .jsonl
    }

    /// Whether the first non-blank line is a whole JSON object (JSON lines), not the start of one
    /// document spread over many lines.
    static func isJSONLines(_ bytes: [UInt8]) -> Bool {
        guard let line = bytes.split(separator: UInt8(ascii: "\n")).first(where: { $0.contains { ![0x20, 0x09, 0x0D].contains($0) } })
        else { return false }
        return (try? JSONDecoder().decode([String: JSONScalar].self, from: Data(line))) != nil
    }

    /// A task map file: a JSON object `{"their_task": "costwise-task", …}` or CSV with the header `from,to`.
    public static func taskMap(_ bytes: [UInt8], file: String) throws -> [String: String] {
        let first = InputFile.firstSignificantByte(bytes)
        if first == UInt8(ascii: "{") {
            try InputFile.checkUTF8(bytes, file: file)
            guard let map = try? JSONDecoder().decode([String: String].self, from: Data(bytes)) else {
                throw InputError(file: file, line: 1, "a JSON task map is an object of task names to task types")
            }
            return map
        }
        var table = try CSVTable(bytes: bytes, file: file, required: ["from", "to"], optional: [])
        var map: [String: String] = [:]
        while let row = try table.nextRow() { map[try row.string("from")] = try row.string("to") }
        return map
    }
}

extension EvaluationImport {
    /// Reads `bytes` as ``read(_:format:file:)`` does and records every result in `store` in one
    /// transaction (see ``CostwiseStore/recordResults(_:lines:file:)``): all of them or none. A
    /// refused result is named by its line when the format gives every result one. The store is
    /// opened only once the file has been read, so a bad file creates no store.
    public func record(_ bytes: [UInt8], format: Format, file: String, in store: @autoclosure () throws -> any CostwiseStore) throws
        -> (format: Format, report: ResultImportReport) {
        let (format, parsed) = try read(bytes, format: format, file: file)
        let lines = parsed.allSatisfy { $0.line != nil } ? parsed.map { $0.line! } : nil
        return (format, try store().recordResults(parsed.map(\.result), lines: lines, file: file))
    }
}

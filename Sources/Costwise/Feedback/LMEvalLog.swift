import FoundationEssentials

/// lm-evaluation-harness outputs: the per-sample log (`--log_samples`, `samples_<task>_<time>.jsonl`)
/// and the aggregated results JSON (`results_<time>.json`).
public enum LMEvalLog {
    /// One result per document: item `doc_id`, score the value of the line's first metric (`acc`,
    /// `exact_match`, … in [0, 1]). The log names neither model nor task: the model must be given,
    /// and the task comes from the file name unless given.
    public static func parseSamples(_ bytes: [UInt8], file: String, model: String?, task: String?) throws -> [(result: EvaluationResult, line: Int)] {
        guard let model else {
            throw InputError(file: file, field: "model", "lm-eval sample logs do not name the model: give it with --model")
        }
        let fileName = String(file.split(separator: "/").last ?? Substring(file))
        let stem = fileName.hasSuffix(".jsonl") ? String(fileName.dropLast(6)) : fileName
        guard let taskName = task ?? taskName(fromSampleFile: stem) else {
            throw InputError(file: file, field: "task", "cannot tell the task from the file name (samples_<task>_<time>.jsonl): give it with --task-map")
        }
        try InputFile.checkUTF8(bytes, file: file)
        try JSONOutline.checkDepth(bytes, limit: DecimalJSON.maxDepth, file: file)
        var results: [(result: EvaluationResult, line: Int)] = []
        for (index, text) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard text.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let line = index + 1
            let record: DecimalJSON
            do {
                record = try JSONDecoder().decode(DecimalJSON.self, from: Data(text))
            } catch {
                throw InputError(file: file, line: line, "not valid JSON")
            }
            guard let docID = record["doc_id"]?.text else { throw InputError(file: file, line: line, field: "doc_id", "missing") }
            guard case .array(let metrics)? = record["metrics"], let metric = metrics.first?.string else {
                throw InputError(file: file, line: line, field: "metrics", "missing: the line names no metric")
            }
            guard let value = record[metric]?.double, (0...1).contains(value) else {
                throw InputError(file: file, line: line, field: metric, "not a score in [0, 1]")
            }
            results.append((EvaluationResult(model: model, task: taskName, score: value, run: "lm-eval \(stem)", item: docID), line))
        }
        return results
    }

    /// The aggregated results: per task, its metric (`acc`, else `exact_match`, else the first) over
    /// its sample count, recorded as that many results with the mean score, so the estimate gets the
    /// right mean and sample count.
    public static func parseResults(_ bytes: [UInt8], file: String, model: String?) throws -> [EvaluationResult] {
        try InputFile.checkUTF8(bytes, file: file)
        try JSONOutline.checkDepth(bytes, limit: DecimalJSON.maxDepth, file: file)
        let document: DecimalJSON
        do {
            document = try JSONDecoder().decode(DecimalJSON.self, from: Data(bytes))
        } catch {
            throw InputError(file: file, line: 1, "not valid JSON")
        }
        guard case .object(let tasks)? = document["results"] else {
            throw InputError(file: file, field: "results", "not an lm-eval results file (no results object)")
        }
        let pretrained = document["config"]?["model_args"]?["pretrained"]?.string
            ?? document["config"]?["model_args"]?.string.flatMap(pretrainedArgument)
        guard let modelName = model ?? pretrained ?? document["config"]?["model"]?.string else {
            throw InputError(file: file, field: "config.model", "the file names no model: give it with --model")
        }
        let run = "lm-eval results " + (document["date"]?.text ?? String(file.split(separator: "/").last ?? ""))
        var results: [EvaluationResult] = []
        for (task, metrics) in tasks.sorted(by: { $0.key < $1.key }) {
            guard case .object(let values) = metrics else { continue }
            let keys = values.keys.filter { $0.contains(",") && !$0.contains("stderr") }.sorted()
            guard let key = keys.first(where: { $0.hasPrefix("acc,") }) ?? keys.first(where: { $0.hasPrefix("exact_match,") }) ?? keys.first
            else { continue }
            guard let mean = values[key]?.double, (0...1).contains(mean) else {
                throw InputError(file: file, field: "results.\(task).\(key)", "not a score in [0, 1]")
            }
            guard let count = document["n-samples"]?[task]?["effective"]?.integer ?? values["sample_len"]?.integer, count > 0 else {
                throw InputError(file: file, field: "n-samples.\(task)", "the sample count is missing")
            }
            guard count <= maxSamples - results.count else {
                throw InputError(file: file, field: "n-samples.\(task)", "the sample counts add up to more than \(maxSamples)")
            }
            results += (1...count).map { EvaluationResult(model: modelName, task: task, score: mean, run: run, item: "\(task)#\($0)") }
        }
        return results
    }

    /// The most samples the tasks of one aggregated results file may stand for in all. Each sample
    /// becomes a result in memory and in the store, so a damaged count must not become billions of
    /// them; the largest lm-eval tasks have a few hundred thousand documents.
    static let maxSamples = 1_000_000

    /// `costwise_mc` from `samples_costwise_mc_2026-11-29T12-38-03.123456`, and `parity_check` from
    /// `samples_parity_check`, a name without the time: only a last part that is lm-eval's time
    /// (see ``isSampleFileTime(_:)``) is dropped, so a task name keeps its underscores.
    static func taskName(fromSampleFile stem: String) -> String? {
        guard stem.hasPrefix("samples_") else { return nil }
        let rest = stem.dropFirst(8)
        var task = rest
        if let underscore = rest.lastIndex(of: "_"), isSampleFileTime(rest[rest.index(after: underscore)...]) {
            task = rest[..<underscore]
        }
        return task.isEmpty ? nil : String(task)
    }

    /// Whether `text` is the time lm-eval puts in sample file names: the ISO 8601 local time with
    /// dashes for colons, `2026-11-29T12-38-03`, optionally with fractional seconds (`.123456`).
    static func isSampleFileTime(_ text: Substring) -> Bool {
        let isDigit = { (character: Character) in ("0"..."9").contains(character) }
        let time = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if time.count == 2, time[1].isEmpty || !time[1].allSatisfy(isDigit) { return false }
        let pattern = Array("dddd-dd-ddTdd-dd-dd")
        let characters = Array(time[0])
        guard characters.count == pattern.count else { return false }
        return zip(characters, pattern).allSatisfy { character, expected in
            expected == "d" ? isDigit(character) : character == expected
        }
    }

    /// `pretrained=NAME` from a `model_args` string such as `pretrained=gpt2,dtype=float`.
    static func pretrainedArgument(_ arguments: String) -> String? {
        arguments.split(separator: ",").first { $0.hasPrefix("pretrained=") }.map { String($0.dropFirst(11)) }
    }
}

import FoundationEssentials

/// Inspect AI evaluation logs: the `.json` log, and the default `.eval` archive (a zip whose
/// `header.json` holds the run and `samples/*.json` one sample each).
///
/// Each sample becomes one result: the model from `eval.model`, the task from `eval.task`, the run
/// from `eval.run_id`, the item from the sample id (with `#epoch` past the first epoch), the score
/// from one scorer's value (`C` 1, `P` 0.5, `I` and `N` 0, booleans, numbers in [0, 1]), tokens from
/// `output.usage`, latency from `output.time`, time from `completed_at`.
public enum InspectLog {
    public static func parse(_ bytes: [UInt8], file: String?, scorer: String? = nil) throws -> [EvaluationResult] {
        let header: DecimalJSON
        var samples: [(name: String, sample: DecimalJSON)] = []
        if bytes.starts(with: [0x50, 0x4B]) {
            let archive = try ZipArchive(bytes: bytes, file: file)
            guard let headerBytes = try archive.contents(of: "header.json") else {
                throw InputError(file: file, field: "header.json", "not an Inspect AI log archive (no header.json)")
            }
            header = try decode(headerBytes, file: file, member: "header.json")
            for entry in archive.entries where entry.name.hasPrefix("samples/") && entry.name.hasSuffix(".json") {
                samples.append((entry.name, try decode(try archive.contents(of: entry), file: file, member: entry.name)))
            }
        } else {
            header = try decode(bytes, file: file, member: nil)
            if case .array(let list)? = header["samples"] {
                samples = list.enumerated().map { ("samples[\($0.offset)]", $0.element) }
            }
        }
        guard let model = header["eval"]?["model"]?.string, let task = header["eval"]?["task"]?.string else {
            throw InputError(file: file, field: "eval", "not an Inspect AI log (no eval.model and eval.task)")
        }
        if let status = header["status"]?.string, status != "success" {
            throw InputError(file: file, field: "status", "the evaluation ended with status \(status.quoted), not success")
        }
        guard !samples.isEmpty else { throw InputError(file: file, field: "samples", "the log holds no samples") }
        let run = header["eval"]?["run_id"]?.string ?? header["eval"]?["eval_id"]?.string
        let chosenScorer = try scorer ?? defaultScorer(header: header, firstSample: samples[0].sample, file: file)

        return try samples.map { name, sample in
            guard let id = sample["id"]?.text else { throw InputError(file: file, field: "\(name).id", "the sample has no id") }
            let epoch = sample["epoch"]?.integer ?? 1
            guard let value = sample["scores"]?[chosenScorer]?["value"] else {
                throw InputError(file: file, field: "\(name).scores.\(chosenScorer).value", "the sample has no score from scorer \(chosenScorer.quoted)")
            }
            guard let score = score(value) else {
                throw InputError(file: file, field: "\(name).scores.\(chosenScorer).value", "cannot be read as a score in [0, 1]")
            }
            let usage = sample["output"]?["usage"]
            let seconds = sample["output"]?["time"]?.double ?? sample["total_time"]?.double
            // The same bound as a Costwise file's latency_ms: a day, so a damaged time never becomes a p95.
            if let seconds, !(0...86_400).contains(seconds) {
                throw InputError(file: file, field: "\(name).output.time", "\(DecimalFormat.string(seconds)) is not a time in seconds in [0, 86400]")
            }
            return EvaluationResult(
                model: model, task: task, score: score, run: run, item: epoch > 1 ? "\(id)#\(epoch)" : id,
                latencyMs: seconds.map { $0 * 1_000 },
                inputTokens: usage?["input_tokens"]?.integer, outputTokens: usage?["output_tokens"]?.integer,
                recordedAt: (sample["completed_at"]?.string).flatMap(RFC3339.seconds(from:)))
        }
    }

    /// Inspect's score values as a number in [0, 1].
    static func score(_ value: DecimalJSON) -> Double? {
        switch value {
        case .string("C"): return 1
        case .string("P"): return 0.5
        case .string("I"), .string("N"): return 0
        case .bool(let passed): return passed ? 1 : 0
        case .number:
            guard let number = value.double, (0...1).contains(number) else { return nil }
            return number
        default: return nil
        }
    }

    /// The headline scorer (`results.scores[0]`), else the sample's first.
    private static func defaultScorer(header: DecimalJSON, firstSample: DecimalJSON, file: String?) throws -> String {
        if case .array(let scores)? = header["results"]?["scores"], let name = scores.first?["name"]?.string { return name }
        if case .object(let scores)? = firstSample["scores"], let name = scores.keys.sorted().first { return name }
        throw InputError(file: file, field: "results.scores", "the log names no scorer")
    }

    private static func decode(_ bytes: [UInt8], file: String?, member: String?) throws -> DecimalJSON {
        try InputFile.checkUTF8(bytes, file: file, field: member)
        try JSONOutline.checkDepth(bytes, limit: DecimalJSON.maxDepth, file: file, field: member)
        do {
            return try JSONDecoder().decode(DecimalJSON.self, from: Data(bytes))
        } catch {
            throw InputError(file: file, field: member, "not valid JSON")
        }
    }
}

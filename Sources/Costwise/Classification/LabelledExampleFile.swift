/// A JSONL file of labelled task descriptions: one `{"text", "task"}` object a line, with an
/// optional `split` naming the part of the set it belongs to (the bundled set uses `train` and
/// `held-out`).
public enum LabelledExampleFile {
    static let keys: Set<String> = ["text", "task", "split"]

    /// The examples of `bytes`, or only those whose `split` is `split` when one is given.
    ///
    /// - Throws: ``InputError`` naming the file, line and field of the first bad line: not a JSON
    ///   object, an unknown key, a missing text, or a task type not in `taskTypes` (a typo must not
    ///   teach a classifier a task type that nothing can route). A file with no example (in that
    ///   split) is refused too.
    public static func parse(_ bytes: [UInt8], file: String?, taskTypes: Set<String>, split: String? = nil) throws -> [LabelledExample] {
        var examples: [LabelledExample] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 0
        while start <= bytes.count {
            line += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let text = bytes[start..<end]
            start = end + 1
            guard text.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let record = try JSONRecord(fields: JSONRecord.decodeObject(text, file: file, line: line), file: file, line: line,
                                        allowedKeys: keys)
            let example = LabelledExample(text: try record.string("text"), task: try record.string("task").trimmingSpaces,
                                          split: try record.optionalString("split"))
            guard taskTypes.contains(example.task) else {
                throw record.error("task", CatalogError.unknownTaskType(example.task).description)
            }
            if split == nil || example.split == split { examples.append(example) }
        }
        guard !examples.isEmpty else {
            throw InputError(file: file, split.map { "no example has split '\($0)'" } ?? "no example: one {\"text\", \"task\"} object a line")
        }
        return examples
    }
}

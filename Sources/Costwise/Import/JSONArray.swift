import FoundationEssentials

/// A JSON file holding an array of objects, each read as a ``JSONRecord`` whose line is the line
/// its opening brace stands on.
enum JSONArray {
    static func records(_ bytes: [UInt8], file: String?, allowedKeys: Set<String>) throws -> [JSONRecord] {
        let elements = topLevelElements(bytes)
        let values: [JSONScalar]
        do {
            values = try JSONDecoder().decode([JSONScalar].self, from: Data(bytes))
        } catch {
            // Find the element that breaks the document, to name its line.
            for element in elements {
                _ = try JSONRecord.decodeObject(bytes[element.range], file: file, line: element.line)
            }
            throw InputError(file: file, line: 1, "not a JSON array of objects")
        }
        guard values.count == elements.count, elements.allSatisfy({ bytes[$0.range.lowerBound] == UInt8(ascii: "{") }) else {
            let line = elements.first { bytes[$0.range.lowerBound] != UInt8(ascii: "{") }?.line ?? 1
            throw InputError(file: file, line: line, "every element of the array must be an object")
        }
        return try elements.map { element in
            let fields = try JSONRecord.decodeObject(bytes[element.range], file: file, line: element.line)
            return try JSONRecord(fields: fields, file: file, line: element.line, allowedKeys: allowedKeys)
        }
    }

    /// The byte ranges and first lines of the top-level array's object and array elements.
    private static func topLevelElements(_ bytes: [UInt8]) -> [(range: Range<Int>, line: Int)] {
        var elements: [(range: Range<Int>, line: Int)] = []
        var depth = 0
        var line = 1
        var start = 0
        var startLine = 1
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1 { start = offset; startLine = line }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 1 { elements.append((start..<offset + 1, startLine)) }
            default: break
            }
        }
        return elements
    }
}

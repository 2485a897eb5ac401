import FoundationEssentials

/// A JSON file holding an array of objects, each read as a ``JSONRecord`` whose line is the line
/// its opening brace stands on.
enum JSONArray {
    static func records(_ bytes: [UInt8], file: String?, allowedKeys: Set<String>) throws -> [JSONRecord] {
        try InputFile.checkUTF8(bytes, file: file)
        let elements = JSONOutline.containerMembers(bytes)
        let values: [JSONScalar]
        do {
            values = try JSONDecoder().decode([JSONScalar].self, from: Data(bytes))
        } catch {
            // Find the element that breaks the document, to name its line.
            for element in elements {
                _ = try JSONRecord.decodeObject(bytes[element.range], file: file, line: element.line)
            }
            throw InputError(file: file, line: 1, "not a JSON array of objects, or cut short")
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
}

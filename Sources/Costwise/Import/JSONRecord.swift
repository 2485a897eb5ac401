import FoundationEssentials

/// A JSON value read loosely, so that a record's fields can be checked one by one with errors that
/// name them, instead of failing the whole record at the first type mismatch.
enum JSONScalar: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// An array of strings, as a list of names is written.
    case strings([String])
    case nested

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var strings: [String]? = []
            while !array.isAtEnd {
                if case .string(let string) = try array.decode(JSONScalar.self) { strings?.append(string) } else { strings = nil }
            }
            self = strings.map { .strings($0) } ?? .nested
            return
        }
        if (try? decoder.container(keyedBy: AnyKey.self)) != nil {
            self = .nested
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            // The importers check that the text is UTF-8 first, so what the decoder scanned but
            // cannot give as any of these is a number out of a Double's range (1e309): it reads as
            // not finite, so the error names its field.
            self = .number(.nan)
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// One JSON object of an input file, checked against the keys its format allows.
struct JSONRecord: FieldSource {
    let fields: [String: JSONScalar]
    let file: String?
    let line: Int

    init(fields: [String: JSONScalar], file: String?, line: Int, allowedKeys: Set<String>) throws {
        self.fields = fields
        self.file = file
        self.line = line
        if let unknown = fields.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
            throw InputError(file: file, line: line, field: unknown, "unknown key; the keys are \(allowedKeys.sorted().joined(separator: ", "))")
        }
    }

    func value(_ field: String) throws -> FieldValue? {
        switch fields[field] {
        case nil, .null: nil
        case .bool(let value): .bool(value)
        case .number(let value): .number(value)
        case .string(let value): value.isEmpty ? nil : .string(value)
        case .strings(let values): .list(values)
        case .nested: .nested
        }
    }

    /// Decodes one JSON object from `bytes`, reporting syntax errors at `line`. A key given twice is
    /// an error, as a repeated CSV column is: a decoder would keep one of its values without a word.
    static func decodeObject(_ bytes: some Collection<UInt8>, file: String?, line: Int) throws -> [String: JSONScalar] {
        let fields: [String: JSONScalar]
        do {
            fields = try JSONDecoder().decode([String: JSONScalar].self, from: Data(bytes))
        } catch DecodingError.typeMismatch {
            throw InputError(file: file, line: line, "expected a JSON object")
        } catch {
            throw InputError(file: file, line: line, "not valid JSON")
        }
        if let key = JSONOutline.repeatedKey(in: bytes) {
            throw InputError(file: file, line: line, field: key, "the key appears twice")
        }
        return fields
    }
}

/// A value as it stands in an input record: raw CSV text, or a typed JSON value.
enum FieldValue: Sendable, Equatable {
    case text(String)
    case string(String)
    case number(Double)
    case bool(Bool)
    /// A JSON array of strings.
    case list([String])
    /// A JSON array or object where a scalar was expected.
    case nested
}

/// A record of an input file (a CSV row, a JSON object) whose fields are read with checks that
/// name the file, line and field of anything wrong.
protocol FieldSource {
    var file: String? { get }
    var line: Int { get }
    /// The field's value; nil when it is absent, empty or null.
    func value(_ field: String) throws -> FieldValue?
}

extension FieldSource {
    func error(_ field: String?, _ message: String) -> InputError {
        InputError(file: file, line: line, field: field, message)
    }

    func string(_ field: String) throws -> String {
        guard let value = try optionalString(field) else { throw error(field, "required, but missing or empty") }
        return value
    }

    /// A name (of a model, a task type): the text without the spaces and tabs around it, which must
    /// leave something, or a blank name would reach the store.
    func name(_ field: String) throws -> String {
        let name = try string(field).trimmingSpaces
        guard !name.isEmpty else { throw error(field, "required, but blank") }
        return name
    }

    /// A text field; JSON integers are accepted and kept as their decimal text (item ids are often numbers).
    func optionalString(_ field: String) throws -> String? {
        switch try value(field) {
        case nil: return nil
        case .text(let text), .string(let text): return text.isEmpty ? nil : text
        case .number(let number) where number.rounded() == number && abs(number) < 1e15:
            return String(Int64(number))
        default: throw error(field, "expected text")
        }
    }

    /// A finite number, optionally within `range`.
    func optionalDouble(_ field: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        let number: Double
        switch try value(field) {
        case nil: return nil
        case .number(let value): number = value
        case .text(let text):
            guard let value = DecimalFormat.parsePlain(text) ?? Double(text.trimmingSpaces) else {
                throw error(field, "\(text.quoted) is not a number")
            }
            number = value
        default: throw error(field, "expected a number")
        }
        guard number.isFinite else { throw error(field, "must be a finite number") }
        if let range, !range.contains(number) {
            throw error(field, "\(DecimalFormat.string(number)) is outside [\(DecimalFormat.string(range.lowerBound)), \(DecimalFormat.string(range.upperBound))]")
        }
        return number == 0 ? 0 : number
    }

    func double(_ field: String, in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let value = try optionalDouble(field, in: range) else { throw error(field, "required, but missing or empty") }
        return value
    }

    /// A whole number ≥ 0.
    func optionalCount(_ field: String) throws -> Int? {
        guard let number = try optionalDouble(field) else { return nil }
        guard number >= 0, number.rounded() == number, number < 1e15 else {
            throw error(field, "\(DecimalFormat.string(number)) is not a whole number ≥ 0")
        }
        return Int(number)
    }

    /// A list of names: a JSON array of strings, or text with the names separated by `;`, `,` or spaces.
    func optionalNames(_ field: String) throws -> [String]? {
        switch try value(field) {
        case nil: return nil
        case .list(let names): return names
        case .text(let text), .string(let text):
            return text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map(String.init)
        default: throw error(field, "expected a list of names")
        }
    }

    func optionalBool(_ field: String) throws -> Bool? {
        switch try value(field) {
        case nil: return nil
        case .bool(let value): return value
        case .text(let text):
            switch text.trimmingSpaces.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw error(field, "\(text.quoted) is not true or false")
            }
        case .number(let number) where number == 0 || number == 1: return number == 1
        default: throw error(field, "expected true or false")
        }
    }
}

/// A JSON document with its object keys in a fixed order, written with numbers in plain decimal
/// notation (see ``DecimalFormat``), so output is stable and prices read back exactly.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    /// A number written as the given decimal text (which must be a valid JSON number).
    case decimalText(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.text() == rhs.text() }

    /// `value` as a number, or null when absent.
    public static func numberOrNull(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
    public static func integer(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
    public static func stringOrNull(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// An object's members in order; nothing for any other value. For shapes that extend another.
    var members: [(String, JSONValue)] {
        guard case .object(let members) = self else { return [] }
        return members
    }

    /// The JSON text, indented by two spaces a level.
    public func text() -> String {
        var output = ""
        write(to: &output, indent: "")
        return output
    }

    private func write(to output: inout String, indent: String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += value.isFinite ? DecimalFormat.string(value) : "null"
        case .decimalText(let text): output += text
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { output += "[]"; return }
            let inner = indent + "  "
            output += "[\n"
            for (index, value) in values.enumerated() {
                output += inner
                value.write(to: &output, indent: inner)
                output += index == values.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            let inner = indent + "  "
            output += "{\n"
            for (index, (key, value)) in members.enumerated() {
                output += inner
                Self.writeString(key, to: &output)
                output += ": "
                value.write(to: &output, indent: inner)
                output += index == members.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        }
    }

    /// Appends `value` to `output` as a JSON string, quoted and escaped.
    public static func writeString(_ value: String, to output: inout String) {
        output += "\""
        // Runs that need no escape are appended whole, not scalar by scalar: the gateway writes
        // model ids into every answer it passes on.
        let utf8 = value.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                utf8.formIndex(after: &index)
                continue
            }
            output += value[runStart..<index]
            switch byte {
            case UInt8(ascii: "\""): output += "\\\""
            case UInt8(ascii: "\\"): output += "\\\\"
            case UInt8(ascii: "\n"): output += "\\n"
            case UInt8(ascii: "\r"): output += "\\r"
            case UInt8(ascii: "\t"): output += "\\t"
            default:
                let hex = String(byte, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
            utf8.formIndex(after: &index)
            runStart = index
        }
        output += value[runStart..<index]
        output += "\""
    }
}

/// Where the members of a JSON document's top-level array or object stand: their byte ranges, the
/// line each starts on and, in an object, their keys. Lets errors name the line of a bad entry,
/// which a JSON decoder does not tell.
enum JSONOutline {
    struct Member {
        /// The member's key, when the top level is an object.
        var key: String?
        /// The bytes of the member's value.
        var range: Range<Int>
        /// The line its key (or, in an array, its value) starts on.
        var line: Int
    }

    /// The top-level members whose values are objects or arrays (scalars are left out).
    static func containerMembers(_ bytes: [UInt8]) -> [Member] {
        var members: [Member] = []
        var depth = 0
        var line = 1
        var strings = JSONStringTracker()
        var stringStart = 0
        var lastKey: (text: String, line: Int)?
        var pendingString: (text: String, line: Int)?
        var valueStart = 0
        var valueLine = 1
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { line += 1 }
            switch strings.feed(byte) {
            case .inside: continue
            case .openingQuote:
                stringStart = offset
                continue
            case .closingQuote:
                if depth == 1 { pendingString = (String(decoding: bytes[(stringStart + 1)..<offset], as: UTF8.self), line) }
                continue
            case .outside: break
            }
            switch byte {
            case UInt8(ascii: ":") where depth == 1:
                lastKey = pendingString
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 1 { pendingString = nil }
                if byte != UInt8(ascii: ",") {
                    depth -= 1
                    if depth == 1 {
                        members.append(Member(key: lastKey?.text, range: valueStart..<offset + 1, line: lastKey?.line ?? valueLine))
                        lastKey = nil
                    }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1 {
                    valueStart = offset
                    valueLine = line
                }
                depth += 1
            default:
                break
            }
        }
        return members
    }
}

extension JSONOutline {
    /// Throws when arrays and objects in `bytes` nest deeper than `limit`, naming the line where
    /// they do (and `field`, the part of the file the bytes are, when given).
    static func checkDepth(_ bytes: some Collection<UInt8>, limit: Int, file: String?, field: String? = nil) throws {
        var depth = 0
        var line = 1
        var strings = JSONStringTracker()
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { line += 1 }
            guard strings.feed(byte) == .outside else { continue }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit {
                    throw InputError(file: file, line: line, field: field, "arrays and objects nest deeper than \(limit) levels")
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
        }
    }

    /// The first key that appears twice at the top level of the JSON object in `bytes`, compared as
    /// written; nil when every key is given once.
    static func repeatedKey(in bytes: some Collection<UInt8>) -> String? {
        var depth = 0
        var strings = JSONStringTracker()
        var text: [UInt8] = []
        var lastString: [UInt8]?
        var keys: Set<[UInt8]> = []
        for byte in bytes {
            switch strings.feed(byte) {
            case .inside:
                if depth == 1 { text.append(byte) }
                continue
            case .openingQuote:
                text = []
                continue
            case .closingQuote:
                if depth == 1 { lastString = text }
                continue
            case .outside: break
            }
            switch byte {
            case UInt8(ascii: ":") where depth == 1:
                if let key = lastString, !keys.insert(key).inserted { return String(decoding: key, as: UTF8.self) }
                lastString = nil
            case UInt8(ascii: ","):
                lastString = nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
        }
        return nil
    }
}

/// Follows JSON text byte by byte and tells whether each byte stands inside a string, escapes
/// included, so that scanners for structure can skip string contents.
struct JSONStringTracker {
    enum Position { case outside, openingQuote, inside, closingQuote }

    private var inString = false
    private var escaped = false

    mutating func feed(_ byte: UInt8) -> Position {
        guard inString else {
            if byte == UInt8(ascii: "\"") {
                inString = true
                return .openingQuote
            }
            return .outside
        }
        if escaped {
            escaped = false
        } else if byte == UInt8(ascii: "\\") {
            escaped = true
        } else if byte == UInt8(ascii: "\"") {
            inString = false
            return .closingQuote
        }
        return .inside
    }
}

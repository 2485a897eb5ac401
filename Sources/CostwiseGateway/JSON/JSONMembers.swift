import Costwise

/// The top-level members of a JSON object as byte ranges, so that a body can be passed on with a
/// few members replaced, dropped or added and every other byte as the client or upstream wrote it:
/// no decoding and re-encoding of numbers, key order or fields the gateway does not know.
///
/// Reads well-formed JSON only: callers decode the document first (which checks it) or pass on
/// what they cannot read unchanged.
struct JSONMembers {
    struct Member {
        /// The key as written, without quotes (escapes are left as they are).
        var key: String
        /// From the key's opening quote to the value's end.
        var whole: Range<Int>
        /// The value's bytes.
        var value: Range<Int>
    }

    let bytes: [UInt8]
    let members: [Member]
    /// The position of the object's closing brace.
    let end: Int

    /// Members already found in `bytes` (by ``JSONReader``), the object's closing brace at `end`.
    init(bytes: [UInt8], members: [Member], end: Int) {
        self.bytes = bytes
        self.members = members
        self.end = end
    }

    /// The members of the object that `bytes` holds, or nil when it holds no object.
    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var members: [Member] = []
        while true {
            scanner.skipWhitespace()
            if scanner.consume(UInt8(ascii: "}")) { break }
            _ = scanner.consume(UInt8(ascii: ","))
            scanner.skipWhitespace()
            let keyStart = scanner.position
            guard scanner.peek == UInt8(ascii: "\""), let keyEnd = scanner.skipString() else { return nil }
            scanner.skipWhitespace()
            guard scanner.consume(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            let valueStart = scanner.position
            guard let valueEnd = scanner.skipValue() else { return nil }
            let key = String(decoding: bytes[(keyStart + 1)..<(keyEnd - 1)], as: UTF8.self)
            members.append(Member(key: key, whole: keyStart..<valueEnd, value: valueStart..<valueEnd))
        }
        self.members = members
        end = scanner.position - 1
    }

    /// The member named `key`.
    func member(_ key: String) -> Member? {
        members.first { $0.key == key }
    }

    /// The value of `key` as bytes.
    func value(_ key: String) -> ArraySlice<UInt8>? {
        member(key).map { bytes[$0.value] }
    }

    /// The object again with the values of `replacing` put in place of its members' (or added at
    /// the end when it has none of that name) and the members named in `removing` left out.
    /// Values are JSON text. Both lists hold a name or two, so they are searched, not hashed.
    func rewritten(replacing: [(key: String, value: String)], removing: [String] = []) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        output.append(UInt8(ascii: "{"))
        var first = true
        func separate() {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
        }
        var placed = [Bool](repeating: false, count: replacing.count)
        for member in members {
            let key = member.key
            if removing.contains(key) { continue }
            separate()
            if let index = replacing.firstIndex(where: { $0.key == key }) {
                placed[index] = true
                output += bytes[member.whole.lowerBound..<member.value.lowerBound]
                output += replacing[index].value.utf8
            } else {
                output += bytes[member.whole]
            }
        }
        for (index, (key, value)) in replacing.enumerated() where !placed[index] {
            separate()
            output += JSONText.string(key).utf8
            output.append(UInt8(ascii: ":"))
            output += value.utf8
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// Walks JSON text without building anything.
    struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            position += 1
            return true
        }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        /// Skips the string that starts here; returns the position after its closing quote.
        mutating func skipString() -> Int? {
            position += 1
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\\"): position += 2
                case UInt8(ascii: "\""):
                    position += 1
                    return position
                default: position += 1
                }
            }
            return nil
        }

        /// Skips the value that starts here; returns the position after it.
        mutating func skipValue() -> Int? {
            guard let byte = peek else { return nil }
            switch byte {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let current = peek {
                    switch current {
                    case UInt8(ascii: "\""):
                        guard skipString() != nil else { return nil }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            position += 1
                            return position
                        }
                    default: break
                    }
                    position += 1
                }
                return nil
            default:
                while let current = peek, current != UInt8(ascii: ","), current != UInt8(ascii: "}"), current != UInt8(ascii: "]"),
                      current != 0x20, current != 0x0A, current != 0x0D, current != 0x09 {
                    position += 1
                }
                return position
            }
        }
    }
}

/// JSON text for values the gateway writes itself.
enum JSONText {
    /// `text` as a JSON string, quoted and escaped.
    static func string(_ text: String) -> String {
        var output = ""
        JSONValue.writeString(text, to: &output)
        return output
    }

    /// A number as JSON in plain decimal notation (`0.00000945`, never `9.45e-06`), as the rest of
    /// Costwise prints figures; non-finite numbers are null.
    static func number(_ value: Double) -> String {
        value.isFinite ? DecimalFormat.string(value) : "null"
    }
}

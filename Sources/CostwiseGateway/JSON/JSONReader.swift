/// Reads JSON text in one pass, checking it as it goes, into what the caller asks for: the caller
/// walks the document (an object's members, an array's elements) and takes the values it knows as
/// strings, numbers and booleans, and skips the rest.
///
/// The gateway reads a request body this way once, rather than decoding it with `JSONDecoder` and
/// then scanning it again for the members it rewrites: on a small chat request that decode alone
/// took 7 µs of CPU, most of the gateway's own work besides the network (see benchmarks/RESULTS.md).
/// Errors name the field by its path (`messages[0].role`), as an OpenAI-style 400 the client can act on.
struct JSONReader {
    let bytes: [UInt8]
    private(set) var position = 0
    /// Where the key of the member being read starts (its opening quote).
    private(set) var keyStart = 0
    /// How deep arrays and objects may nest, as `JSONDecoder` allows.
    static let maximumDepth = 512

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The kind of value that starts here (after whitespace), without reading it.
    enum Kind {
        case object, array, string, number, bool, null
    }

    mutating func peekKind() throws(GatewayError) -> Kind {
        skipWhitespace()
        guard position < bytes.count else { throw corrupt("the body ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw corrupt("unexpected '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    /// Reads an object, calling `member` with each key; `member` must read or skip the value.
    mutating func object(at path: @autoclosure () -> String, depth: Int = 0,
                         _ member: (inout JSONReader, String) throws(GatewayError) -> Void) throws(GatewayError) {
        guard try peekKind() == .object else { throw wrongType(path(), expected: "an object") }
        guard depth < Self.maximumDepth else { throw corrupt("the document nests too deeply") }
        position += 1
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw corrupt("expected a member name") }
            keyStart = position
            let key = try readString()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw corrupt("expected ':' after \"\(key)\"") }
            try member(&self, key)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { return }
            throw corrupt("expected ',' or '}' in an object")
        }
    }

    /// Reads an array, calling `element` with each index; `element` must read or skip the value.
    mutating func array(at path: @autoclosure () -> String, depth: Int = 0,
                        _ element: (inout JSONReader, Int) throws(GatewayError) -> Void) throws(GatewayError) {
        guard try peekKind() == .array else { throw wrongType(path(), expected: "an array") }
        guard depth < Self.maximumDepth else { throw corrupt("the document nests too deeply") }
        position += 1
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { return }
            throw corrupt("expected ',' or ']' in an array")
        }
    }

    /// Reads `null` if it is next; whether it was.
    mutating func null() throws(GatewayError) -> Bool {
        guard try peekKind() == .null else { return false }
        try literal("null")
        return true
    }

    mutating func string(at path: @autoclosure () -> String) throws(GatewayError) -> String {
        guard try peekKind() == .string else { throw wrongType(path(), expected: "a string") }
        return try readString()
    }

    mutating func bool(at path: @autoclosure () -> String) throws(GatewayError) -> Bool {
        guard try peekKind() == .bool else { throw wrongType(path(), expected: "true or false") }
        if bytes[position] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    mutating func double(at path: @autoclosure () -> String) throws(GatewayError) -> Double {
        guard try peekKind() == .number else { throw wrongType(path(), expected: "a number") }
        let text = try readNumber()
        guard let value = Double(Substring(decoding: text, as: UTF8.self)) else { throw wrongType(path(), expected: "a number") }
        return value
    }

    mutating func int(at path: @autoclosure () -> String) throws(GatewayError) -> Int {
        guard try peekKind() == .number else { throw wrongType(path(), expected: "an integer") }
        let text = try readNumber()
        if let value = Int(Substring(decoding: text, as: UTF8.self)) { return value }
        // 1e3 or 100.0 is an integer too, as JSONDecoder reads it.
        guard let value = Double(Substring(decoding: text, as: UTF8.self)), value.rounded() == value, let exact = Int(exactly: value) else {
            throw wrongType(path(), expected: "an integer")
        }
        return exact
    }

    /// Skips the value that starts here, checking it.
    mutating func skipValue(depth: Int = 0) throws(GatewayError) {
        switch try peekKind() {
        case .object: try object(at: "", depth: depth) { reader, _ throws(GatewayError) in try reader.skipValue(depth: depth + 1) }
        case .array: try array(at: "", depth: depth) { reader, _ throws(GatewayError) in try reader.skipValue(depth: depth + 1) }
        case .string: try skipString()
        case .number: _ = try readNumber()
        case .bool: _ = try bool(at: "")
        case .null: _ = try null()
        }
    }

    /// Checks that nothing but whitespace follows.
    mutating func end() throws(GatewayError) {
        skipWhitespace()
        guard position == bytes.count else { throw corrupt("unexpected text after the end of the document") }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    // MARK: Tokens

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func literal(_ word: StaticString) throws(GatewayError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw corrupt("the body ends inside a literal") }
        let matches = word.withUTF8Buffer { expected in
            expected.elementsEqual(bytes[position..<(position + count)])
        }
        guard matches else { throw corrupt("unexpected text where \(word) should be") }
        position += count
    }

    /// The number that starts here, as its text, checked against JSON's grammar.
    private mutating func readNumber() throws(GatewayError) -> ArraySlice<UInt8> {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        guard position < bytes.count, isDigit(bytes[position]) else { throw corrupt("a number needs digits") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if consume(UInt8(ascii: ".")) {
            guard position < bytes.count, isDigit(bytes[position]) else { throw corrupt("a number needs digits after '.'") }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard position < bytes.count, isDigit(bytes[position]) else { throw corrupt("a number needs digits in its exponent") }
            skipDigits()
        }
        return bytes[start..<position]
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    /// Skips the string that starts here, checking it; whether it held escapes.
    @discardableResult
    private mutating func skipString() throws(GatewayError) -> Bool {
        position += 1
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                guard position + 1 < bytes.count else { throw corrupt("the body ends inside a string") }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= bytes.count, bytes[(position + 2)..<(position + 6)].allSatisfy({ $0.isHexDigit }) else {
                        throw corrupt("a \\u escape needs four hex digits")
                    }
                    position += 6
                default:
                    throw corrupt("an unknown escape in a string")
                }
            case 0..<0x20:
                throw corrupt("a control character inside a string")
            case 0x80...:
                try skipUTF8Sequence()
            default:
                position += 1
            }
        }
        throw corrupt("the body ends inside a string")
    }

    /// Skips one multi-byte UTF-8 character, checking it is one.
    private mutating func skipUTF8Sequence() throws(GatewayError) {
        let lead = bytes[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw corrupt("a string is not valid UTF-8")
        }
        guard position + length <= bytes.count, (low...high).contains(bytes[position + 1]),
              bytes[(position + 2)..<(position + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else {
            throw corrupt("a string is not valid UTF-8")
        }
        position += length
    }

    /// The string that starts here, unescaped.
    private mutating func readString() throws(GatewayError) -> String {
        let start = position + 1
        let escaped = try skipString()
        let content = bytes[start..<(position - 1)]
        return escaped ? Self.unescape(content) : String(decoding: content, as: UTF8.self)
    }

    /// A checked string's content with its escapes resolved.
    private static func unescape(_ content: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var index = content.startIndex
        func hex(at start: Int) -> UInt32 {
            content[start..<(start + 4)].reduce(0) { $0 << 4 | UInt32($1.hexDigitValue) }
        }
        while index < content.endIndex {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let kind = content[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex(at: index)
                index += 4
                // A high surrogate followed by an escaped low one is one character.
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= content.endIndex, content[index] == UInt8(ascii: "\\"),
                   content[index + 1] == UInt8(ascii: "u") {
                    let second = hex(at: index + 2)
                    if (0xDC00..<0xE000).contains(second) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (second - 0xDC00)
                        index += 6
                    }
                }
                output.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: output.append(kind)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Errors

    private func corrupt(_ reason: String) -> GatewayError {
        GatewayError(status: 400, type: .invalidRequest, code: "invalid_json", "the body is not valid JSON: \(reason) at byte \(position)")
    }

    private func wrongType(_ path: String, expected: String) -> GatewayError {
        GatewayError(status: 400, type: .invalidRequest, code: "invalid_field", "'\(path)' has the wrong type: expected \(expected)", param: path)
    }
}

private extension UInt8 {
    var isHexDigit: Bool { hexDigitValue < 16 }

    /// The value of a hex digit; 16 for any other byte.
    var hexDigitValue: UInt8 {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: 16
        }
    }
}

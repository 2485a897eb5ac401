#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads RFC 4180 CSV from bytes: quoted fields with commas, doubled quotes and line breaks; LF or
/// CRLF line ends; a UTF-8 byte-order mark.
///
/// Hand-written over bytes because evaluation runs are large (300,000 rows import in well under a
/// second) and errors must name the line a bad record starts on.
struct CSVReader {
    private let bytes: [UInt8]
    private var position: Int
    private var line = 1
    let file: String?
    /// The header's column names, once it is read: errors in a field then name its column.
    var columns: [String] = []
    /// The fields of the record read last. Its array is filled again for the next record (a caller
    /// that let go of it spares allocating one a record), and its strings are kept for fields that
    /// repeat them.
    private var fields: [String] = []

    init(bytes: [UInt8], file: String? = nil) {
        self.bytes = bytes
        self.file = file
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = hasBOM ? 3 : 0
    }

    /// The next record and the line it starts on; nil at the end. Blank lines are skipped.
    mutating func nextRecord() throws -> (fields: [String], line: Int)? {
        let bytes = self.bytes
        // Fields are read through a pointer: slicing the array would retain and release it a field.
        return try bytes.withUnsafeBufferPointer { try nextRecord(in: $0) }
    }

    private mutating func nextRecord(in bytes: UnsafeBufferPointer<UInt8>) throws -> (fields: [String], line: Int)? {
        while position < bytes.count, bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r") {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        let startLine = line
        var count = 0
        while true {
            let field = try readField(in: bytes, recordLine: startLine, column: count)
            if count < fields.count { fields[count] = field } else { fields.append(field) }
            count += 1
            guard position < bytes.count else { break }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: ",") { continue }
            if separator == UInt8(ascii: "\r"), position < bytes.count, bytes[position] == UInt8(ascii: "\n") { position += 1 }
            line += 1
            break
        }
        fields.removeSubrange(count...)
        return (fields, startLine)
    }

    private mutating func readField(in bytes: UnsafeBufferPointer<UInt8>, recordLine: Int, column: Int) throws -> String {
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            return try readQuotedField(in: bytes, recordLine: recordLine, column: column)
        }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            if byte == UInt8(ascii: "\"") {
                throw InputError(file: file, line: line, "a quote inside an unquoted field (quote the whole field and double the quote)")
            }
            position += 1
        }
        return try text(UnsafeBufferPointer(rebasing: bytes[start..<position]), recordLine: recordLine, column: column)
    }

    private mutating func readQuotedField(in bytes: UnsafeBufferPointer<UInt8>, recordLine: Int, column: Int) throws -> String {
        position += 1
        var field: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") {
                if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                    field.append(byte)
                    position += 1
                    continue
                }
                if position < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[position]) {
                    throw InputError(file: file, line: line, "text after the closing quote of a quoted field")
                }
                return try field.withUnsafeBufferPointer { try text($0, recordLine: recordLine, column: column) }
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            field.append(byte)
        }
        throw InputError(file: file, line: recordLine, "a quoted field is never closed")
    }

    private func text(_ bytes: UnsafeBufferPointer<UInt8>, recordLine: Int, column: Int) throws -> String {
        // A column often holds one value record after record (a model, a task, a run): keep its string
        // rather than decode (and for longer text, allocate) an equal one.
        if column < fields.count, fields[column].utf8.count == bytes.count, bytes.isEmpty
            || fields[column].utf8.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) == true {
            return fields[column]
        }
        // Plain ASCII, most fields, needs no validating: decoding it is exact and much faster.
        if bytes.reduce(0, |) < 0x80 {
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: file, line: recordLine, field: columns.indices.contains(column) ? columns[column] : nil,
                             "the text is not valid UTF-8")
        }
        return text
    }
}

import FoundationEssentials

/// Reads input files whole, with errors that name the file.
public enum InputFile {
    public static func bytes(atPath path: String) throws -> [UInt8] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        guard !isDirectory, let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, isDirectory ? "is a folder, not a file" : "cannot be read")
        }
        return Array(data)
    }

    /// Throws unless `bytes` are valid UTF-8, naming the line of the first bad byte (and `field`, the
    /// part of the file they are, when given). JSON must be UTF-8, and a decoder that meets a bad
    /// string deep in a record says no more than that the record is not what it expected.
    static func checkUTF8(_ bytes: some Collection<UInt8>, file: String?, field: String? = nil) throws {
        guard String(validating: bytes, as: UTF8.self) == nil else { return }
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            if scalar == "\n" { line += 1 }
        }
        throw InputError(file: file, line: line, field: field, "the text is not valid UTF-8")
    }

    /// The first byte that is not a byte-order mark or white space: enough to tell JSON from CSV.
    static func firstSignificantByte(_ bytes: [UInt8]) -> UInt8? {
        bytes.drop { [0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0A, 0x0D].contains($0) }.first
    }
}

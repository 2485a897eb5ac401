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

    /// The first byte that is not a byte-order mark or white space: enough to tell JSON from CSV.
    static func firstSignificantByte(_ bytes: [UInt8]) -> UInt8? {
        bytes.drop { [0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0A, 0x0D].contains($0) }.first
    }
}

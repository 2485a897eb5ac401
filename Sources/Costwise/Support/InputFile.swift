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
}

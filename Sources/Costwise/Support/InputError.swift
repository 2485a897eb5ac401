/// Bad input in a file or argument, located as precisely as it can be: the file, the line and the
/// field. Nothing is written to the store when one is thrown.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file that holds the bad input, when it came from one.
    public var file: String?
    /// The 1-based line the bad record starts on.
    public var line: Int?
    /// The field (column or key) that is wrong.
    public var field: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = ""
        if let file { location += file }
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        if let field { location += location.isEmpty ? "field \(field.quoted)" : ": field \(field.quoted)" }
        return location.isEmpty ? message : "\(location): \(message)"
    }

    /// The same error, placed in `file` when it has no file yet.
    func located(in file: String) -> InputError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}

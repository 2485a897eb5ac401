import ArgumentParser
import Costwise

/// `--require` and `--capability` take a known capability; another name is a usage error that names
/// it and lists the known ones.
extension Capability: ExpressibleByArgument {
    public init?(argument: String) {
        guard let known = try? Capability(validating: argument) else { return nil }
        self = known
    }

    public static var allValueStrings: [String] { known.map(\.rawValue) }
}

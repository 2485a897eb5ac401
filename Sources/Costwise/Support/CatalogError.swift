/// A reference to something the catalog does not hold.
///
/// A typo must never create a model or task type: `models set`, `models import` and `tasks set` add
/// them; everything else refers to them.
public struct CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case unknownTaskType
        case unknownModel
    }

    public var kind: Kind
    /// The name that was not found.
    public var name: String

    public static func unknownTaskType(_ name: String) -> CatalogError { CatalogError(kind: .unknownTaskType, name: name) }
    public static func unknownModel(_ name: String) -> CatalogError { CatalogError(kind: .unknownModel, name: name) }

    public var description: String {
        switch kind {
        case .unknownTaskType: "unknown task type \(name.quoted) (see `costwise tasks list`; `costwise tasks set` adds one)"
        case .unknownModel: "unknown model \(name.quoted) (see `costwise models list`; `costwise models set` adds one)"
        }
    }
}

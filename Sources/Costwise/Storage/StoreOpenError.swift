/// Why a store file cannot be used as a Costwise store: found when it is opened, or, for damage in
/// a part of the file that opening does not read, when that part is first read.
public struct StoreOpenError: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable, Equatable {
        /// The file was written by a newer Costwise, whose schema this version does not know.
        case newerSchema(found: Int, supported: Int)
        /// The file (or PostgreSQL database) holds another application's data.
        case notACostwiseStore
        /// The file is not a readable SQLite database (truncated, corrupted, or not SQLite at all).
        case unreadable(String)
        /// There is no file, and it cannot be made (its folder cannot be created or written).
        case cannotCreate(String)
    }

    public var path: String
    public var reason: Reason

    public var description: String {
        switch reason {
        case let .newerSchema(found, supported):
            "\(path): the store has schema version \(found), newer than this costwise supports (\(supported)); upgrade costwise to open it"
        case .notACostwiseStore:
            "\(path): not a Costwise store (it is a database of another application)"
        case let .unreadable(detail):
            "\(path): not a readable Costwise store: \(detail)"
        case let .cannotCreate(detail):
            "\(path): cannot create the store: \(detail)"
        }
    }
}

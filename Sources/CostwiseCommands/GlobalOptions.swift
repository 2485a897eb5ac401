import ArgumentParser
import Costwise
import FoundationEssentials

/// The options every command takes, anywhere after its name: the store and the output format.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (default: $COSTWISE_DB, else $XDG_DATA_HOME/costwise/costwise.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    var storePath: String {
        db ?? SQLiteStore.defaultPath(environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the store, creating and seeding it with the bundled catalog if it does not exist.
    func openStore() throws -> SQLiteStore {
        try SQLiteStore(path: storePath)
    }
}

import ArgumentParser
import Costwise

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store, seeded with the bundled catalog unless --empty.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Create the store with no models, task types or prior scores.")
    var empty = false

    func run() throws {
        let path = global.storeName
        guard PostgresURL.isPostgres(global.storePath) || !SQLiteStore.exists(at: path) else {
            throw CommandError(description: "\(path): a store already exists there")
        }
        let store = try global.openStore(seed: empty ? .empty : .bundledCatalog)
        guard store.wasCreated else {
            throw CommandError(description: "\(path): a store already exists there")
        }
        let snapshot = try store.snapshot()
        if global.json {
            Console.printJSON(snapshot.contentsJSON(path: path))
        } else {
            Console.print("created \(path): \(snapshot.models.count) models, \(snapshot.taskTypes.count) task types, "
                + "\(snapshot.estimates.count) prior scores")
        }
    }
}

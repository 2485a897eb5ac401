import ArgumentParser
import Costwise

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move a whole store between SQLite and PostgreSQL.",
        subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole store into a new, empty one, and verify it row for row.",
            discussion: """
                Either may be a file or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. The destination is \
                created (its database must exist on PostgreSQL) and must hold nothing; on any error or \
                difference it is left as it was.
                """)

        @Option(help: ArgumentHelp("The store to copy.", valueName: "path|url"))
        var from: String
        @Option(help: ArgumentHelp("The new store.", valueName: "path|url"))
        var to: String
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if from == to { throw ValidationError("--from and --to name the same store") }
        }

        func run() throws {
            let source = try StoreLocation.open(from, seed: .empty)
            let destination = try StoreLocation.open(to, seed: .empty)
            let report = try StoreCopy.copy(from: source, to: destination)
            if json {
                Console.printJSON(.object(report.rows.map { ($0.table, .number(Double($0.count))) }))
            } else {
                Console.print("copied \(source.path) to \(destination.path), verified row for row: "
                    + report.rows.filter { $0.count > 0 }.map { "\($0.count) \($0.table)" }.joined(separator: ", "))
            }
        }
    }
}

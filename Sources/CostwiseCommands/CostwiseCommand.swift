import ArgumentParser
import Costwise
import Dispatch
import Synchronization

/// The `costwise` command tree, run by both executables (see ``NetworkStack``).
public struct CostwiseCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "costwise",
        abstract: "Pick the cheapest LLM whose measured quality for a task type clears a threshold.",
        discussion: """
            Costwise keeps each model's price and its measured quality per task type in one SQLite store, \
            takes evaluation results back in, and exports price tables and routing maps. A store that does \
            not exist yet is created and seeded with the bundled catalog on first use.
            """,
        subcommands: [
            InitCommand.self, ModelsCommand.self, TasksCommand.self, RecordCommand.self, EvalsCommand.self,
            ScoresCommand.self, SelectCommand.self, ClassifyCommand.self, RouteCommand.self, ClassifierCommand.self, ExportCommand.self, ReviewCommand.self, ReportCommand.self, SettingsCommand.self, PlanCommand.self, ReplayCommand.self, TuneCommand.self,
            ServeCommand.self, RequestsCommand.self, KeysCommand.self, StoreCommand.self,
        ]
    )

    /// Exit status when no model qualifies.
    static let noQualifyingModelExitCode: Int32 = 3

    public init() {}

    /// Parses the command line and runs the command, with `stack` for what needs the network.
    ///
    /// Synchronous, so that the commands that wait for nothing (`select` and most others) start
    /// without the concurrency runtime's threads; those that may wait for HTTP answers (`serve`, and
    /// `classify`, `route`, `plan` and `classifier evaluate` with the llm classifier) are async and
    /// run on the runtime while this thread waits.
    public static func run(with stack: any NetworkStack) {
        FileSizeLimit.failWritesInsteadOfExiting()
        do {
            let arguments = movingGlobalOptionsToEnd(Array(CommandLine.arguments.dropFirst()))
            if let select = SelectCommand.parsedDirectly(arguments) {
                try Network.$stack.withValue(stack) { try select.run() }
                return
            }
            var command = try parseAsRoot(arguments)
            if let asyncCommand = command as? any AsyncParsableCommand {
                try waitFor {
                    var asyncCommand = asyncCommand
                    try await Network.$stack.withValue(stack) { try await asyncCommand.run() }
                }
            } else {
                try Network.$stack.withValue(stack) { try command.run() }
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CommandError {
            Console.error(error.description)
            exit(withError: ExitCode(error.exitCode))
        } catch let error as InputError {
            Console.error(error.description)
            exit(withError: ExitCode.failure)
        } catch let error as CatalogError {
            Console.error(error.description)
            exit(withError: ExitCode.failure)
        } catch let error as StoreOpenError {
            Console.error(error.description)
            exit(withError: ExitCode.failure)
        } catch let error as DatabaseError {
            Console.error(error.description)
            exit(withError: ExitCode.failure)
        } catch {
            exit(withError: error)
        }
    }

    /// Runs `body` to its end on the concurrency runtime's threads while this thread waits.
    private static func waitFor(_ body: sending @escaping () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Void, any Error>>(.success(()))
        Task {
            do {
                try await body()
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }.get()
    }

    /// `--db PATH` and `--json` may stand anywhere on the line, also before the subcommand's name;
    /// every command declares them, so moving them to the end keeps their meaning.
    static func movingGlobalOptionsToEnd(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var global: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                kept += arguments[index...]
                break
            }
            if argument == "--json" || argument.hasPrefix("--db=") {
                global.append(argument)
            } else if argument == "--db", index + 1 < arguments.count {
                global += [argument, arguments[index + 1]]
                index += 1
            } else {
                kept.append(argument)
            }
            index += 1
        }
        if let terminator = kept.firstIndex(of: "--") {
            return Array(kept[..<terminator]) + global + kept[terminator...]
        }
        return kept + global
    }
}

/// A failure a command reports itself, with its exit status.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1
}

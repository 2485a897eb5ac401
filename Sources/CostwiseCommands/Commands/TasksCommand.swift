import ArgumentParser
import Costwise

struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List and set task types.",
        subcommands: [List.self, SetTask.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Task types with their tier and default tokens.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let tasks = try global.openStore().taskTypes()
            if global.json {
                Console.printJSON(.array(tasks.map(\.json)))
                return
            }
            var table = TextTable(header: ["name", "tier", "input_tokens", "output_tokens", "min_quality"], numericColumns: [1, 2, 3, 4])
            for task in tasks {
                table.rows.append([task.name, String(task.tier), String(task.inputTokens), String(task.outputTokens),
                                   task.minQuality.map(DecimalFormat.string) ?? ""])
            }
            Console.print(table.render())
        }
    }

    struct SetTask: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Create a task type, or change one; what is not given keeps its value (or its default).")
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The task type's name, e.g. classification.")
        var name: String
        @Option(help: "The tier the task routes to: 1, 2 or 3 (default 2).")
        var tier: Int?
        @Option(help: "Input tokens of a typical request (default 1000).")
        var inputTokens: Int?
        @Option(help: "Output tokens of a typical request (default 500).")
        var outputTokens: Int?
        @Option(help: ArgumentHelp("The quality threshold used when a selection names none, in [0, 1].", valueName: "Q"))
        var minQuality: Double?

        func validate() throws {
            if let tier, !(1...3).contains(tier) { throw ValidationError("--tier must be 1, 2 or 3") }
            if let inputTokens, inputTokens < 0 { throw ValidationError("--input-tokens must be at least 0") }
            if let outputTokens, outputTokens < 0 { throw ValidationError("--output-tokens must be at least 0") }
            if name.isEmpty { throw ValidationError("the task type's name is empty") }
            if let minQuality, !(0...1).contains(minQuality) { throw ValidationError("--min-quality must be in [0, 1]") }
        }

        func run() throws {
            let task = try global.openStore().setTaskType(
                TaskTypeUpdate(name: name, tier: tier, inputTokens: inputTokens, outputTokens: outputTokens, minQuality: minQuality))
            if global.json {
                Console.printJSON(task.json)
            } else {
                Console.print("\(task.name): tier \(task.tier), \(task.inputTokens) input and \(task.outputTokens) output tokens"
                    + (task.minQuality.map { ", default threshold \(DecimalFormat.string($0))" } ?? ""))
            }
        }
    }
}

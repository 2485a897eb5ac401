import ArgumentParser
import Costwise

struct ModelsAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Make another name for a model resolve to its id in price and result imports.",
        discussion: "Without arguments, lists the aliases. Example: costwise models alias gpt-4o-mini-2024-07-18 openai/gpt-4o-mini")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The other name, as evaluation logs or price files spell it.")
    var name: String?
    @Argument(help: "The catalog's model id.")
    var id: String?

    func validate() throws {
        guard (name == nil) == (id == nil) else { throw ValidationError("give both the name and the model id, or neither") }
    }

    func run() throws {
        let store = try global.openStore()
        if let name, let id {
            try store.setAlias(name, model: id)
            Console.print(global.json ? JSONValue.alias(name, model: id).text() : "\(name) -> \(id)")
            return
        }
        let aliases = try store.aliases()
        if global.json {
            Console.printJSON(.array(aliases.map { .alias($0.alias, model: $0.model) }))
        } else {
            Console.print(aliases.map { "\($0.alias) -> \($0.model)" }.joined(separator: "\n"))
        }
    }
}

import ArgumentParser
import Costwise

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Store settings: log-selections (true logs every selection).",
        discussion: "Without arguments, lists the settings; with a key and a value, sets it; with a key and --unset, removes it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The setting.")
    var key: String?
    @Argument(help: "Its new value.")
    var value: String?
    @Flag(help: "Remove the setting.")
    var unset = false

    func validate() throws {
        guard let key else {
            if value != nil || unset { throw ValidationError("name the setting") }
            return
        }
        do {
            try SQLiteStore.checkSetting(key, value: value)
        } catch let error as InputError {
            throw ValidationError(error.message)
        }
        if unset == (value != nil) { throw ValidationError("give a value, or --unset") }
    }

    func run() throws {
        let store = try global.openStore()
        if let key {
            try store.setSetting(key, to: unset ? nil : value)
        }
        let settings = try store.settings()
        if global.json {
            Console.printJSON(.settings(settings))
        } else {
            Console.print(settings.map { "\($0.key) = \($0.value)" }.joined(separator: "\n"))
        }
    }
}

import ArgumentParser
import Costwise
import FoundationEssentials

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the price table or the routing map.",
        subcommands: [Prices.self, RoutingMapCommand.self])

    struct Prices: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prices", abstract: "The price table, with prices exactly as entered.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "csv, json, markdown, litellm (a custom model_cost map) or openrouter (its /models shape).")
        var format: PriceExport.Format = .csv
        @Option(help: "Write to this file instead of standard output.")
        var output: String?

        func run() throws {
            try emit(PriceExport.text(global.openStore().models(), format: global.json ? .json : format), to: output)
        }
    }

    struct RoutingMapCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "routing-map",
            abstract: "Per task type and threshold: the model chosen, its quality and cost per 1,000 requests, "
                + "and what the cheapest top-tier model would cost.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Comma-separated thresholds in [0, 1].", valueName: "list"))
        var thresholds: String = "0.7,0.8,0.9"
        @Option(help: "csv, json or markdown.")
        var format: ExportFormat = .csv
        @Option(help: "Write to this file instead of standard output.")
        var output: String?
        @Option(name: .customLong("require"),
                help: ArgumentHelp("For requests that need this capability (repeatable).", valueName: "capability"))
        var requiredCapabilities: [Capability] = []

        var thresholdValues: [Double] {
            get throws {
                try thresholds.split(separator: ",").map { part in
                    guard let value = Double(part.filter { $0 != " " }), (0...1).contains(value) else {
                        throw ValidationError("--thresholds: '\(part)' is not a number in [0, 1]")
                    }
                    return value
                }
            }
        }

        func validate() throws {
            guard try !thresholdValues.isEmpty else { throw ValidationError("--thresholds is empty") }
        }

        func run() throws {
            let map = try RoutingMap(snapshot: global.openStore().snapshot(), thresholds: thresholdValues,
                                     requiring: Set(requiredCapabilities))
            try emit(map.export(format: global.json ? .json : format), to: output)
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension PriceExport.Format: ExpressibleByArgument {}

/// Prints `text`, or writes it to `path`.
private func emit(_ text: String, to path: String?) throws {
    guard let path else {
        Console.print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        return
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        throw CommandError(description: "\(path): cannot write: \(error)")
    }
}

import ArgumentParser
import Costwise

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, add, price, import, enable and disable models.",
        subcommands: [List.self, SetModel.self, ModelsImportCommand.self, Disable.self, Enable.self, ModelsHistoryCommand.self,
                      ModelsAliasCommand.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Models with prices, context window, tier and whether enabled.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let models = try global.openStore().models()
            if global.json {
                Console.printJSON(.array(models.map(\.json)))
                return
            }
            // The cached-input and reasoning prices only when some model has one: most stores have none.
            let withTokenPrices = models.contains { $0.cachedInputUSDPerMTok != nil || $0.reasoningUSDPerMTok != nil }
            var table = TextTable(header: ["model", "provider", "input_usd_per_mtok", "output_usd_per_mtok", "request_usd"]
                                      + (withTokenPrices ? ["cached_input_usd_per_mtok", "reasoning_usd_per_mtok"] : [])
                                      + ["context_window", "max_output_tokens", "tier", "capabilities", "enabled"],
                                  numericColumns: withTokenPrices ? [2, 3, 4, 5, 6, 7, 8, 9] : [2, 3, 4, 5, 6, 7])
            for model in models {
                table.rows.append([
                    model.id, model.provider, DecimalFormat.string(model.price.inputUSDPerMTok),
                    DecimalFormat.string(model.price.outputUSDPerMTok), model.price.requestUSD.map(DecimalFormat.string) ?? "",
                ] + (withTokenPrices ? [model.cachedInputUSDPerMTok.map(DecimalFormat.string) ?? "",
                                        model.reasoningUSDPerMTok.map(DecimalFormat.string) ?? ""] : []) + [
                    model.contextWindow.map(String.init) ?? "", model.maxOutputTokens.map(String.init) ?? "",
                    model.tierIsDerived ? "\(model.effectiveTier) (derived)" : String(model.effectiveTier),
                    model.capabilities.joined(separator: ","), model.enabled ? "yes" : "no",
                ])
            }
            Console.print(table.render())
        }
    }

    struct SetModel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Add a model or change it; a new price is kept in the model's price history.")
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The model id, e.g. openai/gpt-4o-mini.")
        var id: String
        @Option(help: "USD per million input tokens.")
        var inputUsdPerMtok: Double?
        @Option(help: "USD per million output tokens.")
        var outputUsdPerMtok: Double?
        @Option(help: "USD per request, on top of the token prices.")
        var requestUsd: Double?
        @Option(help: "USD per million input tokens served from the provider's prompt cache (default: the input price).")
        var cachedInputUsdPerMtok: Double?
        @Option(help: "USD per million reasoning tokens, where priced apart from output (default: the output price).")
        var reasoningUsdPerMtok: Double?
        @Option(help: "The provider (default: the id's part before the slash).")
        var provider: String?
        @Option(help: "The most tokens, input plus output, one request may hold.")
        var contextWindow: Int?
        @Option(help: "1 (fast and cheap), 2 (balanced) or 3 (top).")
        var tier: Int?
        @Option(help: "The most output tokens one answer may hold.")
        var maxOutputTokens: Int?
        @Option(name: .customLong("capability"),
                help: ArgumentHelp("What the model can do (repeatable; replaces those it had).", valueName: "capability"))
        var capabilities: [Capability] = []
        @Flag(help: "The model has none of the capabilities.")
        var noCapabilities = false

        func validate() throws {
            for (name, value) in [("input-usd-per-mtok", inputUsdPerMtok), ("output-usd-per-mtok", outputUsdPerMtok),
                                  ("request-usd", requestUsd), ("cached-input-usd-per-mtok", cachedInputUsdPerMtok),
                                  ("reasoning-usd-per-mtok", reasoningUsdPerMtok)] {
                if let value, !(value.isFinite && value >= 0) { throw ValidationError("--\(name) must be a number ≥ 0") }
            }
            if let contextWindow, contextWindow <= 0 { throw ValidationError("--context-window must be positive") }
            if let tier, !(1...3).contains(tier) { throw ValidationError("--tier must be 1, 2 or 3") }
            if let maxOutputTokens, maxOutputTokens <= 0 { throw ValidationError("--max-output-tokens must be positive") }
            if noCapabilities && !capabilities.isEmpty { throw ValidationError("--no-capabilities and --capability contradict each other") }
            if id.isEmpty { throw ValidationError("the model id is empty") }
        }

        func run() throws {
            let model = try global.openStore().setModel(
                ModelUpdate(id: id, provider: provider, inputUSDPerMTok: inputUsdPerMtok, outputUSDPerMTok: outputUsdPerMtok,
                            requestUSD: requestUsd, contextWindow: contextWindow, tier: tier,
                            capabilities: noCapabilities ? [] : capabilities.isEmpty ? nil : Set(capabilities),
                            maxOutputTokens: maxOutputTokens, cachedInputUSDPerMTok: cachedInputUsdPerMtok,
                            reasoningUSDPerMTok: reasoningUsdPerMtok),
                source: "costwise models set")
            if global.json {
                Console.printJSON(model.json)
            } else {
                Console.print("\(model.id): input \(DecimalFormat.string(model.price.inputUSDPerMTok)), "
                    + "output \(DecimalFormat.string(model.price.outputUSDPerMTok)) USD per million tokens")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Take a model out of selection.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The model id.")
        var id: String

        func run() throws {
            try global.openStore().setEnabled(false, model: id)
            Console.print(global.json ? JSONValue.enabled(false, model: id).text() : "\(id): disabled")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Put a model back into selection.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The model id.")
        var id: String

        func run() throws {
            try global.openStore().setEnabled(true, model: id)
            Console.print(global.json ? JSONValue.enabled(true, model: id).text() : "\(id): enabled")
        }
    }
}

import Costwise

extension SelectCommand {
    /// The command that `arguments` (starting with `select`) parse to, read without ArgumentParser, or
    /// nil for anything this reader does not take exactly as ArgumentParser would.
    ///
    /// A cold `costwise select` is the command that must start fastest (it answers one question and
    /// exits), and ArgumentParser's reflection over the command tree was more than half of its
    /// instructions (see benchmarks/RESULTS.md, "Reading `select`'s arguments"). This reader takes
    /// only the plain forms: each option by its long name, once, with its value after a space or `=`;
    /// values that ArgumentParser reads with the same initializers used here. Anything else (help, an
    /// unknown or repeated single option, an empty value or one that looks like an option, a value that
    /// fails to read or to validate) is declined, and ArgumentParser parses it and reports what is wrong, so
    /// errors and help stay ArgumentParser's. An option added to the command later is declined until
    /// it is added here, and `SelectDirectParseTests` checks that both readers agree.
    static func parsedDirectly(_ arguments: [String]) -> SelectCommand? {
        guard arguments.first == "select" else { return nil }
        var values: [String: String] = [:]
        var repeated: [String: [String]] = [:]
        var flags: Set<String> = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagNames.contains(name) {
                guard value == nil, flags.insert(name).inserted else { return nil }
            } else if singleOptionNames.contains(name) || repeatableOptionNames.contains(name) {
                if value == nil {
                    index += 1
                    guard index < arguments.count else { return nil }
                    value = arguments[index]
                }
                guard let value, !value.isEmpty, !value.hasPrefix("-") else { return nil }
                if singleOptionNames.contains(name) {
                    guard values.updateValue(value, forKey: name) == nil else { return nil }
                } else {
                    repeated[name, default: []].append(value)
                }
            } else {
                return nil
            }
            index += 1
        }

        guard let task = values["task"] else { return nil }
        var global = GlobalOptions()
        global.db = values["db"]
        global.json = flags.contains("json")

        var options = SelectionOptions()
        guard let minQuality = read(values["min-quality"], as: Double.init),
              let inputTokens = read(values["input-tokens"], as: Int.init),
              let outputTokens = read(values["output-tokens"], as: Int.init),
              let confidence = read(values["confidence"], as: Double.init),
              let minSamples = read(values["min-samples"], as: Double.init),
              let maxCostUsd = read(values["max-cost-usd"], as: Double.init),
              let maxLatencyMs = read(values["max-latency-ms"], as: Double.init),
              let halfLifeDays = read(values["half-life-days"], as: Double.init)
        else { return nil }
        let capabilities = (repeated["require"] ?? []).map { Capability(argument: $0) }
        guard !capabilities.contains(nil) else { return nil }
        options.minQuality = minQuality
        options.inputTokens = inputTokens
        options.outputTokens = outputTokens
        options.confidence = confidence
        options.minSamples = minSamples ?? 1
        options.maxCostUsd = maxCostUsd
        options.maxLatencyMs = maxLatencyMs
        options.providers = repeated["provider"] ?? []
        options.excludedModels = repeated["exclude"] ?? []
        options.requiredCapabilities = capabilities.compactMap { $0 }
        options.explain = flags.contains("explain")

        var command = SelectCommand()
        command.global = global
        command.task = task
        command.options = options
        command.byTier = flags.contains("by-tier")
        command.asOf = values["as-of"]
        command.halfLifeDays = halfLifeDays
        command.log = flags.contains("log")
        do {
            try options.validate()
            try command.validate()
        } catch {
            return nil
        }
        return command
    }

    private static let flagNames: Set<String> = ["json", "explain", "by-tier", "log"]
    private static let singleOptionNames: Set<String> = [
        "db", "task", "min-quality", "input-tokens", "output-tokens", "confidence", "min-samples",
        "max-cost-usd", "max-latency-ms", "as-of", "half-life-days",
    ]
    private static let repeatableOptionNames: Set<String> = ["provider", "exclude", "require"]

    /// `.some(nil)` when the option was not given, `.some(value)` when it reads, nil when it does not.
    private static func read<Value>(_ text: String?, as initializer: (String) -> Value?) -> Value?? {
        guard let text else { return .some(nil) }
        guard let value = initializer(text) else { return nil }
        return .some(value)
    }
}

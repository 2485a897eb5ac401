import ArgumentParser
import Costwise

/// `costwise keys`: the gateway's API keys. Once a store holds a key, `costwise serve` answers only
/// requests that present one (`Authorization: Bearer TOKEN`).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the gateway's API keys, with their budgets and rate limits.",
        discussion: """
            Once the store holds a key, every gateway endpoint but /health needs Authorization: Bearer TOKEN. \
            A running gateway sees keys created or revoked here within a second.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Make a key and print its token, once: the store keeps only its SHA-256 and first characters.")
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The key's name, e.g. alice or ci-bot.")
        var name: String
        @Option(help: ArgumentHelp("The most the key may spend per period, in USD (default: no limit).", valueName: "usd"))
        var budgetUSD: Double?
        @Option(help: ArgumentHelp("When the budget starts afresh: day, month (UTC) or total (never; the default).", valueName: "period"))
        var period: String?
        @Option(help: ArgumentHelp("Chat completions per minute (default: no limit).", valueName: "n"))
        var rpm: Int?
        @Option(help: ArgumentHelp("Tokens per minute, as the upstreams report them (default: no limit).", valueName: "n"))
        var tpm: Int?
        @Option(help: ArgumentHelp("What the key may do, from chat, feedback and admin (default: chat,feedback).", valueName: "list"))
        var scopes: String?

        func run() throws {
            var spec = KeySpec(name: name, budgetUSD: budgetUSD, requestsPerMinute: rpm, tokensPerMinute: tpm)
            if let period {
                guard let parsed = BudgetPeriod(rawValue: period) else {
                    throw InputError(field: "period", "unknown period '\(period)'; the periods are day, month and total")
                }
                spec.period = parsed
            }
            if let scopes { spec.scopes = try KeyScope.parseList(scopes) }
            try spec.validate()
            let token = KeyToken.generate()
            let key = try global.openStore().createKey(spec, token: token, at: RFC3339.now)
            if global.json {
                Console.printJSON(.object([("name", .string(key.name)), ("token", .string(token.text))]))
                return
            }
            let budget = key.budget.map { "budget \($0) USD " + (key.period == .total ? "in total" : "per \(key.period.rawValue)") } ?? "no budget"
            Console.print("created key \(key.name) (\(KeyScope.list(key.scopes)); \(budget))")
            Console.print("token (shown only now; send it as Authorization: Bearer): \(token.text)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Keys with their scopes, budget, spend in the current period and limits.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let usages = try global.openStore().keyUsage(at: RFC3339.now)
            if global.json {
                Console.printJSON(.array(usages.map(\.json)))
                return
            }
            var table = TextTable(header: ["name", "prefix", "scopes", "budget_usd", "period", "spent_usd", "reserved_usd", "rpm", "tpm",
                                           "created", "revoked"], numericColumns: [3, 5, 6, 7, 8])
            for usage in usages {
                let key = usage.key
                table.rows.append([
                    key.name, key.tokenPrefix, KeyScope.list(key.scopes), key.budget?.description ?? "", key.period.rawValue,
                    usage.spent.description, usage.reserved.description, key.requestsPerMinute.map(String.init) ?? "",
                    key.tokensPerMinute.map(String.init) ?? "", RFC3339.string(fromSeconds: key.createdAt),
                    key.revokedAt.map(RFC3339.string(fromSeconds:)) ?? "",
                ])
            }
            Console.print(table.render())
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a key: a running gateway refuses its token within a second, for good.")
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The key's name.")
        var name: String

        func run() throws {
            let key = try global.openStore().revokeKey(named: name, at: RFC3339.now)
            if global.json {
                Console.printJSON(.object([("name", .string(key.name)),
                                          ("revoked_at", .stringOrNull(key.revokedAt.map(RFC3339.string(fromSeconds:))))]))
            } else {
                Console.print("revoked key \(key.name)")
            }
        }
    }
}

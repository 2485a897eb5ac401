import ArgumentParser
import Costwise

struct RequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests",
        abstract: "List the requests the gateway (costwise serve) answered.",
        discussion: """
            One line per request: its id, time, task type, model, status, attempts, the tokens and cost the \
            upstream reported (blank when it reported none) and the upstream's latency.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only requests since this time (RFC 3339, or a date such as 2026-11-01).", valueName: "time"))
    var since: String?

    @Option(help: "Only requests of this task type.")
    var task: String?

    @Option(help: "At most this many, the latest.")
    var limit = 1_000

    var sinceSeconds: Double? {
        get throws {
            guard let since else { return nil }
            guard let seconds = RFC3339.seconds(from: since) ?? RFC3339.seconds(from: since + "T00:00:00Z") else {
                throw ValidationError("--since: '\(since)' is not a date or an RFC 3339 time")
            }
            return seconds
        }
    }

    func validate() throws {
        _ = try sinceSeconds
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let records = try global.openStore().requests(since: sinceSeconds, task: task, limit: limit)
        if global.json {
            Console.printJSON(.array(records.map(\.json)))
            return
        }
        var table = TextTable(header: ["id", "at", "task", "model", "status", "attempts", "input", "output", "cost_usd", "latency_ms"],
                              numericColumns: [5, 6, 7, 8, 9])
        for record in records {
            table.rows.append([
                record.id, RFC3339.string(fromSeconds: record.at), record.task ?? "", record.model ?? "", record.status.rawValue,
                String(record.attempts.count), record.inputTokens.map(String.init) ?? "", record.outputTokens.map(String.init) ?? "",
                record.costUSD.map { DecimalFormat.string($0, places: 8) } ?? "",
                record.upstreamLatencyMs.map { DecimalFormat.string($0, places: 1) } ?? "",
            ])
        }
        Console.print(table.render())
    }
}

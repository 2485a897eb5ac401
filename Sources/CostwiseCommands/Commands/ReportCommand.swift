import ArgumentParser
import Costwise

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports on logged selections.",
        subcommands: [Savings.self])

    struct Savings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "savings",
            abstract: "Requests, spend and what all-premium would have cost, per task type and in total.",
            discussion: "Counts the selections logged with `select --log` or the log-selections setting.")
        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only selections logged since this time (RFC 3339, or a date such as 2026-11-01).", valueName: "time"))
        var since: String?

        var sinceSeconds: Double? {
            get throws {
                guard let since else { return nil }
                guard let seconds = RFC3339.seconds(fromDateOrTime: since) else {
                    throw ValidationError("--since: '\(since)' is not a date or an RFC 3339 time")
                }
                return seconds
            }
        }

        func validate() throws { _ = try sinceSeconds }

        func run() throws {
            let report = try global.openStore().savingsReport(since: sinceSeconds)
            if global.json {
                Console.printJSON(report.json)
                return
            }
            var table = TextTable(header: ["task", "requests", "spend_usd", "all_premium_usd", "saving_usd", "saving_pct"],
                                  numericColumns: [1, 2, 3, 4, 5])
            for line in report.tasks + [report.total] {
                table.rows.append([
                    line.task ?? "total", String(line.requests), DecimalFormat.string(line.spendUSD, places: 6),
                    DecimalFormat.string(line.allPremiumUSD, places: 6), DecimalFormat.string(line.savingUSD, places: 6),
                    line.savingPercent.map { DecimalFormat.string($0, places: 1) } ?? "",
                ])
            }
            Console.print(table.render())
        }
    }
}

/// What the logged selections and the gateway's requests cost against sending every request to the
/// premium tier.
public struct SavingsReport: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        /// The task type, or nil for the total.
        public var task: String?
        public var requests: Int
        /// The estimated spend of the chosen models.
        public var spendUSD: Double
        /// What the cheapest top-tier model would have cost for the same requests.
        public var allPremiumUSD: Double

        public var savingUSD: Double { allPremiumUSD - spendUSD }
        public var savingPercent: Double? { allPremiumUSD > 0 ? savingUSD / allPremiumUSD * 100 : nil }
    }

    /// Only selections logged at or after this time (seconds since 1970), when set.
    public var since: Double?
    /// One line per task type, by name.
    public var tasks: [Line]

    public var total: Line {
        Line(task: nil, requests: tasks.map(\.requests).reduce(0, +), spendUSD: tasks.map(\.spendUSD).reduce(0, +),
             allPremiumUSD: tasks.map(\.allPremiumUSD).reduce(0, +))
    }

    public var json: JSONValue {
        func line(_ line: Line) -> JSONValue {
            .object([
                ("task", .stringOrNull(line.task)),
                ("requests", .integer(line.requests)),
                ("spend_usd", .number(line.spendUSD)),
                ("all_premium_usd", .number(line.allPremiumUSD)),
                ("saving_usd", .number(line.savingUSD)),
                ("saving_pct", .numberOrNull(line.savingPercent)),
            ])
        }
        return .object([
            ("since", .stringOrNull(since.map(RFC3339.string(fromSeconds:)))),
            ("tasks", .array(tasks.map(line))),
            ("total", line(total)),
        ])
    }
}

/// What the gateway's dashboard shows, read from the store by ``SQLiteStore/dashboard(now:days:latest:defaultMinQuality:providers:reviewHalfLifeDays:reviewWindowDays:)``:
/// spend per day against what the premium alternative would have cost, the savings so far, the
/// model each task type is routed to now, the latest requests, the review's actions and each key's
/// budget use.
///
/// It holds figures only, so the gateway renders it as HTML and the CLI or a test can read the same
/// numbers. Spend counts the gateway's answered requests at the cost their upstream reported,
/// routed or named; a request without reported usage is counted as answered but adds no cost.
///
/// ```swift
/// let dashboard = try store.dashboard()
/// print(dashboard.total.savingUSD, dashboard.tasks.map { ($0.task, $0.chosen?.model) })
/// ```
public struct Dashboard: Sendable {
    /// Answered requests, summed.
    public struct Spend: Sendable, Hashable {
        /// Requests that got an answer.
        public var requests: Int
        /// Of those, the ones whose upstream reported usage: only these have a cost.
        public var pricedRequests: Int
        public var spendUSD: Double
        /// What the priced requests would have cost on a top-tier model that could have served each.
        public var allPremiumUSD: Double

        public static let zero = Spend(requests: 0, pricedRequests: 0, spendUSD: 0, allPremiumUSD: 0)

        public init(requests: Int, pricedRequests: Int, spendUSD: Double, allPremiumUSD: Double) {
            self.requests = requests
            self.pricedRequests = pricedRequests
            self.spendUSD = spendUSD
            self.allPremiumUSD = allPremiumUSD
        }

        public var savingUSD: Double { allPremiumUSD - spendUSD }
        public var savingPercent: Double? { allPremiumUSD > 0 ? savingUSD / allPremiumUSD * 100 : nil }

        static func + (left: Spend, right: Spend) -> Spend {
            Spend(requests: left.requests + right.requests, pricedRequests: left.pricedRequests + right.pricedRequests,
                  spendUSD: left.spendUSD + right.spendUSD, allPremiumUSD: left.allPremiumUSD + right.allPremiumUSD)
        }
    }

    /// One UTC day's requests.
    public struct Day: Sendable, Hashable {
        /// Days since 1970-01-01 UTC.
        public var day: Int
        public var spend: Spend

        /// The day's first second, since 1970.
        public var start: Double { Double(day) * Dashboard.secondsPerDay }
    }

    /// One task type: where a request for it goes now, and what its requests have cost so far.
    public struct TaskLine: Sendable {
        public var task: String
        /// The threshold a request that names none gets.
        public var threshold: Double
        /// Whether that is the gateway's default because the task type has no threshold of its own.
        public var thresholdIsDefault: Bool
        /// The model a request gets now, with its quality estimate (mean and samples) and estimated
        /// cost; nil when none qualifies.
        public var chosen: CandidateVerdict?
        /// Why none qualifies; nil when one does.
        public var failureReason: String?
        /// Its answered requests so far.
        public var spend: Spend
    }

    public static let secondsPerDay = 86_400.0

    /// When the figures were read, in seconds since 1970.
    public var at: Double
    /// The last days up to the one holding ``at``, oldest first, days without requests included.
    public var days: [Day]
    /// Every answered request so far.
    public var total: Spend
    /// The answered requests that named a model rather than a task type.
    public var namedModels: Spend
    /// Every task type, by name.
    public var tasks: [TaskLine]
    /// The latest requests, newest first, answered or not.
    public var latest: [RequestRecord]
    /// The review's action per task type, as `costwise review` gives it.
    public var review: [Review.Finding]
    /// Each API key's budget use in its current period, by name; revoked keys left out.
    public var keys: [KeyBudgetUse]
}

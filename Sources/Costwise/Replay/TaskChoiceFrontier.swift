/// The cost–quality frontier of choosing one model per task type: every combination of choices
/// that no other combination beats on total quality without costing more, found exactly.
///
/// A uniform threshold gives each task type the cheapest model that clears it, whatever that does
/// to the total; here the totals are what counts. Task type by task type, every point of the
/// frontier so far is extended by every option of the next task type, and a point is dropped when
/// another reaches at least its quality for at most its cost (dynamic programming over a Pareto
/// set, so the result is exact, not greedy). Quality is counted in whole units (thousandths of a
/// score point per item, see ``qualityUnits(_:)``) so that equal totals compare equal.
///
/// ```swift
/// let frontier = TaskChoiceFrontier(options: [
///     [.init(model: 0, qualityUnits: 900, costUSD: 1), .init(model: 1, qualityUnits: 1_000, costUSD: 10)],
///     [.init(model: 0, qualityUnits: 500, costUSD: 1), .init(model: 1, qualityUnits: 900, costUSD: 10)],
/// ])
/// frontier.cheapest(reaching: 1_800)?.choices   // [0, 1]: 1,800 units for 11
/// ```
public struct TaskChoiceFrontier: Sendable {
    /// One model a task type may use, with its total quality and cost over the task's items.
    public struct Option: Sendable, Hashable {
        public var model: Int
        public var qualityUnits: Int
        public var costUSD: Double

        public init(model: Int, qualityUnits: Int, costUSD: Double) {
            self.model = model
            self.qualityUnits = qualityUnits
            self.costUSD = costUSD
        }
    }

    /// A combination of choices: the model of each task type, with the totals.
    public struct Point: Sendable, Hashable {
        public var qualityUnits: Int
        public var costUSD: Double
        /// The chosen ``Option/model`` of each task type, in the order the options were given.
        public var choices: [Int]
    }

    /// The frontier, by ascending quality (and so ascending cost).
    public let points: [Point]

    /// Builds the frontier of `options`, one list per task type.
    ///
    /// - precondition: every task type has at least one option.
    public init(options: [[Option]]) {
        precondition(options.allSatisfy { !$0.isEmpty }, "every task type needs at least one option")
        var points = [Point(qualityUnits: 0, costUSD: 0, choices: [])]
        for taskOptions in options {
            var extended: [Point] = []
            extended.reserveCapacity(points.count * taskOptions.count)
            for point in points {
                for option in taskOptions {
                    extended.append(Point(qualityUnits: point.qualityUnits + option.qualityUnits,
                                          costUSD: point.costUSD + option.costUSD, choices: point.choices + [option.model]))
                }
            }
            points = Self.paretoOptimal(extended)
        }
        self.points = points
    }

    /// The points no other point dominates, by ascending quality: of equal quality only the
    /// cheapest stays (the first given, on equal cost), and a lower quality stays only if cheaper.
    static func paretoOptimal(_ points: [Point]) -> [Point] {
        let order = points.indices.sorted { a, b in
            if points[a].qualityUnits != points[b].qualityUnits { return points[a].qualityUnits > points[b].qualityUnits }
            if points[a].costUSD != points[b].costUSD { return points[a].costUSD < points[b].costUSD }
            return a < b
        }
        var kept: [Point] = []
        var cheapestSoFar = Double.infinity
        for index in order where points[index].costUSD < cheapestSoFar {
            kept.append(points[index])
            cheapestSoFar = points[index].costUSD
        }
        return kept.reversed()
    }

    /// The cheapest point whose quality reaches `qualityUnits`; nil when none does.
    public func cheapest(reaching qualityUnits: Double) -> Point? {
        points.first { Double($0.qualityUnits) >= qualityUnits }
    }

    /// A score as whole quality units: thousandths of a point, so 1 is 1,000 and 0.85 is 850.
    public static func qualityUnits(_ score: Double) -> Int {
        Int((score * 1_000).rounded())
    }
}

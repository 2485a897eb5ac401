/// The cost–quality frontier of choosing one model per task type: the combinations of choices that
/// no other combination beats on total quality without costing more.
///
/// A uniform threshold gives each task type the cheapest model that clears it, whatever that does
/// to the total; here the totals are what counts. It is dynamic programming over quality, as in a
/// knapsack: task type by task type, a table holds for each total quality the cheapest combination
/// reaching exactly that total, extended by every option of the next task type, so the result is
/// exact, not greedy. Quality is counted in whole units (thousandths of a score point per item, see
/// ``qualityUnits(_:)``) so that equal totals compare equal, and measured from each task type's
/// lowest option in steps of the units' greatest common divisor (1,000 when scores are 0 or 1).
///
/// The table has at most ``maxCells`` cells. When the totals span more steps than that (many
/// items with fractional scores, many task types), quality is counted on a coarser grid of
/// ``gridUnits`` units, each option's quality rounded down to it. Every point still carries its
/// exact totals, so ``cheapest(reaching:)`` never answers below the quality asked for; a point the
/// grid misses is replaced by one at most as costly whose quality falls short of it by at most
/// ``maxShortfallUnits`` (task types × (grid − 1) units), which is 0 when the table is exact.
/// Time and memory grow with task types × options × cells, not with the number of combinations.
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
    /// The quality step of the table, in units: the options' greatest common divisor when the
    /// table is exact, larger when the totals span more than ``maxCells`` steps.
    public let gridUnits: Int
    /// How far below the exact frontier a point may fall at the same cost, in units: 0 when the
    /// table is exact.
    public let maxShortfallUnits: Int

    /// The most cells the table holds: 65,536, a few megabytes and some tens of milliseconds for
    /// 50 task types of 10 models.
    public static let maxCells = 1 << 16

    /// Builds the frontier of `options`, one list per task type.
    ///
    /// - precondition: every task type has at least one option, and at most 65,535.
    public init(options: [[Option]], maxCells: Int = Self.maxCells) {
        precondition(options.allSatisfy { !$0.isEmpty && $0.count < Int(UInt16.max) }, "every task type needs 1 to 65,535 options")
        precondition(maxCells >= 2, "the table needs at least two cells")
        let lowest = options.map { $0.map(\.qualityUnits).min() ?? 0 }
        var divisor = 0
        var span = 0
        for (task, taskOptions) in options.enumerated() {
            for option in taskOptions { divisor = Self.gcd(divisor, option.qualityUnits - lowest[task]) }
            span += (taskOptions.map(\.qualityUnits).max() ?? 0) - lowest[task]
        }
        divisor = max(divisor, 1)
        let exact = span / divisor < maxCells
        let grid = exact ? divisor : (span + maxCells - 2) / (maxCells - 1)
        // Each option's quality above its task's lowest, in grid steps, rounded down.
        let steps = options.enumerated().map { task, taskOptions in taskOptions.map { ($0.qualityUnits - lowest[task]) / grid } }

        // cost[cell]: the cheapest combination so far whose steps add up to cell; units[cell] its
        // exact units above the lowest; picks[task][cell]: the option it took for that task type.
        var cost = [0.0]
        var units = [0]
        var picks: [[UInt16]] = []
        picks.reserveCapacity(options.count)
        for (task, taskOptions) in options.enumerated() {
            let taskSteps = steps[task]
            let taskLowest = lowest[task]
            let width = cost.count + (taskSteps.max() ?? 0)
            var nextCost = [Double](repeating: .infinity, count: width)
            var nextUnits = [Int](repeating: 0, count: width)
            var pick = [UInt16](repeating: 0, count: width)
            for cell in cost.indices where cost[cell] < .infinity {
                for (index, option) in taskOptions.enumerated() {
                    let next = cell + taskSteps[index]
                    let total = cost[cell] + option.costUSD
                    if total < nextCost[next] {
                        nextCost[next] = total
                        nextUnits[next] = units[cell] + option.qualityUnits - taskLowest
                        pick[next] = UInt16(index)
                    }
                }
            }
            cost = nextCost
            units = nextUnits
            picks.append(pick)
        }

        // The cells no other cell beats: by descending exact quality, each cheaper than all above it.
        let order = cost.indices.filter { cost[$0] < .infinity }.sorted { a, b in
            if units[a] != units[b] { return units[a] > units[b] }
            if cost[a] != cost[b] { return cost[a] < cost[b] }
            return a < b
        }
        let base = lowest.reduce(0, +)
        var kept: [Point] = []
        var cheapestSoFar = Double.infinity
        for cell in order where cost[cell] < cheapestSoFar {
            cheapestSoFar = cost[cell]
            var choices = [Int](repeating: 0, count: options.count)
            var at = cell
            for task in options.indices.reversed() {
                let index = Int(picks[task][at])
                choices[task] = options[task][index].model
                at -= steps[task][index]
            }
            kept.append(Point(qualityUnits: base + units[cell], costUSD: cost[cell], choices: choices))
        }
        points = kept.reversed()
        gridUnits = grid
        maxShortfallUnits = exact ? 0 : options.count * (grid - 1)
    }

    /// The cheapest point whose quality reaches `qualityUnits`; nil when none does.
    public func cheapest(reaching qualityUnits: Double) -> Point? {
        var (low, high) = (0, points.count)
        while low < high {
            let middle = (low + high) / 2
            if Double(points[middle].qualityUnits) >= qualityUnits { high = middle } else { low = middle + 1 }
        }
        return low < points.count ? points[low] : nil
    }

    /// The cheapest point whose quality reaches `ratio` of `baseUnits`; nil when none does. Units
    /// are whole, so the product is rounded up to a whole unit, after forgiving it a millionth of a
    /// unit: a ratio computed as a point's units over `baseUnits` reaches that point.
    public func cheapest(reaching ratio: Double, of baseUnits: Int) -> Point? {
        cheapest(reaching: (ratio * Double(baseUnits) - 1e-6).rounded(.up))
    }

    /// A score as whole quality units: thousandths of a point, so 1 is 1,000 and 0.85 is 850.
    public static func qualityUnits(_ score: Double) -> Int {
        Int((score * 1_000).rounded())
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (abs(a), abs(b))
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}

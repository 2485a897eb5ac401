/// The candidates of one task type that a request limited by its threshold alone can get: in the
/// selection rule's order, each one of higher quality than every candidate before it.
///
/// The cheapest candidate whose quality reaches a threshold is always on the frontier (every
/// candidate before it falls short of the threshold, so of its quality too), and it is the first
/// frontier entry that reaches the threshold. The qualities rise strictly along the frontier, so a
/// binary search over a few dozen values answers what a walk over thousands of candidates would.
/// A store keeps each task type's frontiers too, so a one-off selection reads a few rows.
struct Frontier: Sendable, Equatable {
    /// Positions of the entries among the route's candidates, in the rule's order.
    let positions: [Int]
    /// The quality of each entry, strictly rising.
    let values: [Double]

    /// The frontier of the candidates `eligible` takes, given their qualities in the rule's order.
    init(qualities: [Double], eligible: (Int) -> Bool) {
        var positions: [Int] = []
        var values: [Double] = []
        for (position, quality) in qualities.enumerated() where eligible(position) && quality > values.last ?? -.infinity {
            positions.append(position)
            values.append(quality)
        }
        self.positions = positions
        self.values = values
    }

    /// The position of the first entry whose quality is at least `threshold`.
    func first(atLeast threshold: Double) -> Int? {
        var (low, high) = (0, values.count)
        while low < high {
            let middle = (low + high) / 2
            if values[middle] >= threshold { high = middle } else { low = middle + 1 }
        }
        return low < positions.count ? positions[low] : nil
    }

    /// Which requests a route's frontiers answer: those whose fewest samples `m` leave exactly the
    /// candidates with at least one sample, `above < m <= upTo`. Candidates with fewer samples than
    /// a request asks for are not candidates, so a frontier holds only for requests that keep the
    /// same ones.
    struct SampleRange: Sendable, Equatable {
        /// The most samples among fitting candidates with fewer than one (−∞ where none has).
        var above: Double
        /// The fewest samples among fitting candidates with at least one (+∞ where none has).
        var upTo: Double

        static let fewestSamples = 1.0

        func contains(_ minSamples: Double) -> Bool { above < minSamples && minSamples <= upTo }
    }
}

/// A segment tree over candidates in cost order that finds "the first position at or after
/// `start` whose value is at least `threshold`, whose latency is at most `maxLatency` and whose
/// samples are at least `minSamples`" by skipping every subtree that cannot hold one.
///
/// Selection keeps one over the candidates' means (and one over their 95% lower bounds), so the
/// cheapest candidate above a threshold is found without walking the cheaper ones below it, and
/// latency and evidence limits prune the same walk instead of failing candidates one by one.
struct MaxTree: Sendable {
    let count: Int
    private let leafCount: Int
    /// Per node: the highest value, the lowest latency (+∞ where none is measured), the most samples;
    /// the last two only for a tree built with latencies and samples.
    private let maxValues: [Double]
    private let minLatencies: [Double]
    private let maxSamples: [Double]
    /// The fewest samples of any leaf: a request asking for no more is limited by value alone.
    private let fewestSamples: Double

    /// A tree over `values`, with each node's lowest latency and most samples where given: only such
    /// a tree answers searches limited by latency or samples.
    init(_ values: [Double], latencies: [Double]? = nil, samples: [Double]? = nil) {
        count = values.count
        var leafCount = 1
        while leafCount < max(values.count, 1) { leafCount <<= 1 }
        self.leafCount = leafCount
        var maxValues = [Double](repeating: -.infinity, count: 2 * leafCount)
        for index in values.indices { maxValues[leafCount + index] = values[index] }
        for node in stride(from: leafCount - 1, through: 1, by: -1) {
            maxValues[node] = max(maxValues[2 * node], maxValues[2 * node + 1])
        }
        self.maxValues = maxValues
        fewestSamples = samples?.min() ?? .infinity
        guard latencies != nil || samples != nil else {
            minLatencies = []
            maxSamples = []
            return
        }
        var minLatencies = [Double](repeating: .infinity, count: 2 * leafCount)
        var maxSamples = [Double](repeating: -.infinity, count: 2 * leafCount)
        for index in values.indices {
            let latency = latencies?[index] ?? 0
            minLatencies[leafCount + index] = latency.isNaN ? .infinity : latency
            maxSamples[leafCount + index] = samples?[index] ?? .infinity
        }
        for node in stride(from: leafCount - 1, through: 1, by: -1) {
            minLatencies[node] = min(minLatencies[2 * node], minLatencies[2 * node + 1])
            maxSamples[node] = max(maxSamples[2 * node], maxSamples[2 * node + 1])
        }
        self.minLatencies = minLatencies
        self.maxSamples = maxSamples
    }

    /// The first position at or after `start` that may pass: value at least `threshold`, latency at
    /// most `maxLatency` (a missing latency never passes a finite limit) and samples at least
    /// `minSamples`. The caller still checks the candidate's other limits.
    func firstIndex(atLeast threshold: Double, from start: Int, maxLatency: Double = .infinity,
                    minSamples: Double = -.infinity) -> Int? {
        guard start < count else { return nil }
        if maxLatency == .infinity && minSamples <= fewestSamples { return firstIndex(atLeast: threshold, from: start) }
        precondition(!minLatencies.isEmpty, "a tree built without latencies and samples searches by value alone")
        let limits = Limits(threshold: threshold, start: start, maxLatency: maxLatency, minSamples: minSamples)
        guard let index = search(node: 1, low: 0, high: leafCount, limits), index < count else { return nil }
        return index
    }

    private struct Limits {
        var threshold: Double
        var start: Int
        var maxLatency: Double
        var minSamples: Double
    }

    /// Depth first, left to right, over the nodes covering [start, leafCount), skipping subtrees whose
    /// aggregates rule out every leaf.
    private func search(node: Int, low: Int, high: Int, _ limits: Limits) -> Int? {
        if high <= limits.start || maxValues[node] < limits.threshold || minLatencies[node] > limits.maxLatency
            || maxSamples[node] < limits.minSamples {
            return nil
        }
        if node >= leafCount { return node - leafCount }
        let middle = (low + high) / 2
        return search(node: 2 * node, low: low, high: middle, limits) ?? search(node: 2 * node + 1, low: middle, high: high, limits)
    }

    /// Value alone: every subtree whose maximum reaches the threshold holds a leaf that does, so the
    /// walk climbs to the next such subtree on the right and descends it without backtracking.
    private func firstIndex(atLeast threshold: Double, from start: Int) -> Int? {
        maxValues.withUnsafeBufferPointer { nodes in
            var node = start + leafCount
            if nodes[node] < threshold {
                while true {
                    while node & 1 == 1 {
                        node >>= 1
                        if node <= 1 { return nil }
                    }
                    node += 1
                    if nodes[node] >= threshold { break }
                }
                while node < leafCount { node = nodes[2 * node] >= threshold ? 2 * node : 2 * node + 1 }
            }
            let index = node - leafCount
            return index < count ? index : nil
        }
    }

    /// The position below `end` with the highest value among those with latency at most `maxLatency`,
    /// samples at least `minSamples` and that `accept` takes; the first such position where several
    /// tie. Branch and bound: subtrees that cannot beat the best found so far are skipped.
    func bestIndex(below end: Int, maxLatency: Double, minSamples: Double, accept: (Int) -> Bool) -> Int? {
        precondition(!minLatencies.isEmpty, "a tree built without latencies and samples searches by value alone")
        var best: (index: Int, value: Double)?
        func search(_ node: Int, _ low: Int, _ high: Int) {
            guard low < min(end, count), maxValues[node] > -.infinity, minLatencies[node] <= maxLatency,
                  maxSamples[node] >= minSamples else { return }
            if let best, maxValues[node] < best.value || (maxValues[node] == best.value && low > best.index) { return }
            if node >= leafCount {
                let index = node - leafCount
                if accept(index) { best = (index, maxValues[node]) }
                return
            }
            let middle = (low + high) / 2
            // The child that may hold the higher value first, so the bound tightens early.
            if maxValues[2 * node + 1] > maxValues[2 * node] {
                search(2 * node + 1, middle, high)
                search(2 * node, low, middle)
            } else {
                search(2 * node, low, middle)
                search(2 * node + 1, middle, high)
            }
        }
        search(1, 0, leafCount)
        return best?.index
    }
}

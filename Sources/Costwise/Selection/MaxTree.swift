/// A segment tree of maxima over values kept in cost order, answering "the first position at or
/// after `start` whose value is at least `threshold`" in O(log n).
///
/// Selection keeps one over the candidates' means (and one over their 95% lower bounds), so the
/// cheapest candidate above a threshold is found without walking the cheaper ones below it.
struct MaxTree: Sendable {
    let count: Int
    private let leafCount: Int
    private let nodes: [Double]

    init(_ values: [Double]) {
        count = values.count
        var leafCount = 1
        while leafCount < max(values.count, 1) { leafCount <<= 1 }
        self.leafCount = leafCount
        var nodes = [Double](repeating: -.infinity, count: 2 * leafCount)
        for (index, value) in values.enumerated() { nodes[leafCount + index] = value }
        for node in stride(from: leafCount - 1, through: 1, by: -1) { nodes[node] = max(nodes[2 * node], nodes[2 * node + 1]) }
        self.nodes = nodes
    }

    /// The first position at or after `start` whose value is at least `threshold`, or nil.
    func firstIndex(atLeast threshold: Double, from start: Int) -> Int? {
        guard start < count else { return nil }
        return nodes.withUnsafeBufferPointer { nodes in
            var node = start + leafCount
            if nodes[node] < threshold {
                // Climb while the subtree to the right has nothing; a left child's sibling is the next range.
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
}

import Testing
@testable import Costwise

/// ``MaxTree`` against brute force on random arrays: each search answers what a walk over every
/// position answers, with ties, missing latencies and sample limits.
struct MaxTreeTests {
    typealias Generator = SelectionReferenceTests.SeededGenerator

    /// Values from a few levels (so that they tie), latencies some of them missing (NaN), samples.
    static func arrays(count: Int, _ random: inout Generator) -> (values: [Double], latencies: [Double], samples: [Double]) {
        let values = (0..<count).map { _ in [0.1, 0.3, 0.5, 0.7, 0.9, 1][Int.random(in: 0...5, using: &random)] }
        let latencies = (0..<count).map { _ in Int.random(in: 0..<5, using: &random) == 0 ? Double.nan : Double(Int.random(in: 1...10, using: &random) * 100) }
        let samples = (0..<count).map { _ in [0.5, 1, 2, 5, 20][Int.random(in: 0...4, using: &random)] }
        return (values, latencies, samples)
    }

    /// Whether position `index` passes the latency and sample limits: a missing latency passes no
    /// finite limit.
    static func passes(_ index: Int, latencies: [Double]?, samples: [Double]?, maxLatency: Double, minSamples: Double) -> Bool {
        let latency = latencies.map { $0[index].isNaN ? Double.infinity : $0[index] } ?? 0
        let sampleCount = samples?[index] ?? .infinity
        return latency <= maxLatency && sampleCount >= minSamples
    }

    @Test("firstIndex: the first position from start at or above the threshold within the limits", arguments: [1, 2, 3, 4])
    func firstIndex(seed: UInt64) {
        var random = Generator(state: seed)
        for count in [0, 1, 2, 3, 5, 8, 13, 64, 100] {
            let (values, latencies, samples) = Self.arrays(count: count, &random)
            let full = MaxTree(values, latencies: latencies, samples: samples)
            let valuesOnly = MaxTree(values)
            let latenciesOnly = MaxTree(values, latencies: latencies)
            #expect(full.count == count)
            for _ in 0..<200 {
                let threshold = [0, 0.2, 0.5, 0.9, 1, 1.1][Int.random(in: 0...5, using: &random)]
                let start = Int.random(in: 0...(count + 1), using: &random)
                let maxLatency = Bool.random(using: &random) ? Double.infinity : Double(Int.random(in: 0...11, using: &random) * 100)
                let minSamples = Bool.random(using: &random) ? -Double.infinity : [0.5, 1, 3, 20, 21][Int.random(in: 0...4, using: &random)]
                func brute(latencies: [Double]?, samples: [Double]?, maxLatency: Double, minSamples: Double) -> Int? {
                    (min(start, count)..<count).first { index in
                        values[index] >= threshold
                            && Self.passes(index, latencies: latencies, samples: samples, maxLatency: maxLatency, minSamples: minSamples)
                    }
                }
                let context = "count \(count), threshold \(threshold), start \(start), latency ≤ \(maxLatency), samples ≥ \(minSamples)"
                #expect(full.firstIndex(atLeast: threshold, from: start, maxLatency: maxLatency, minSamples: minSamples)
                        == brute(latencies: latencies, samples: samples, maxLatency: maxLatency, minSamples: minSamples), "\(context)")
                #expect(valuesOnly.firstIndex(atLeast: threshold, from: start)
                        == brute(latencies: nil, samples: nil, maxLatency: .infinity, minSamples: -.infinity), "\(context)")
                #expect(latenciesOnly.firstIndex(atLeast: threshold, from: start, maxLatency: maxLatency)
                        == brute(latencies: latencies, samples: nil, maxLatency: maxLatency, minSamples: -.infinity), "\(context)")
            }
        }
    }

    @Test("bestIndex: the highest value below end within the limits that accept takes, the first on a tie", arguments: [5, 6, 7, 8])
    func bestIndex(seed: UInt64) {
        var random = Generator(state: seed)
        for count in [0, 1, 2, 3, 7, 16, 33, 100] {
            var (values, latencies, samples) = Self.arrays(count: count, &random)
            // Some positions the tree holds as −∞ (a candidate the default tokens do not fit): never an answer.
            for index in values.indices where Int.random(in: 0..<8, using: &random) == 0 { values[index] = -.infinity }
            let tree = MaxTree(values, latencies: latencies, samples: samples)
            for _ in 0..<200 {
                let end = Int.random(in: 0...(count + 2), using: &random)
                let maxLatency = Bool.random(using: &random) ? Double.infinity : Double(Int.random(in: 0...11, using: &random) * 100)
                let minSamples = [-Double.infinity, 0.5, 1, 3, 20, 21][Int.random(in: 0...5, using: &random)]
                let refused = Set((0..<count).filter { _ in Int.random(in: 0..<4, using: &random) == 0 })
                var best: Int?
                for index in 0..<min(end, count) where values[index] > -.infinity && !refused.contains(index)
                    && Self.passes(index, latencies: latencies, samples: samples, maxLatency: maxLatency, minSamples: minSamples) {
                    if best.map({ values[index] > values[$0] }) ?? true { best = index }
                }
                #expect(tree.bestIndex(below: end, maxLatency: maxLatency, minSamples: minSamples) { !refused.contains($0) } == best,
                        "count \(count), end \(end), latency ≤ \(maxLatency), samples ≥ \(minSamples), refused \(refused.sorted())")
            }
        }
    }
}

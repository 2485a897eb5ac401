import Testing
@testable import Costwise

/// The skyline invariants on random stores: every candidate a provider's skyline leaves out is
/// matched or beaten on quality and latency by one it keeps that comes before it in the rule's
/// order, and none it keeps is matched or beaten by an earlier candidate of its provider.
///
/// The skyline is read as a request reads it: asking a provider's skyline for the first candidate
/// at least as good and as fast as candidate C, positioned no later than C, answers C itself
/// exactly when C is kept, and otherwise a kept candidate that covers it.
struct SkylineTests {
    typealias Generator = SelectionReferenceTests.SeededGenerator

    /// One task type and 60 models over three providers: few price points (cost ties), latencies
    /// from a few levels or none, some pairs on too few samples for the skylines, some models whose
    /// context window the default request does not fit.
    static func route(seed: UInt64) throws -> TaskRoute {
        var random = Generator(state: seed)
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 500)
        let providers = ["p", "q", "r"]
        for index in 0..<60 {
            let id = "\(providers[index % 3])/m\(index)"
            try fixture.model(id, input: [0.1, 0.3, 1, 3][Int.random(in: 0...3, using: &random)], output: 2,
                              contextWindow: Int.random(in: 0..<10, using: &random) == 0 ? 1_000 : nil)
            let latency = Int.random(in: 0..<5, using: &random) == 0 ? nil : Double(Int.random(in: 1...8, using: &random) * 250)
            if Int.random(in: 0..<10, using: &random) == 0 {
                try fixture.store.setPriors([PriorScore(model: id, task: "t", score: 0.9, weight: 0.5, source: "test")])
            } else {
                try fixture.results(id, "t", passes: Int.random(in: 0...20, using: &random), of: 20, latencyMs: latency)
            }
        }
        return try #require(try fixture.store.snapshot().routes["t"])
    }

    @Test("Each skyline keeps a candidate or covers it with an earlier kept one, and keeps none an earlier one covers",
          arguments: [41, 42, 43, 44, 45])
    func invariants(seed: UInt64) throws {
        let route = try Self.route(seed: seed)
        let eligible = route.facts.indices.filter {
            route.facts[$0].fitsDefaultTokens && route.facts[$0].samples >= Frontier.SampleRange.fewestSamples
        }
        #expect(eligible.count > 30 && eligible.count < route.facts.count, "some candidates are left out of the skylines")
        for (skyline, value) in [(route.meanSkyline, { (facts: TaskRoute.Facts) in facts.mean }),
                                 (route.lowerBoundSkyline, { (facts: TaskRoute.Facts) in facts.lowerBound95 })] {
            var kept = 0
            var covered = 0
            for position in eligible {
                let facts = route.facts[position]
                let latency = facts.latency.isNaN ? Double.infinity : facts.latency
                let pass = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 0) { none in
                    skyline.cheapestQualifying(provider: Int(facts.providerID), threshold: value(facts), maxCost: .infinity,
                                               maxLatency: latency, before: position + 1, excluded: UnsafeBufferPointer(none))
                }
                guard case .chosen(let answer, _) = pass else {
                    Issue.record("candidate \(position) is neither kept nor covered: \(pass)")
                    continue
                }
                let cover = route.facts[answer]
                #expect(cover.providerID == facts.providerID)
                #expect(answer <= position && cover.cost <= facts.cost, "\(answer) comes before \(position)")
                #expect(value(cover) >= value(facts) && (cover.latency.isNaN ? Double.infinity : cover.latency) <= latency,
                        "\(answer) matches or beats \(position)")
                if answer == position {
                    kept += 1
                    // Kept: no earlier candidate of its provider matches or beats it.
                    let earlier = eligible.filter { $0 < position && route.facts[$0].providerID == facts.providerID }
                    let coveredBy = earlier.filter { other in
                        value(route.facts[other]) >= value(facts)
                            && (route.facts[other].latency.isNaN ? Double.infinity : route.facts[other].latency) <= latency
                    }
                    #expect(coveredBy.isEmpty, "kept candidate \(position) is covered by \(coveredBy)")
                } else {
                    covered += 1
                }
            }
            // Both kinds are met: the invariants are not checked on skylines that keep all or nothing.
            #expect(kept > 3 && covered > 3, "\(kept) kept, \(covered) covered")
        }
    }
}

import Testing
@testable import Costwise

struct NormalDistributionTests {
    @Test("Φ⁻¹ matches published quantiles", arguments: [
        (0.5, 0.0),
        (0.8, 0.8416212335729143),
        (0.9, 1.2815515655446004),
        (0.95, 1.6448536269514722),
        (0.975, 1.959963984540054),
        (0.99, 2.3263478740408408),
        (0.999, 3.090232306167813),
        (0.01, -2.3263478740408408),
        (1e-10, -6.361340902404056),
    ])
    func quantile(probability: Double, expected: Double) {
        #expect(abs(NormalDistribution.quantile(probability) - expected) < 1e-12)
    }

    @Test("The z that stored 95% bounds use is the quantile's own, bit for bit")
    func reportingZ() {
        #expect(Snapshot.reportingZ == NormalDistribution.quantile(Snapshot.reportingConfidence))
    }

    @Test("The Wilson lower bound matches values computed by hand")
    func wilsonKnownValues() {
        // 9 of 10 at z = 1.6449: (0.9 + z²/20 − z·√(0.009 + z²/400)) / (1 + z²/10) = 0.65228
        let nineOfTen = QualityEstimate(mean: 0.9, samples: 10, results: 10, priorWeight: 0)
        #expect(abs(nineOfTen.wilsonLowerBound(confidence: 0.95) - 0.652281) < 1e-6)
        // 81 of 100 at z = 1.96: the two-sided 95% Wilson interval's lower end, 0.72221.
        let eightyOne = QualityEstimate(mean: 0.81, samples: 100, results: 100, priorWeight: 0)
        #expect(abs(eightyOne.wilsonLowerBound(confidence: 0.975) - 0.722212) < 1e-6)
        // All passes still leave doubt with few samples: 5 of 5 at 95% gives 0.64888.
        let fiveOfFive = QualityEstimate(mean: 1, samples: 5, results: 5, priorWeight: 0)
        #expect(abs(fiveOfFive.wilsonLowerBound(confidence: 0.95) - 0.648883) < 1e-6)
    }

    @Test("More samples at the same mean raise the lower bound toward the mean")
    func wilsonTightensWithSamples() {
        let bounds = [10.0, 100, 1_000, 100_000].map {
            QualityEstimate(mean: 0.9, samples: $0, results: Int($0), priorWeight: 0).wilsonLowerBound(confidence: 0.95)
        }
        #expect(bounds == bounds.sorted())
        #expect(bounds.allSatisfy { $0 < 0.9 })
        #expect(abs(bounds.last! - 0.9) < 0.002)
    }
}

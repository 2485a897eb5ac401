/// How good a model is at a task type, from its evaluation scores and its prior.
///
/// The prior counts as `priorWeight` pseudo-samples of `priorScore`, so a model with no local
/// results is judged by the prior alone, and real results outweigh it as they accumulate.
public struct QualityEstimate: Sendable, Hashable {
    /// The weighted mean score in [0, 1].
    public var mean: Double
    /// The number of samples behind the mean: results plus the prior's weight.
    public var samples: Double
    /// The number of recorded evaluation results (without the prior).
    public var results: Int
    /// The prior's pseudo-sample weight (0 without a prior).
    public var priorWeight: Double

    public init(mean: Double, samples: Double, results: Int, priorWeight: Double) {
        self.mean = mean
        self.samples = samples
        self.results = results
        self.priorWeight = priorWeight
    }

    /// Combines recorded results (`scoreSum` over `results`) with a prior.
    public init?(scoreSum: Double, results: Int, priorScore: Double?, priorWeight: Double) {
        let weight = priorScore == nil ? 0 : priorWeight
        let samples = Double(results) + weight
        guard samples > 0 else { return nil }
        self.init(
            mean: (scoreSum + (priorScore ?? 0) * weight) / samples,
            samples: samples, results: results, priorWeight: weight)
    }

    /// The one-sided Wilson score lower bound for the mean at normal quantile `z`:
    /// `(p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`.
    @inlinable
    public func wilsonLowerBound(z: Double) -> Double {
        let n = samples
        let z2 = z * z
        let center = mean + z2 / (2 * n)
        let spread = z * (mean * (1 - mean) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, (center - spread) / (1 + z2 / n))
    }

    /// The lower bound at confidence level `confidence` in (0, 1), with z = Φ⁻¹(confidence).
    public func wilsonLowerBound(confidence: Double) -> Double {
        wilsonLowerBound(z: NormalDistribution.quantile(confidence))
    }
}

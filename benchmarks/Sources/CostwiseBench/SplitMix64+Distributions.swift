import Costwise
#if canImport(Glibc)
import Glibc
#endif

/// The distributions the generated data draws from, over Costwise's seeded generator, so every run
/// builds the same store, CSV and requests.
extension SplitMix64 {
    /// A normally distributed value (Box–Muller).
    mutating func normal(mean: Double, deviation: Double) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return mean + deviation * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// A value spread evenly on a log scale, as prices, sample counts and latencies are.
    mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
        exp(Double.random(in: log(range.lowerBound)...log(range.upperBound), using: &self))
    }
}

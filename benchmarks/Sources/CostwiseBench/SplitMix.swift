#if canImport(Glibc)
import Glibc
#endif

/// A seeded generator, so every run builds the same store, CSV and requests.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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

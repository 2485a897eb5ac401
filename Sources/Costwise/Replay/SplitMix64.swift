/// The SplitMix64 generator (Steele, Lea and Flood, 2014): a 64-bit state advanced by a fixed odd
/// constant, each output a bijective mix of the state.
///
/// Used where numbers must be the same on every machine and in every process: a replay's split, and
/// the tests' and benchmarks' generated data. Swift's system generator is not seedable, and its
/// `Hasher` is seeded per process. The name table's hash ends with the same ``mix(_:)``.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    /// A generator whose first output is `mix(seed &+ 0x9E3779B97F4A7C15)`.
    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's finalizer: a bijection of 64 bits in which every input bit moves every output
    /// bit, so that values differing only in a few bits (numbered names, consecutive states) spread.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// The SplitMix64 generator (Steele, Lea and Flood, 2014): a 64-bit state advanced by a fixed odd
/// constant, each output a bijective mix of the state.
///
/// Used where a replay must draw the same numbers on every machine and in every process: Swift's
/// system generator is not seedable, and its `Hasher` is seeded per process.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

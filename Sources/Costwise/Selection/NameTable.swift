/// Names numbered from 0 in the order given, looked up in an open-addressing table hashed with
/// FNV-1a over their UTF-8 bytes.
///
/// Selections look up a task type, and any excluded models and allowed providers, by name. A
/// `Dictionary` keyed by `String` hashes with SipHash through `Hasher`, which took a third of a
/// plain select's instructions; names from the store's own catalog need neither its seeding nor its
/// protection against chosen collisions.
struct NameTable: Sendable {
    /// The names, each at its number.
    private let names: [String]
    /// Per slot, a name's number, or −1 for an empty slot; a power of two long.
    private let slots: [Int32]

    /// Numbers `names` in order; a repeated name keeps its first number.
    init(_ names: some Sequence<String>) {
        var unique: [String] = []
        var capacity = 4
        let all = Array(names)
        while capacity < all.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        for name in all {
            var slot = Self.hash(name) & (capacity - 1)
            while slots[slot] >= 0 && unique[Int(slots[slot])] != name { slot = (slot + 1) & (capacity - 1) }
            guard slots[slot] < 0 else { continue }
            slots[slot] = Int32(unique.count)
            unique.append(name)
        }
        self.names = unique
        self.slots = slots
    }

    /// How many distinct names the table numbers.
    var count: Int { names.count }

    /// The number of `name`; nil when the table does not hold it.
    subscript(name: String) -> Int? {
        let mask = slots.count - 1
        var slot = Self.hash(name) & mask
        while true {
            let number = Int(slots[slot])
            if number < 0 { return nil }
            if names[number] == name { return number }
            slot = (slot + 1) & mask
        }
    }

    private static func hash(_ name: String) -> Int {
        let hash = FNV1a.hash(name)
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}

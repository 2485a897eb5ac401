/// The routes of a snapshot by task type name, in an open-addressing table hashed with FNV-1a.
///
/// Every select looks its task type up first. A `Dictionary` keyed by `String` hashes the name with
/// SipHash through `Hasher`, which took about a third of a plain select's instructions; a few dozen
/// task type names need neither its seeding nor its protection against chosen collisions.
struct RouteTable: Sendable {
    private let routes: [TaskRoute]
    /// Per slot, an index into `routes`, or −1 for an empty slot; a power of two long.
    private let slots: [Int32]

    init(_ routes: [String: TaskRoute]) {
        var capacity = 4
        while capacity < routes.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let ordered = Array(routes.values)
        for (index, route) in ordered.enumerated() {
            var slot = Self.hash(route.task.name) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        self.routes = ordered
        self.slots = slots
    }

    subscript(name: String) -> TaskRoute? {
        let mask = slots.count - 1
        var slot = Self.hash(name) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if routes[index].task.name == name { return routes[index] }
            slot = (slot + 1) & mask
        }
    }

    private static func hash(_ name: String) -> Int {
        func fnv1a(_ bytes: some Sequence<UInt8>) -> Int {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return Int(truncatingIfNeeded: hash ^ (hash >> 32))
        }
        // Native strings, small ones too, lend their bytes in one piece; others are walked.
        return name.utf8.withContiguousStorageIfAvailable(fnv1a) ?? fnv1a(name.utf8)
    }
}

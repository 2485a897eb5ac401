/// Names numbered from 0 in the order given, looked up by their UTF-8 bytes in an open-addressing
/// table.
///
/// Selections look up a task type, and any allowed providers, by name: four lookups for a request
/// naming three providers. A `Dictionary` keyed by
/// `String` hashes with SipHash through `Hasher`, which took a third of a plain select's
/// instructions; names from the store's own catalog need neither its seeding nor its protection
/// against chosen collisions. So the hash here reads eight bytes at a time, each slot keeps part of
/// it so that a probe compares bytes only on a likely match, and the names' bytes sit in one array
/// and are compared a word at a time. Names match when their bytes do. Every name is first looked
/// up by its `String` value in a table of the names of up to 15 bytes, which a `String` holds
/// inline (provider names, most task types); a longer one misses there and is found by its bytes.
struct NameTable: Sendable {
    /// Every name's UTF-8 bytes, one after the other.
    private var bytes: [UInt8] = []
    /// Name `n`'s bytes are those from `starts[n]` up to `starts[n + 1]`.
    private var starts: [Int32] = [0]
    /// A power of two long; at most half of them hold a name.
    private var slots: [Slot]
    /// The names short enough for a `String` to hold inline, by the 16 bytes of that `String`
    /// value: a power of two long, at most half of them used, zero where empty (no `String` is
    /// all zeros). See ``inlineNumber(of:)``.
    private var inlineKeys: [InlineKey] = []
    /// Each inline key's name number.
    private var inlineNumbers: [Int32] = []
    /// The `String` values behind ``inlineKeys``, kept so that no key can outlive what it names.
    private var inlineNames: [String] = []

    /// A `String` value's 16 bytes.
    private typealias InlineKey = SIMD2<UInt64>
    /// The longest name a `String` holds inline, in UTF-8 bytes.
    private static let inlineCapacity = 15
    /// Whether a `String` value is 16 bytes, as on 64-bit platforms; elsewhere every name is
    /// found by its bytes.
    private static var stringIsInlineKey: Bool { MemoryLayout<String>.size == MemoryLayout<InlineKey>.size }

    private struct Slot: Sendable {
        /// The name's number, −1 for an empty slot.
        var number: Int32
        /// The high half of the name's hash.
        var tag: UInt32
    }

    /// Numbers `names` in order; a repeated name keeps its first number.
    init(_ names: some Sequence<String>) {
        self = Self.numbering(Array(names)).table
    }

    /// The table of `names`, as ``init(_:)`` numbers them, and each given name's number in order.
    static func numbering(_ names: [String]) -> (table: NameTable, numbers: [Int32]) {
        var table = NameTable(capacity: names.count)
        let numbers = names.map { name in Self.withBytes(of: name) { table.insert($0) } }
        // Sized again by the distinct names: the providers of thousands of models are a few dozen,
        // and their table stays a few cache lines.
        var smaller = NameTable(capacity: table.count)
        if smaller.slots.count < table.slots.count {
            table.bytes.withUnsafeBytes { bytes in
                for number in 0..<table.count {
                    let name = bytes[Int(table.starts[number])..<Int(table.starts[number + 1])]
                    _ = smaller.insert(UnsafeRawBufferPointer(rebasing: name))
                }
            }
            table = smaller
        }
        table.keyInlineNames()
        return (table, numbers)
    }

    /// Fills ``inlineKeys`` with the names of up to ``inlineCapacity`` bytes, each as a `String`
    /// made from its bytes, which is how the standard library makes a request's short strings.
    private mutating func keyInlineNames() {
        guard Self.stringIsInlineKey else { return }
        let names = bytes.withUnsafeBytes { bytes in
            (0..<count).compactMap { number -> (String, Int32)? in
                let name = bytes[Int(starts[number])..<Int(starts[number + 1])]
                return name.count <= Self.inlineCapacity ? (String(decoding: name, as: UTF8.self), Int32(number)) : nil
            }
        }
        let capacity = Self.slotCount(holding: names.count)
        inlineKeys = [InlineKey](repeating: .zero, count: capacity)
        inlineNumbers = [Int32](repeating: -1, count: capacity)
        for (name, number) in names {
            let key = Self.inlineKey(of: name)
            var slot = Self.inlineSlot(key, slotCount: capacity)
            while inlineKeys[slot] != .zero { slot = (slot + 1) & (capacity - 1) }
            inlineKeys[slot] = key
            inlineNumbers[slot] = number
        }
        inlineNames = names.map(\.0)
    }

    /// How many slots a table of `count` names has: a power of two, at most half of them used.
    private static func slotCount(holding count: Int) -> Int {
        var slots = 4
        while slots < count * 2 { slots <<= 1 }
        return slots
    }

    /// An empty table with room for `count` names.
    private init(capacity count: Int) {
        slots = [Slot](repeating: Slot(number: -1, tag: 0), count: Self.slotCount(holding: count))
    }

    /// Numbers `name` next unless the table holds it already; returns its number.
    private mutating func insert(_ name: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(name)
        let slot = slot(of: name, hash: hash)
        if slots[slot].number >= 0 { return slots[slot].number }
        let number = Int32(count)
        slots[slot] = Slot(number: number, tag: UInt32(truncatingIfNeeded: hash >> 32))
        bytes.append(contentsOf: name)
        starts.append(Int32(bytes.count))
        return number
    }

    /// How many distinct names the table numbers.
    var count: Int { starts.count - 1 }

    /// The number of `name`; nil when the table does not hold it.
    ///
    /// Inlined into each select that looks names up, which saves the call and, for names short
    /// enough to live inside their `String`, everything around it.
    @inline(__always)
    subscript(name: String) -> Int? {
        if let number = inlineNumber(of: name) { return number }
        // Written out rather than through `withBytes(of:)`: a closure handed on through that generic
        // helper is not inlined, which cost a fifth of a lookup's instructions.
        let number = name.utf8.withContiguousStorageIfAvailable { self.number(of: UnsafeRawBufferPointer($0)) }
            ?? Array(name.utf8).withUnsafeBytes { self.number(of: $0) }
        return number < 0 ? nil : Int(number)
    }

    /// The number of `name` when its `String` value has the same 16 bytes as one of
    /// ``inlineNames``; nil otherwise, and the caller compares bytes.
    ///
    /// The same 16 bytes are the same text: a short string's bytes are its text, and a longer
    /// one's point at storage that the table keeps alive. Short strings equal in text are equal in
    /// bytes as the standard library makes them, so a request's provider names and task types are
    /// found here without reading their bytes one by one, and without a branch on their length;
    /// any other spelling of a short name is found by its bytes instead. So is a longer name: its
    /// `String` is marked as one that keeps its bytes in storage, which no short string is, so it
    /// matches no key; looking it up here first costs a probe, where measuring every name's length
    /// first cost a branch on each lookup.
    @inline(__always)
    private func inlineNumber(of name: String) -> Int? {
        guard Self.stringIsInlineKey else { return nil }
        let key = Self.inlineKey(of: name)
        return inlineKeys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var slot = Self.inlineSlot(key, slotCount: keys.count)
            while true {
                let stored = keys[slot]
                if stored == key { return Int(inlineNumbers.withUnsafeBufferPointer { $0[slot] }) }
                if stored == .zero { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func inlineKey(of name: String) -> InlineKey {
        unsafeBitCast(name, to: InlineKey.self)
    }

    /// The slot a key's probe starts at, of `slotCount`, a power of two: the top bits of one
    /// multiplication (Fibonacci hashing), which every bit of the key reaches. Names often differ
    /// only in their last bytes, the high bits of a word, which a multiplication never carries
    /// down to the low bits; one multiplication instead of three, as every lookup waits for it.
    @inline(__always)
    private static func inlineSlot(_ key: InlineKey, slotCount: Int) -> Int {
        let hash = (key[0] ^ key[1]) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: hash >> UInt64(64 - slotCount.trailingZeroBitCount))
    }

    /// Whether name `number`'s bytes are `name`'s UTF-8 bytes. Reads the table's copy of them, which
    /// lies with the other names' in one array, rather than the bytes of some other `String` with
    /// that name, wherever they were allocated; a `name` of another length is told apart by the
    /// length its `String` keeps.
    @inline(__always)
    func name(_ number: Int, is name: String) -> Bool {
        starts.withUnsafeBufferPointer { starts in
            let start = Int(starts[number])
            let count = Int(starts[number + 1]) - start
            guard name.utf8.count == count else { return false }
            return bytes.withUnsafeBytes { bytes in
                let stored = UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + start }, count: count)
                return name.utf8.withContiguousStorageIfAvailable { Self.equal(UnsafeRawBufferPointer($0), stored) }
                    ?? Array(name.utf8).withUnsafeBytes { Self.equal($0, stored) }
            }
        }
    }

    /// The number of the name whose bytes are `name`, −1 for none.
    @inline(__always)
    private func number(of name: UnsafeRawBufferPointer) -> Int32 {
        slots[slot(of: name, hash: Self.hash(name))].number
    }

    /// Calls `body` with `name`'s UTF-8 bytes: native strings, small ones too, lend theirs in one
    /// piece; others are copied.
    @inline(__always)
    private static func withBytes<Result>(of name: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        name.utf8.withContiguousStorageIfAvailable { body(UnsafeRawBufferPointer($0)) }
            ?? Array(name.utf8).withUnsafeBytes(body)
    }

    /// The slot holding `name`, whose hash is `hash`, or the empty slot it would take. Reads the
    /// arrays through their buffers and returns a plain index: bounds checks and an enum result
    /// took a sixth of a lookup's instructions.
    @inline(__always)
    private func slot(of name: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        return slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBytes { bytes in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry.number < 0 { return slot }
                        if entry.tag == tag {
                            let start = Int(starts[Int(entry.number)])
                            let end = Int(starts[Int(entry.number) + 1])
                            // Without a slice's bounds checks; an empty table's bytes may have no address.
                            let stored = UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + start }, count: end - start)
                            if stored.count == name.count && Self.equal(name, stored) { return slot }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Mixes the bytes eight at a time, names shorter than eight bytes read in two overlapping
    /// halves, as are the last bytes of longer ones; then mixes every bit into every other with
    /// ``SplitMix64/mix(_:)``, so that names differing only in their last bytes (numbered model ids)
    /// still spread over the slots.
    @inline(__always)
    private static func hash(_ name: UnsafeRawBufferPointer) -> UInt64 {
        let count = name.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 < count {
            hash = (hash ^ name.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 32
            offset += 8
        }
        hash ^= tail(name)
        return SplitMix64.mix(hash)
    }

    /// The last (up to) eight bytes, zero-filled for shorter names.
    @inline(__always)
    private static func tail(_ name: UnsafeRawBufferPointer) -> UInt64 {
        let count = name.count
        if count >= 8 { return name.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) }
        if count >= 4 {
            let low = UInt64(name.loadUnaligned(as: UInt32.self))
            let high = UInt64(name.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << 32
        }
        guard count > 0 else { return 0 }
        return UInt64(name[0]) | UInt64(name[count / 2]) << 8 | UInt64(name[count - 1]) << 16
    }

    /// Whether two byte runs of the same length are equal, compared eight bytes at a time.
    @inline(__always)
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        var offset = 0
        while offset + 8 < count {
            let word = a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if word != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        return tail(a) == tail(b)
    }
}

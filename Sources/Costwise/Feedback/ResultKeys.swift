/// The store keys (model, task type, run, item) of a batch of evaluation results, in the order the
/// results table keeps them, with every run and item packed in one byte buffer.
///
/// An import of 300,000 results sorts, binds and sums them by key: packed text spares a string per
/// result, and lets SQLite read run and item in place instead of copying them.
struct ResultKeys {
    struct Entry {
        var pair: SQLiteStore.PairKey
        /// The run's bytes in ``ResultKeys/text``.
        var run: Range<Int>
        /// The item's bytes in ``ResultKeys/text``.
        var item: Range<Int>
        /// The result's position in the batch: of two results with one key, the later is kept.
        var index: Int
    }

    private(set) var entries: [Entry] = []
    /// Every run and item, one after the other, as UTF-8.
    private(set) var text: [UInt8] = []

    init(capacity: Int) {
        entries.reserveCapacity(capacity)
        text.reserveCapacity(capacity * 16)
    }

    mutating func append(_ pair: SQLiteStore.PairKey, run: String, item: String, index: Int) {
        let runStart = text.count
        append(run)
        let itemStart = text.count
        append(item)
        entries.append(Entry(pair: pair, run: runStart..<itemStart, item: itemStart..<text.count, index: index))
    }

    private mutating func append(_ string: String) {
        // Copying the string's bytes at once is much faster than appending its UTF-8 view byte by byte.
        if string.utf8.withContiguousStorageIfAvailable({ text.append(contentsOf: $0) }) == nil { text.append(contentsOf: string.utf8) }
    }

    /// Puts the entries in key order (SQLite's byte order for text), so that the table's B-tree grows
    /// at its end instead of at random pages; results with one key stay in batch order.
    mutating func sort() {
        text.withUnsafeBufferPointer { text in
            // Runs are often written in key order already: checking is one pass, sorting many.
            guard zip(entries, entries.dropFirst()).contains(where: { Self.precedes($1, $0, in: text) }) else { return }
            entries.sort { Self.precedes($0, $1, in: text) }
        }
    }

    /// The pairs of the sorted entries, each with the positions of its entries.
    var pairs: [(pair: SQLiteStore.PairKey, positions: Range<Int>)] {
        var pairs: [(pair: SQLiteStore.PairKey, positions: Range<Int>)] = []
        var start = 0
        for position in entries.indices where position + 1 == entries.count || entries[position + 1].pair != entries[position].pair {
            pairs.append((entries[position].pair, start..<(position + 1)))
            start = position + 1
        }
        return pairs
    }

    /// Whether the sorted entry at `position` is the one its key keeps: no later result has its key.
    func isKept(at position: Int) -> Bool {
        guard position + 1 < entries.count else { return true }
        return text.withUnsafeBufferPointer { text in
            Self.order(entries[position], entries[position + 1], in: text) != 0
        }
    }

    private static func precedes(_ a: Entry, _ b: Entry, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let order = order(a, b, in: text)
        return order != 0 ? order < 0 : a.index < b.index
    }

    /// Negative, zero or positive as `a`'s key sorts before, with or after `b`'s.
    private static func order(_ a: Entry, _ b: Entry, in text: UnsafeBufferPointer<UInt8>) -> Int {
        if a.pair.modelID != b.pair.modelID { return a.pair.modelID < b.pair.modelID ? -1 : 1 }
        if a.pair.taskID != b.pair.taskID { return a.pair.taskID < b.pair.taskID ? -1 : 1 }
        let run = order(a.run, b.run, in: text)
        return run != 0 ? run : order(a.item, b.item, in: text)
    }

    /// SQLite's BINARY collation: bytes compared in order, then the shorter text first.
    private static func order(_ a: Range<Int>, _ b: Range<Int>, in text: UnsafeBufferPointer<UInt8>) -> Int {
        for (x, y) in zip(text[a], text[b]) where x != y { return x < y ? -1 : 1 }
        return a.count - b.count
    }
}

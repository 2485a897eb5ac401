/// Which items of a ``ReplayDataset`` train the store and which are held out, reproducibly.
///
/// Within each task type, items are ordered by a key that mixes a stable hash of the task type and
/// item id (64-bit FNV-1a of their UTF-8 bytes) with the seed through one step of ``SplitMix64``;
/// the first round(n × fraction) items train, and at least one item trains and, when the task has
/// two or more, at least one is held out. The key depends on nothing but the task, the item and
/// the seed (not on the file's order, the other items or Swift's per-process hash seed), so the
/// same file, fraction and seed split the same way on every machine, and every task type is
/// represented on both sides.
public struct ReplaySplit: Sendable {
    /// Whether each item (indexed as ``ReplayDataset/items``) trains the store.
    public let isTraining: [Bool]
    /// The share of each task type's items asked to train, when the split was drawn.
    public let trainingFraction: Double?
    public let seed: UInt64?

    /// Draws the split: `trainingFraction` in (0, 1) of each task type's items train.
    public init(_ dataset: ReplayDataset, trainingFraction: Double, seed: UInt64) {
        precondition(trainingFraction > 0 && trainingFraction < 1, "the training fraction must be in (0, 1)")
        var isTraining = [Bool](repeating: false, count: dataset.items.count)
        for (taskIndex, task) in dataset.tasks.enumerated() {
            let indices = dataset.itemsByTask[taskIndex]
            let ordered = indices.map { (key: Self.orderKey(task: task, item: dataset.items[$0].id, seed: seed), index: $0) }
                .sorted { $0.key != $1.key ? $0.key < $1.key : dataset.items[$0.index].id.utf8.lexicographicallyPrecedes(dataset.items[$1.index].id.utf8) }
            let wanted = Int((Double(indices.count) * trainingFraction).rounded())
            let count = indices.count < 2 ? indices.count : min(max(wanted, 1), indices.count - 1)
            for entry in ordered.prefix(count) { isTraining[entry.index] = true }
        }
        self.isTraining = isTraining
        self.trainingFraction = trainingFraction
        self.seed = seed
    }

    /// A split given item by item: the items in `trainingItems` train, the rest are held out.
    public init(_ dataset: ReplayDataset, trainingItems: Set<ReplayDataset.Item>) {
        isTraining = dataset.items.map { trainingItems.contains($0) }
        trainingFraction = nil
        seed = nil
    }

    public var trainingCount: Int { isTraining.count { $0 } }
    public var heldOutCount: Int { isTraining.count { !$0 } }

    /// The key that orders an item within its task type for a seed.
    static func orderKey(task: String, item: String, seed: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: seed ^ FNV1a.hash(task + "\u{1F}" + item))
        return generator.next()
    }
}

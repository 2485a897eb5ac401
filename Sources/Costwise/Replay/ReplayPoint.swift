/// One way of routing the held-out items, scored: its mean quality and cost per request, and both
/// as ratios of the baseline's on the same items.
public struct ReplayPoint: Sendable, Hashable {
    /// The held-out items one model answered.
    public struct ModelShare: Sendable, Hashable {
        public var model: String
        public var items: Int
    }

    /// What routed the items: a model id, `oracle`, `threshold 0.8`, `training target 0.95`.
    public var label: String
    /// The uniform threshold of a sweep point.
    public var threshold: Double?
    /// The training quality ratio an optimized point was chosen for.
    public var trainingTarget: Double?
    /// The mean score over the held-out items, in [0, 1].
    public var quality: Double
    /// The mean cost of one held-out request, in USD.
    public var costUSD: Double
    public var qualityRatio: Double
    public var costRatio: Double
    /// How many held-out items went to each model, in the dataset's model order.
    public var itemsByModel: [ModelShare]
    /// Held-out items of task types where no model cleared the threshold: they went to the
    /// selector's best candidate, as a gateway falls back to its strongest model.
    public var fallbackItems: Int

    /// The cheapest point whose quality ratio reaches `target` (the higher quality on equal cost):
    /// how published cost–quality curves are read.
    public static func cheapest(in points: [ReplayPoint], reaching target: Double) -> ReplayPoint? {
        points.filter { $0.qualityRatio >= target }.min { a, b in
            a.costUSD != b.costUSD ? a.costUSD < b.costUSD : a.quality > b.quality
        }
    }
}

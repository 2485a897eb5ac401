/// What `costwise tune` finds: on a replay's training part alone, the cheapest choice of one model
/// per task type expected to hold the target on new items (see ``Replay/choose(targetQualityRatio:folds:on:)``),
/// and, when applied to a store, what was written there.
public struct ReplayTuning: Sendable {
    public let input: ReplayInput
    public let replay: Replay
    public let optimization: ReplayOptimization
    /// Per task type, the default threshold written and what the store's selector picks at it; nil
    /// until the tuning is applied.
    public private(set) var applied: [AppliedThreshold]?

    /// Tunes the per-item results in `bytes` (the content of `input.file`) for `input.targetQualityRatio`.
    public init(_ input: ReplayInput, bytes: [UInt8]) throws {
        replay = try input.replay(bytes).replay
        optimization = try replay.choose(targetQualityRatio: input.targetQualityRatio, folds: input.folds, on: replay.frontier())
        self.input = input
    }

    /// Writes the choice into `store` as its task types' default thresholds (see
    /// ``Replay/apply(_:to:run:)``), with the training part's results under the run ``ReplayInput/run``.
    public mutating func apply(to store: some CostwiseStore) throws {
        applied = try replay.apply(optimization, to: store, run: input.run)
    }

    /// The baseline model's id.
    public var baseline: String { replay.dataset.models[replay.baseline].id }
}

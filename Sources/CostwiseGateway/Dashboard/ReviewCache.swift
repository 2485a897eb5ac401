import Costwise
import Synchronization

/// The review the dashboard shows, kept for a minute. A review weighs every evaluation result by
/// age, which costs more than the rest of the page together and would grow with the results; its
/// actions move over days, so a review up to a minute old says the same.
final class ReviewCache: Sendable {
    /// How long a review is shown before the next page load reviews the store again.
    static let lifetime: Duration = .seconds(60)

    private let kept = Mutex<(review: Review, at: ContinuousClock.Instant)?>(nil)

    /// The kept review while it is younger than ``lifetime``, else a new one from `store`.
    func review(of store: SQLiteStore, now: Double) throws -> Review {
        let clock = ContinuousClock()
        if let kept = kept.withLock({ $0 }), clock.now - kept.at < Self.lifetime { return kept.review }
        let review = try Review(store: store, halfLifeDays: Review.defaultHalfLifeDays, windowDays: Review.defaultWindowDays, now: now)
        kept.withLock { $0 = (review, clock.now) }
        return review
    }
}

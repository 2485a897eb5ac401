import Costwise
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The review the dashboard shows, made when the gateway starts and made again every minute in the
/// background. A review weighs every evaluation result by age, which costs more than the rest of the
/// page together and grows with the results, so no page load waits for one once the first is made;
/// its actions move over days, so a review up to a minute old says the same.
final class ReviewKeeper: Service, Sendable {
    /// How often the review is made again.
    static let interval: Duration = .seconds(60)

    let store: SQLiteStore
    let logger: Logger
    private let kept = Mutex<Review?>(nil)

    init(store: SQLiteStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The latest review; a page that arrives before the first one is made makes it.
    func review() async throws -> Review {
        if let review = kept.withLock({ $0 }) { return review }
        return try await makeReview()
    }

    func run() async throws {
        do {
            _ = try await makeReview()
        } catch {
            logger.error("cannot review the store for the dashboard: \(error)")
        }
        await repeatUntilShutdown(every: Self.interval) {
            do {
                _ = try await makeReview()
            } catch {
                logger.error("cannot review the store for the dashboard: \(error)")
            }
        }
    }

    /// Reviews the store on the thread pool (its reads block) and keeps the review.
    private func makeReview() async throws -> Review {
        let store = store
        let review = try await NIOThreadPool.singleton.runIfActive {
            try Review(store: store, halfLifeDays: Review.defaultHalfLifeDays, windowDays: Review.defaultWindowDays, now: RFC3339.now)
        }
        kept.withLock { $0 = review }
        return review
    }
}

import Costwise
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Keeps the gateway's ``RoutingState`` in step with its store: every `interval` it asks SQLite
/// whether another connection has written (`PRAGMA data_version`, a read of one page header) and,
/// when one has, rebuilds the state on a thread of its own and swaps it in. Imports, `record` and
/// price changes made by other processes are so seen within the interval; no request waits for a
/// rebuild, and requests keep the state they started with.
///
/// The gateway's own request records change per-(model, task) statistics too, which `data_version`
/// does not report to the connection that wrote them: ``statisticsChanged()`` marks them, and a round
/// rebuilds the snapshot (keeping the aliases and classifier, which records never change), at most
/// once per ``statisticsReloadInterval``: under steady traffic nearly every batch changes some
/// figure, and a rebuild reads the whole catalog.
final class StoreFollower: Service, Sendable {
    let store: SQLiteStore
    let interval: Duration
    let logger: Logger
    private let state: Mutex<RoutingState>
    private let statisticsStale = Atomic(false)
    /// Set when the store's server notifies a commit (PostgreSQL), so that the next round checks at once.
    private let notified = Atomic(false)

    /// The least time between two rebuilds for the statistics the gateway's own traffic changed.
    static let statisticsReloadInterval = Duration.seconds(1)

    init(store: SQLiteStore, interval: Duration = .milliseconds(250), logger: Logger) throws {
        self.store = store
        self.interval = interval
        self.logger = logger
        state = Mutex(try RoutingState.load(from: store))
    }

    /// The state requests route with now.
    var current: RoutingState { state.withLock { $0 } }

    /// Rebuilds the state from the store now: after the gateway's own writes that change selections
    /// (feedback), which `data_version` does not report to the connection that made them.
    func reload() async throws {
        let store = store
        let fresh = try await NIOThreadPool.singleton.runIfActive { try RoutingState.load(from: store) }
        state.withLock { $0 = fresh }
    }

    /// Marks the statistics as changed by the gateway's own writes, for a round to rebuild the snapshot.
    func statisticsChanged() {
        statisticsStale.store(true, ordering: .relaxed)
    }

    /// Rebuilds the snapshot from the store now, keeping the aliases, classifier and keys.
    private func reloadSnapshot() async throws {
        let store = store
        let snapshot = try await NIOThreadPool.singleton.runIfActive { try store.snapshot() }
        state.withLock { $0 = RoutingState(snapshot: snapshot, aliases: $0.aliases, classifier: $0.classifier, keys: $0.keys) }
    }

    /// Every `interval`, asks the store whether another process wrote. On PostgreSQL the store also
    /// listens for commits: then rounds come ten times as often, and ask the store only when a
    /// commit was notified or `interval` has passed, which remains the safety net for a lost notice.
    func run() async throws {
        let clock = ContinuousClock()
        var statisticsLoaded = clock.now - Self.statisticsReloadInterval
        let store = store
        let listening = try? await NIOThreadPool.singleton.runIfActive {
            try store.listenForChanges { [weak self] in self?.notified.store(true, ordering: .relaxed) }
        }
        let listens = listening != nil
        var checked = clock.now - interval
        await repeatUntilShutdown(every: listens ? interval / 10 : interval) {
            if listens {
                let due = notified.exchange(false, ordering: .relaxed) || checked.duration(to: clock.now) >= interval
                    || (statisticsStale.load(ordering: .relaxed) && statisticsLoaded.duration(to: clock.now) >= Self.statisticsReloadInterval)
                guard due else { return }
                checked = clock.now
            }
            do {
                let store = store
                let statisticsDue = statisticsLoaded.duration(to: clock.now) >= Self.statisticsReloadInterval
                let ownWrites = statisticsDue && statisticsStale.exchange(false, ordering: .relaxed)
                if try await NIOThreadPool.singleton.runIfActive({ try store.refresh() }) {
                    try await reload()
                    if ownWrites { statisticsLoaded = clock.now }
                } else if ownWrites {
                    try await reloadSnapshot()
                    statisticsLoaded = clock.now
                }
            } catch {
                logger.error("cannot follow the store: \(error)")
            }
        }
        withExtendedLifetime(listening) {}
    }
}

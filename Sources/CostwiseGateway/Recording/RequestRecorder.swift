import Costwise
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Writes the records of answered requests to the store in batches, off the request path: a request
/// hands its record over and goes on; every `interval` the records gathered so far are written in
/// one transaction on a thread of their own. On shutdown the last batch is written before the
/// service ends.
///
/// The queue is bounded: when the store falls behind by `capacity` records, further records are
/// dropped and counted in `costwise_records_dropped_total` rather than held without limit.
///
/// Answered requests feed their model and task type's measured tokens and latency, which the
/// store recomputes with the batch; when a batch changed any, `statisticsChanged` is called, so
/// that selections follow the traffic.
final class RequestRecorder: Service, Sendable {
    let store: SQLiteStore
    let interval: Duration
    let capacity: Int
    let metrics: GatewayMetrics
    let logger: Logger
    let statisticsChanged: @Sendable () -> Void
    private let queue = Mutex(Queue())
    /// The latest flush: each one waits for the one before, so a flush returns only once every record
    /// queued before it is stored, even while the periodic one is writing.
    private let lastFlush = Mutex<Task<Void, Never>?>(nil)

    private struct Queue {
        var pending: [RequestRecord] = []
        /// The batch being written: still looked up by id until it is stored.
        var writing: [RequestRecord] = []
    }

    /// Records written between two yields of the writer's processor (about 0.4 ms of work): the
    /// event loops share the processors with the writer, and one woken behind it would otherwise
    /// wait for the scheduler's next tick (see ``SQLiteStore/recordRequests(_:yieldingEvery:)``).
    static let recordsBetweenYields = 16

    init(store: SQLiteStore, interval: Duration = .milliseconds(100), capacity: Int = 100_000, metrics: GatewayMetrics, logger: Logger,
         statisticsChanged: @escaping @Sendable () -> Void) {
        self.store = store
        self.interval = interval
        self.capacity = capacity
        self.metrics = metrics
        self.logger = logger
        self.statisticsChanged = statisticsChanged
    }

    /// Queues a record for the next batch.
    func record(_ record: RequestRecord) {
        let accepted = queue.withLock { queue in
            guard queue.pending.count < capacity else { return false }
            queue.pending.append(record)
            return true
        }
        if !accepted { metrics.recordDropped() }
    }

    /// A request's record: queued, being written, or stored.
    func lookUp(id: String) async throws -> RequestRecord? {
        if let queued = queue.withLock({ queue in queue.pending.last { $0.id == id } ?? queue.writing.last { $0.id == id } }) {
            return queued
        }
        let store = store
        return try await NIOThreadPool.singleton.runIfActive { try store.request(id: id) }
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval) { await flush() }
        // The last batch is written even when the service group is cancelling its services.
        await Task { await self.flush() }.value
    }

    /// Writes what is queued now, after any batch being written.
    func flush() async {
        let flush = lastFlush.withLock { last in
            let previous = last
            let next = Task {
                await previous?.value
                await self.writeQueued()
            }
            last = next
            return next
        }
        await flush.value
    }

    private func writeQueued() async {
        let batch = queue.withLock { queue in
            queue.writing = queue.pending
            queue.pending = []
            return queue.writing
        }
        guard !batch.isEmpty else { return }
        let store = store
        do {
            if try await NIOThreadPool.singleton.runIfActive({ try store.recordRequests(batch, yieldingEvery: Self.recordsBetweenYields) }) > 0 {
                statisticsChanged()
            }
        } catch {
            logger.error("cannot store \(batch.count) request records: \(error)")
            for _ in batch { metrics.recordDropped() }
        }
        queue.withLock { $0.writing = [] }
    }
}

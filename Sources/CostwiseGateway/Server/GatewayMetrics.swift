import CoreMetrics
import Prometheus
import Synchronization

/// The gateway's metrics, emitted through swift-metrics into a Prometheus registry of its own and
/// exported at `GET /metrics`. Every series is named `costwise_…`.
///
/// A registry per gateway rather than the process-wide metrics system: tests run several gateways in
/// one process, and each must count its own requests.
///
/// The handles a request counts with are made once per series and kept: making one looks its series
/// up in the registry under the registry's lock, five times a request, where a kept one is a
/// dictionary read.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let overheadTimer: CoreMetrics.Timer
    private let reservationTimer: CoreMetrics.Timer
    private let requestSeries = Mutex<[RequestKey: RequestSeries]>([:])
    private let latencyTimers = Mutex<[String: CoreMetrics.Timer]>([:])

    /// The labels of a request's series.
    private struct RequestKey: Hashable {
        var task: String
        var model: String
        var status: String
    }

    /// The handles one kind of request counts with.
    private struct RequestSeries {
        var requests: CoreMetrics.Counter
        var cost: FloatingPointCounter
        var inputTokens: CoreMetrics.Counter
        var outputTokens: CoreMetrics.Counter
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60), .seconds(120),
        ]
        self.factory = factory
        overheadTimer = CoreMetrics.Timer(label: "costwise_gateway_overhead_seconds", dimensions: [], factory: factory)
        reservationTimer = CoreMetrics.Timer(label: "costwise_budget_reservation_seconds", dimensions: [], factory: factory)
    }

    /// One answered request: `costwise_requests_total{task, model, status}`, and its cost and tokens.
    func request(task: String?, model: String?, status: String, costUSD: Double?, inputTokens: Int?, outputTokens: Int?) {
        let series = series(RequestKey(task: task ?? "none", model: model ?? "none", status: status))
        series.requests.increment()
        if let costUSD { series.cost.increment(by: costUSD) }
        if let inputTokens { series.inputTokens.increment(by: inputTokens) }
        if let outputTokens { series.outputTokens.increment(by: outputTokens) }
    }

    private func series(_ key: RequestKey) -> RequestSeries {
        if let kept = requestSeries.withLock({ $0[key] }) { return kept }
        let task = ("task", key.task)
        let model = ("model", key.model)
        let made = RequestSeries(
            requests: CoreMetrics.Counter(label: "costwise_requests_total", dimensions: [task, model, ("status", key.status)], factory: factory),
            cost: FloatingPointCounter(label: "costwise_cost_usd_total", dimensions: [task, model], factory: factory),
            inputTokens: CoreMetrics.Counter(label: "costwise_tokens_total", dimensions: [task, model, ("kind", "input")], factory: factory),
            outputTokens: CoreMetrics.Counter(label: "costwise_tokens_total", dimensions: [task, model, ("kind", "output")], factory: factory))
        requestSeries.withLock { $0[key] = made }
        return made
    }

    /// `costwise_upstream_latency_seconds{model}`: from sending to the upstream to the answer's last byte.
    func upstreamLatency(model: String, nanoseconds: Int64) {
        let timer = latencyTimers.withLock { $0[model] } ?? {
            let made = CoreMetrics.Timer(label: "costwise_upstream_latency_seconds", dimensions: [("model", model)], factory: factory)
            latencyTimers.withLock { $0[model] = made }
            return made
        }()
        timer.recordNanoseconds(nanoseconds)
    }

    /// `costwise_gateway_overhead_seconds`: the time a request spent in the gateway itself.
    func overhead(nanoseconds: Int64) {
        overheadTimer.recordNanoseconds(nanoseconds)
    }

    /// `costwise_budget_reservation_seconds`: the store's part of reserving a keyed attempt's worst
    /// case, one write transaction: on a shared (PostgreSQL) store, its round trips to the server and
    /// any wait for another gateway's write, which every keyed request pays before it is sent.
    func budgetReservation(nanoseconds: Int64) {
        reservationTimer.recordNanoseconds(nanoseconds)
    }

    /// `costwise_fallbacks_total{task, model, reason}`: a model failed and the next candidate was tried.
    func fallback(task: String?, model: String, reason: String) {
        CoreMetrics.Counter(label: "costwise_fallbacks_total", dimensions: [("task", task ?? "none"), ("model", model), ("reason", reason)],
                        factory: factory).increment()
    }

    /// `costwise_no_model_total{task}`: a selection found no qualifying model.
    func noModel(task: String) {
        CoreMetrics.Counter(label: "costwise_no_model_total", dimensions: [("task", task)], factory: factory).increment()
    }

    /// `costwise_records_dropped_total`: request records the store could not take.
    func recordDropped() {
        CoreMetrics.Counter(label: "costwise_records_dropped_total", dimensions: [], factory: factory).increment()
    }

    /// The Prometheus text format of every series.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

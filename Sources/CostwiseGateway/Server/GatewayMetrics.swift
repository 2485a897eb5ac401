import CoreMetrics
import Prometheus

/// The gateway's metrics, emitted through swift-metrics into a Prometheus registry of its own and
/// exported at `GET /metrics`. Every series is named `costwise_…`.
///
/// A registry per gateway rather than the process-wide metrics system: tests run several gateways in
/// one process, and each must count its own requests.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60), .seconds(120),
        ]
        self.factory = factory
    }

    /// One answered request: `costwise_requests_total{task, model, status}`, and its cost and tokens.
    func request(task: String?, model: String?, status: String, costUSD: Double?, inputTokens: Int?, outputTokens: Int?) {
        let task = task ?? "none"
        let model = model ?? "none"
        CoreMetrics.Counter(label: "costwise_requests_total", dimensions: [("task", task), ("model", model), ("status", status)],
                        factory: factory).increment()
        if let costUSD {
            FloatingPointCounter(label: "costwise_cost_usd_total", dimensions: [("task", task), ("model", model)], factory: factory)
                .increment(by: costUSD)
        }
        if let inputTokens {
            CoreMetrics.Counter(label: "costwise_tokens_total", dimensions: [("task", task), ("model", model), ("kind", "input")],
                            factory: factory).increment(by: inputTokens)
        }
        if let outputTokens {
            CoreMetrics.Counter(label: "costwise_tokens_total", dimensions: [("task", task), ("model", model), ("kind", "output")],
                            factory: factory).increment(by: outputTokens)
        }
    }

    /// `costwise_upstream_latency_seconds{model}`: from sending to the upstream to the answer's last byte.
    func upstreamLatency(model: String, nanoseconds: Int64) {
        CoreMetrics.Timer(label: "costwise_upstream_latency_seconds", dimensions: [("model", model)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// `costwise_gateway_overhead_seconds`: the time a request spent in the gateway itself.
    func overhead(nanoseconds: Int64) {
        CoreMetrics.Timer(label: "costwise_gateway_overhead_seconds", dimensions: [], factory: factory).recordNanoseconds(nanoseconds)
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

import Costwise

/// How one request is routed: a selection for a task type (with its fallbacks), or the one model
/// the request named; the task type, the threshold and where it came from.
struct RoutePlan: Sendable {
    enum Target: Sendable {
        case select(SelectionRequest)
        /// A catalog id or alias named in the request: sent as is, no fallback.
        case fixed(Model)
    }

    /// Where the threshold came from, as `x-costwise-threshold-source` says.
    enum ThresholdSource: String, Sendable {
        case request
        case task
        case gateway
    }

    var target: Target
    var task: String?
    var threshold: Double?
    var thresholdSource: ThresholdSource?
    /// What `costwise/auto` read in the last user message.
    var classification: TaskClassification?
    var needs: RequestNeeds

    /// The model name that asks for a selection for a task type: `costwise/TASK`.
    static let prefix = "costwise/"
    /// The model name that asks for the task type to be classified first.
    static let auto = "costwise/auto"

    /// The plan for a request naming `model`, with its options, needs and last user message.
    ///
    /// - Throws: ``GatewayError`` (4xx) for an unknown task type or model, conflicting options, or
    ///   `costwise/auto` without a user message to classify.
    init(model: String, options: CostwiseOptions?, needs: RequestNeeds, lastUserText: @autoclosure () -> String?,
         state: RoutingState, config: GatewayConfig) throws(GatewayError) {
        self.needs = needs
        try options?.validate()
        let snapshot = state.snapshot
        var task = options?.task
        var fixed: Model?
        if model == Self.auto {
            if task == nil {
                guard let text = lastUserText(), !text.isEmpty else {
                    throw GatewayError(status: 400, type: .invalidRequest, code: "nothing_to_classify",
                                       "costwise/auto classifies the last user message, and the request has none; "
                                       + "add one, or name the task type with costwise/TASK", param: "messages")
                }
                let classifier: SharedClassifier
                switch state.classifier {
                case .success(let shared): classifier = shared
                case .failure(let error): throw error
                }
                let classification = classifier.classify(text)
                self.classification = classification
                task = classification.task
            }
        } else if model.hasPrefix(Self.prefix) {
            let named = String(model.dropFirst(Self.prefix.count))
            if let task, task != named {
                throw GatewayError(status: 400, type: .invalidRequest, code: "conflicting_task",
                                   "the model \(model) names task type '\(named)' but costwise.task names '\(task)'; give one",
                                   param: "costwise.task")
            }
            task = named
        } else {
            guard let named = state.model(named: model) else {
                throw GatewayError(status: 404, type: .notFound, code: "model_not_found",
                                   "no model '\(model)' in the catalog; use costwise/auto, costwise/TASK or a catalog id or alias "
                                   + "(GET /v1/models lists them)", param: "model")
            }
            fixed = named
        }
        if let task, snapshot.taskType(named: task) == nil {
            let known = snapshot.taskTypes.map(\.name).sorted().joined(separator: ", ")
            throw GatewayError(status: 404, type: .notFound, code: "unknown_task",
                               "no task type '\(task)' in the store; the task types are \(known)",
                               param: options?.task == nil ? "model" : "costwise.task")
        }
        self.task = task
        if let fixed {
            if let shortfall = needs.shortfall(of: fixed) {
                throw GatewayError(status: 400, type: .invalidRequest, code: "model_cannot_serve",
                                   shortfall + "; name another model, or route with costwise/TASK", param: "model")
            }
            target = .fixed(fixed)
            return
        }
        guard let task else {
            // Unreachable: every name that is not a catalog model names a task type or costwise/auto.
            throw GatewayError(status: 400, type: .invalidRequest, code: "no_task", "the request names no task type", param: "model")
        }
        let threshold: Double
        if let minQuality = options?.minQuality {
            threshold = minQuality
            thresholdSource = .request
        } else if let taskDefault = snapshot.taskType(named: task)?.minQuality {
            threshold = taskDefault
            thresholdSource = .task
        } else {
            threshold = config.defaultMinQuality
            thresholdSource = .gateway
        }
        self.threshold = threshold
        var request = SelectionRequest(task: task, minQuality: threshold, confidence: options?.confidence,
                                       maxCostUSD: options?.maxCostUSD, maxLatencyMs: options?.maxLatencyMs,
                                       providers: Self.providers(asked: options?.providers, reachable: config.reachableProviders),
                                       excludedModels: options?.exclude ?? [])
        needs.limit(&request)
        target = .select(request)
    }

    /// The providers a selection may choose from: those asked for that the gateway reaches.
    private static func providers(asked: [String]?, reachable: [String]?) -> [String] {
        guard let reachable else { return asked ?? [] }
        guard let asked else { return reachable }
        let intersection = asked.filter(reachable.contains)
        // None left: a provider no model has, so that nothing qualifies rather than everything.
        return intersection.isEmpty ? [""] : intersection
    }
}

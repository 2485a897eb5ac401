import Costwise
import FoundationEssentials
import Hummingbird
import NIOCore
import NIOPosix

extension Gateway {
    /// `POST /v1/select`: the body of a chat completion (messages optional); answers what `select
    /// --json` prints for it, plus `classified_as` for `costwise/auto`, without calling any model.
    func select(_ request: Request) async -> Response {
        do {
            var request = request
            let chat = try ChatRequest.decode(try await collectBody(&request))
            let state = follower.current
            let plan = try RoutePlan(model: chat.model, options: chat.costwise, needs: RequestNeeds(chat),
                                     lastUserText: chat.lastUserText, state: state, config: config)
            var members: [(String, JSONValue)]
            switch plan.target {
            case .fixed(let model):
                members = [("model", .string(model.id)), ("provider", .string(model.provider)), ("task", .stringOrNull(plan.task)),
                           ("reason", .string("named in the request"))]
            case .select(let selectionRequest):
                let selection: Selection
                do {
                    selection = try state.snapshot.select(selectionRequest)
                } catch {
                    throw GatewayError(status: 400, type: .invalidRequest, code: "invalid_selection", "\(error)")
                }
                if selection.chosen == nil { metrics.noModel(task: selectionRequest.task) }
                guard case .object(let object) = selection.json else { return json(.null) }
                members = object
                members.append(("threshold_source", .stringOrNull(plan.thresholdSource?.rawValue)))
            }
            if let classification = plan.classification { members.append(("classified_as", classification.json)) }
            let needs = plan.needs.capabilities.sorted()
            if !needs.isEmpty { members.append(("needs", .array(needs.map { .string($0.rawValue) }))) }
            return json(.object(members))
        } catch let error as GatewayError {
            return error.response()
        } catch {
            return GatewayError.unexpected(error).response()
        }
    }

    /// `POST /v1/feedback` `{"request_id", "score"}` or `{"request_id", "passed"}`: an evaluation
    /// result for the model and task type that answered the request (run `gateway`, item the request
    /// id). Giving it again replaces the same result, so it counts once; the next selection sees it.
    func feedback(_ request: Request) async -> Response {
        do {
            var request = request
            let body = try await collectBody(&request)
            let feedback: Feedback
            do {
                feedback = try JSONDecoder().decode(Feedback.self, from: Data(body))
            } catch let error as DecodingError {
                throw GatewayError.invalidBody(error)
            }
            let score = try feedback.score()
            guard let record = try await recorder.lookUp(id: feedback.requestID) else {
                throw GatewayError(status: 404, type: .notFound, code: "request_not_found",
                                   "no request '\(feedback.requestID)'; give the x-costwise-request-id of an answer", param: "request_id")
            }
            guard record.status == .ok, let model = record.model else {
                throw GatewayError(status: 422, type: .invalidRequest, code: "request_not_answered",
                                   "request '\(record.id)' got no answer (\(record.status.rawValue)); there is nothing to score",
                                   param: "request_id")
            }
            guard let task = record.task else {
                throw GatewayError(status: 422, type: .invalidRequest, code: "request_without_task",
                                   "request '\(record.id)' named a model and no task type, so its score has no task type to count for; "
                                   + "send costwise.task with such requests", param: "request_id")
            }
            let result = EvaluationResult(model: model, task: task, score: score, run: RequestRecord.feedbackRun, item: record.id,
                                          costUSD: record.costUSD, latencyMs: record.upstreamLatencyMs,
                                          inputTokens: record.inputTokens, outputTokens: record.outputTokens)
            let store = store
            let report = try await NIOThreadPool.singleton.runIfActive { try store.record(result) }
            try await follower.reload()
            return json(.object([
                ("request_id", .string(record.id)),
                ("model", .string(model)),
                ("task", .string(task)),
                ("score", .number(score)),
                ("recorded", .string(report.replaced > 0 ? "replaced" : "inserted")),
            ]))
        } catch let error as GatewayError {
            return error.response()
        } catch {
            return GatewayError.unexpected(error).response()
        }
    }

    /// `GET /v1/models`: OpenAI's model list with `costwise/auto`, a `costwise/TASK` per task type,
    /// and every enabled catalog model.
    func models() -> Response {
        let state = follower.current
        func entry(_ id: String, owner: String) -> JSONValue {
            .object([("id", .string(id)), ("object", .string("model")), ("created", .integer(0)), ("owned_by", .string(owner))])
        }
        var data = [entry(RoutePlan.auto, owner: "costwise")]
        data += state.snapshot.taskTypes.map(\.name).sorted().map { entry(RoutePlan.prefix + $0, owner: "costwise") }
        data += state.snapshot.models.filter(\.enabled).map { entry($0.id, owner: $0.provider) }
        return json(.object([("object", .string("list")), ("data", .array(data))]))
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.text())))
    }
}

/// A feedback body: the request's id and a score in [0, 1], or whether it passed.
struct Feedback: Decodable {
    var requestID: String
    var scoreValue: Double?
    var passed: Bool?

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case scoreValue = "score"
        case passed
    }

    func score() throws(GatewayError) -> Double {
        switch (scoreValue, passed) {
        case (let score?, nil):
            guard score.isFinite, (0...1).contains(score) else {
                throw GatewayError(status: 400, type: .invalidRequest, code: "invalid_score", "score must be from 0 to 1", param: "score")
            }
            return score
        case (nil, let passed?):
            return passed ? 1 : 0
        default:
            throw GatewayError(status: 400, type: .invalidRequest, code: "invalid_feedback",
                               "give either score (0 to 1) or passed (true or false)", param: "score")
        }
    }
}

import Costwise
import CostwiseUpstream
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

extension Gateway {
    /// The largest upstream answer the gateway reads whole (a non-streamed completion).
    static let maxAnswerBytes = 64 * 1024 * 1024

    /// `POST /v1/chat/completions`: plan, select, forward (falling back before the first byte),
    /// answer, record. A request made with a key is rate-limited first, and each attempt reserves
    /// budget before it is sent (see ``chooseWithinBudget(_:excluding:state:isFirst:exchange:)``).
    func chatCompletions(_ request: Request, context: GatewayRequestContext) async -> Response {
        let at = RFC3339.now
        var exchange = Exchange(id: RequestID.make(at: at), at: at, started: .now)
        do {
            var request = request
            let body = try await collectBody(&request)
            let chat = try ChatRequest.decode(body)
            exchange.stream = chat.isStreaming
            if let caller = context.caller {
                try ledger.limiter.admit(caller)
                exchange.keyed = KeyedRequest(caller: caller, bound: TokenBound(bodyBytes: body.count, chat: chat),
                                              fitsBudget: chat.costwise?.fitBudget == true)
            }
            guard chat.messages != nil else {
                throw GatewayError(status: 400, type: .invalidRequest, code: "missing_field", "the request needs 'messages'", param: "messages")
            }
            let state = follower.current
            let plan = try RoutePlan(model: chat.model, options: chat.costwise, needs: RequestNeeds(chat),
                                     lastUserText: chat.lastUserText, state: state, config: config)
            exchange.plan = plan
            let client = Client(eventLoop: context.channel.eventLoop, connection: connections.connection(of: context.channel))
            return try await forward(chat.members, chat: chat, plan: plan, state: state, client: client, exchange: &exchange)
        } catch let error as GatewayError {
            await releaseReservation(&exchange)
            return finish(&exchange, error: error)
        } catch {
            await releaseReservation(&exchange)
            return finish(&exchange, error: GatewayError.unexpected(error))
        }
    }

    /// Where the request's client is: the event loop its connection runs on (the upstream call hands
    /// its answer over there) and the connection, which ends the upstream call when the client leaves.
    struct Client: Sendable {
        var eventLoop: any EventLoop
        var connection: ClientConnection?
    }

    /// The request body, up to the configured limit.
    func collectBody(_ request: inout Request) async throws(GatewayError) -> [UInt8] {
        do {
            return Array(try await request.collectBody(upTo: config.maxBodyBytes).readableBytesView)
        } catch {
            throw GatewayError(status: 413, type: .invalidRequest, code: "body_too_large",
                               "the body is larger than the gateway's limit of \(config.maxBodyBytes) bytes (max_body_bytes in the config)")
        }
    }

    /// Tries the plan's model, then (for a selection) the next qualifying candidates, until one answers.
    private func forward(_ members: JSONMembers, chat: ChatRequest, plan: RoutePlan, state: RoutingState, client: Client,
                         exchange: inout Exchange) async throws(GatewayError) -> Response {
        var excluded: [String] = []
        var lastFailure: GatewayError?
        let tries: Int
        if case .fixed = plan.target { tries = 1 } else { tries = 1 + config.fallbacks }
        for attempt in 0..<tries {
            guard let choice = try await chooseWithinBudget(plan, excluding: excluded, state: state, isFirst: attempt == 0,
                                                            exchange: &exchange) else { break }
            exchange.model = choice.model.id
            exchange.estimatedCostUSD = choice.estimatedCostUSD
            exchange.reason = choice.reason
            guard let upstream = config.upstream(forProvider: choice.model.provider), let upstreamClient = clients[upstream.name] else {
                throw GatewayError(status: 503, type: .server, code: "no_upstream",
                                   "no upstream serves provider '\(choice.model.provider)' of \(choice.model.id); "
                                   + "add it (or \"*\") under providers in the gateway's config")
            }
            guard let url = upstream.chatCompletions else {
                throw GatewayError(status: 503, type: .server, code: "no_upstream",
                                   "the upstream of provider '\(upstream.name)' has no http:// or https:// URL ('\(upstream.baseURL)'); "
                                   + "fix its base_url in the gateway's config")
            }
            let body = Self.upstreamBody(members, modelID: upstream.upstreamModelID(for: choice.model.id), stream: chat.isStreaming)
            let sent = ContinuousClock.now
            let failure: (reason: String, error: GatewayError)
            do {
                let call = upstreamClient.postChat(to: url, apiKey: upstream.apiKey, body: body,
                                                   accept: chat.isStreaming ? "text/event-stream" : "application/json",
                                                   on: client.eventLoop)
                client.connection?.arm(call)
                let answer = try await call.head()
                if answer.isRetryable {
                    let text = try? await call.collect(upTo: 64 * 1024)
                    failure = ("http \(answer.status)", GatewayError(
                        status: 502, type: .upstream, code: "upstream_status_\(answer.status)",
                        "\(choice.model.id) answered \(answer.status): \(Self.excerpt(text))"))
                } else if !(200..<300).contains(answer.status) {
                    let text = try? await call.collect(upTo: 1024 * 1024)
                    client.connection?.disarm()
                    exchange.attempts.append(.init(model: choice.model.id, outcome: "http \(answer.status)", latencyMs: sent.millisecondsAgo))
                    await releaseReservation(&exchange)
                    return finish(&exchange, upstreamRefusal: answer.status, body: text, model: choice.model, upstream: upstream)
                } else if chat.isStreaming {
                    // Before the first byte reaches the client, a failure still falls back.
                    if let first = try await call.next() {
                        exchange.attempts.append(.init(model: choice.model.id, outcome: "ok", latencyMs: sent.millisecondsAgo))
                        exchange.timeToFirstTokenMs = sent.millisecondsAgo
                        return stream(first: first, rest: call, chat: chat, model: choice.model, sent: sent, state: state, client: client,
                                      exchange: exchange)
                    }
                    failure = ("empty", GatewayError(status: 502, type: .upstream, code: "upstream_empty",
                                                            "\(choice.model.id) closed the stream before its first byte"))
                } else {
                    let whole = try await call.collect(upTo: Self.maxAnswerBytes)
                    client.connection?.disarm()
                    exchange.attempts.append(.init(model: choice.model.id, outcome: "ok", latencyMs: sent.millisecondsAgo))
                    exchange.upstreamLatencyMs = sent.millisecondsAgo
                    exchange.timeToFirstTokenMs = exchange.upstreamLatencyMs
                    let response = respond(whole, status: answer.status, model: choice.model, state: state, exchange: &exchange)
                    await settleReservation(&exchange)
                    return response
                }
            } catch is CancellationError {
                client.connection?.disarm()
                return await clientLeft(&exchange, model: choice.model.id, sent: sent, state: state)
            } catch let upstreamFailure as UpstreamFailure {
                let kind = upstreamFailure.kind
                failure = (kind.rawValue, GatewayError(
                    status: kind == .timeout ? 504 : 502, type: kind == .timeout ? .timeout : .upstream, code: "upstream_\(kind.rawValue)",
                    "\(choice.model.id) failed before answering: \(upstreamFailure.message)"))
            } catch {
                failure = ("error", GatewayError(status: 502, type: .upstream, code: "upstream_error", "\(choice.model.id): \(error)"))
            }
            client.connection?.disarm()
            exchange.attempts.append(.init(model: choice.model.id, outcome: failure.reason, latencyMs: sent.millisecondsAgo))
            exchange.upstreamNanoseconds += sent.nanosecondsAgo
            await releaseReservation(&exchange)
            excluded.append(choice.model.id)
            lastFailure = failure.error
            if attempt + 1 < tries { metrics.fallback(task: plan.task, model: choice.model.id, reason: failure.reason) }
        }
        guard var failure = lastFailure else {
            throw GatewayError(status: 502, type: .upstream, code: "no_candidate", "no model could be tried")
        }
        if exchange.attempts.count > 1 {
            failure.message += " (tried " + exchange.attempts.map { "\($0.model): \($0.outcome)" }.joined(separator: ", ") + ")"
        }
        throw failure
    }

    /// The client left before the answer: the upstream call was ended, and the request is recorded
    /// as failed with nginx's 499 (client closed request). Nobody reads the response. The upstream
    /// had the request and may bill for it, with no usage reported, so a key's reservation is settled
    /// (at its whole amount) rather than released.
    private func clientLeft(_ exchange: inout Exchange, model: String, sent: ContinuousClock.Instant,
                            state: RoutingState) async -> Response {
        exchange.attempts.append(.init(model: model, outcome: "client closed", latencyMs: sent.millisecondsAgo))
        exchange.upstreamNanoseconds += sent.nanosecondsAgo
        exchange.status = .failed
        exchange.httpStatus = 499
        await settleReservation(&exchange)
        record(exchange, state: state)
        return Response(status: .init(code: 499))
    }

    /// The model to try next: the plan's fixed model, or the cheapest qualifying candidate not yet tried.
    func choose(_ plan: RoutePlan, excluding excluded: [String], state: RoutingState,
                isFirst: Bool) throws(GatewayError) -> Choice? {
        switch plan.target {
        case .fixed(let model):
            return Choice(model: model, reason: "named in the request", estimatedCostUSD: nil)
        case .select(var request):
            request.excludedModels += excluded
            let selection: Selection
            do {
                selection = try state.snapshot.select(request)
            } catch {
                throw GatewayError(status: 400, type: .invalidRequest, code: "invalid_selection", "\(error)")
            }
            guard let chosen = selection.chosen, let model = state.modelsByID[chosen.model] else {
                guard isFirst else { return nil }
                metrics.noModel(task: request.task)
                throw GatewayError(status: 422, type: .invalidRequest, code: "no_qualifying_model",
                                   (selection.failureReason ?? "no model qualifies")
                                   + "; lower costwise.min_quality, relax the limits, or record evaluations for this task type",
                                   param: "costwise.min_quality")
            }
            return Choice(model: model, reason: chosen.reason, estimatedCostUSD: chosen.estimatedCostUSD)
        }
    }

    struct Choice {
        var model: Model
        var reason: String
        var estimatedCostUSD: Double?
    }

    /// The client's body for the upstream: its model id, no `costwise` object, and for a stream a
    /// request for usage, so that the stream's cost can be known.
    static func upstreamBody(_ members: JSONMembers, modelID: String, stream: Bool) -> ByteBuffer {
        var replacements = [(key: "model", value: JSONText.string(modelID))]
        if stream {
            let options = members.value("stream_options").map { AnswerRewriter.adding("include_usage", value: "true", to: $0) }
            replacements.append(("stream_options", options ?? "{\"include_usage\":true}"))
        }
        return ByteBuffer(bytes: members.rewritten(replacing: replacements, removing: ["costwise"]))
    }

    /// A non-streamed answer: rewritten, headed, recorded.
    private func respond(_ whole: ByteBuffer, status: Int, model: Model, state: RoutingState, exchange: inout Exchange) -> Response {
        let bytes = Array(whole.readableBytesView)
        let rewriter = AnswerRewriter(model: model)
        let rewritten = rewriter.rewrite(bytes)
        exchange.usage = rewritten?.usage
        exchange.costUSD = rewritten?.costUSD
        exchange.status = .ok
        exchange.httpStatus = status
        var headers = headers(for: exchange)
        headers[.contentType] = "application/json"
        let response = Response(status: .init(code: status), headers: headers,
                                body: .init(byteBuffer: rewritten.map { ByteBuffer(bytes: $0.bytes) } ?? whole))
        record(exchange, state: state)
        return response
    }

    /// A streamed answer: its events passed on as they arrive, then recorded. A stream that breaks
    /// off, or ends without `[DONE]`, ends with an error event and no `[DONE]`, and is recorded as
    /// failed; a client that goes away ends the upstream call.
    private func stream(first: ByteBuffer, rest upstream: UpstreamCall, chat: ChatRequest, model: Model, sent: ContinuousClock.Instant,
                        state: RoutingState, client: Client, exchange: Exchange) -> Response {
        var headers = headers(for: exchange)
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let rewriter = AnswerRewriter(model: model)
        let passesUsage = chat.streamOptions?.includeUsage == true
        let handedOver = exchange
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { client.connection?.disarm() }
            var exchange = handedOver
            var transcoder = SSETranscoder(rewriter: rewriter, passesUsageChunk: passesUsage)
            var failure: GatewayError?
            do {
                if let out = transcoder.feed(first) { try await writer.write(out) }
                while let chunk = try await upstream.next() {
                    if let out = transcoder.feed(chunk) { try await writer.write(out) }
                }
                if !transcoder.sawDone {
                    failure = GatewayError(status: 502, type: .upstream, code: "stream_incomplete",
                                           "\(model.id) ended the stream before [DONE]; the answer is incomplete")
                }
            } catch let error as UpstreamFailure {
                failure = GatewayError(status: 502, type: .upstream, code: "stream_interrupted",
                                       "\(model.id) broke off the stream: \(error.message); the answer is incomplete")
            } catch {
                // The client went away (its connection told the call, or writing to it failed).
                upstream.cancel()
                exchange.status = .failed
                exchange.httpStatus = 499
                exchange.upstreamLatencyMs = sent.millisecondsAgo
                exchange.usage = transcoder.usage
                exchange.costUSD = transcoder.costUSD
                await self.settleReservation(&exchange)
                self.record(exchange, state: state)
                throw error
            }
            if let failure { try? await writer.write(SSETranscoder.errorEvent(failure)) }
            exchange.status = failure == nil ? .ok : .failed
            exchange.httpStatus = 200
            exchange.upstreamLatencyMs = sent.millisecondsAgo
            exchange.usage = transcoder.usage
            exchange.costUSD = transcoder.costUSD
            await self.settleReservation(&exchange)
            self.record(exchange, state: state)
            try await writer.finish(nil)
        })
    }

    /// An upstream's 4xx (other than 429) for the request as the client sent it: passed on with its
    /// status and body, except that a refused key is the gateway's fault (502), not the client's.
    private func finish(_ exchange: inout Exchange, upstreamRefusal status: Int, body: ByteBuffer?, model: Model,
                        upstream: ProviderUpstream) -> Response {
        if status == 401 || status == 403 {
            let key = upstream.apiKeyVariable.map { "the key in \($0)" } ?? "no key (api_key_env is not set)"
            return finish(&exchange, error: GatewayError(
                status: 502, type: .upstream, code: "upstream_auth",
                "the upstream of provider '\(upstream.name)' refused \(key) with \(status); fix the gateway's config"))
        }
        exchange.status = .rejected
        exchange.httpStatus = status
        var headers = headers(for: exchange)
        headers[.contentType] = "application/json"
        let passed = body.flatMap { JSONMembers(Array($0.readableBytesView)) != nil ? $0 : nil }
        let response = Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: passed ?? ByteBuffer(string:
            GatewayError(status: status, type: .invalidRequest, code: "upstream_rejected",
                         "\(model.id) refused the request with \(status): \(Self.excerpt(body))").json)))
        record(exchange, state: follower.current)
        return response
    }

    /// An error answer, recorded.
    func finish(_ exchange: inout Exchange, error: GatewayError) -> Response {
        exchange.httpStatus = error.status
        exchange.status = switch error.code {
        case "no_qualifying_model": .noModel
        case _ where error.status < 500: .rejected
        default: .failed
        }
        var response = error.response(requestID: exchange.id)
        for field in headers(for: exchange) where response.headers[field.name] == nil { response.headers.append(field) }
        record(exchange, state: follower.current)
        return response
    }

    /// The `x-costwise-*` headers of an answer.
    private func headers(for exchange: Exchange) -> HTTPFields {
        // Each name once, so appended without the lookup a subscript makes.
        var headers = HTTPFields()
        headers.reserveCapacity(10)
        headers.append(HTTPField(name: GatewayHeaders.requestID, value: exchange.id))
        if let model = exchange.model { headers.append(HTTPField(name: GatewayHeaders.model, value: model)) }
        if let task = exchange.plan?.task { headers.append(HTTPField(name: GatewayHeaders.task, value: task)) }
        if let threshold = exchange.plan?.threshold {
            headers.append(HTTPField(name: GatewayHeaders.threshold, value: DecimalFormat.string(threshold)))
        }
        if let source = exchange.plan?.thresholdSource {
            headers.append(HTTPField(name: GatewayHeaders.thresholdSource, value: source.rawValue))
        }
        if let reason = exchange.reason { headers.append(HTTPField(name: GatewayHeaders.reason, value: GatewayHeaders.value(reason))) }
        if let cost = exchange.costUSD { headers.append(HTTPField(name: GatewayHeaders.costUSD, value: JSONText.number(cost))) }
        if !exchange.attempts.isEmpty { headers.append(HTTPField(name: GatewayHeaders.attempts, value: String(exchange.attempts.count))) }
        return headers
    }

    /// Hands the exchange's record to the recorder and counts it in the metrics.
    private func record(_ exchange: Exchange, state: RoutingState) {
        // All-premium means a top-tier model that could have served this request too.
        let needed = exchange.plan?.needs.capabilities ?? []
        let record = exchange.record(premium: { usage in state.snapshot.premiumAlternative(for: usage, requiring: needed) })
        recorder.record(record)
        metrics.request(task: record.task, model: record.model, status: record.status.rawValue, costUSD: record.costUSD,
                        inputTokens: record.inputTokens, outputTokens: record.outputTokens)
        if let latency = record.upstreamLatencyMs, let model = record.model {
            metrics.upstreamLatency(model: model, nanoseconds: Int64(latency * 1e6))
        }
        if let overhead = record.overheadMs { metrics.overhead(nanoseconds: Int64(overhead * 1e6)) }
    }

    /// The start of an upstream's error body, for a message.
    static func excerpt(_ body: ByteBuffer?) -> String {
        guard let body, body.readableBytes > 0 else { return "(no body)" }
        let text = String(decoding: body.readableBytesView.prefix(300), as: UTF8.self)
        return body.readableBytes > 300 ? text + "…" : text
    }
}

extension ContinuousClock.Instant {
    var nanosecondsAgo: Int64 {
        let elapsed = ContinuousClock.now - self
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    var millisecondsAgo: Double { Double(nanosecondsAgo) / 1e6 }
}

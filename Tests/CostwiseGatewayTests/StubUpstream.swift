import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An OpenAI-compatible upstream on 127.0.0.1 that answers each model as a test tells it to:
/// a completion with or without usage, a status, an answer after a delay, or a stream that breaks
/// off after its first chunk. It keeps the bodies it was sent.
final class StubUpstream: Sendable {
    enum Behavior: Sendable {
        case answer(usage: Bool)
        case status(Int)
        case delay(Duration)
        /// A stream that sends its first chunk and then drops the connection.
        case cutStream
        /// No answer until the caller gives up and closes the connection.
        case hang
        /// An answer, streamed or not, after `delay`, that reports these token counts.
        case reports(promptTokens: Int, completionTokens: Int, after: Duration)
    }

    private let behaviors = Mutex<[String: Behavior]>([:])
    private let received = Mutex<[Data]>([])
    private let abandoned = Mutex(0)

    /// How many requests the caller gave up on while the stub was still answering them.
    var abandonedRequests: Int { abandoned.withLock { $0 } }

    func set(_ model: String, _ behavior: Behavior) {
        behaviors.withLock { $0[model] = behavior }
    }

    /// The JSON bodies received, decoded, oldest first.
    var requests: [[String: Any]] {
        received.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
    }

    /// What the stub reads of a request.
    private struct Probe: Decodable {
        var model: String
        var stream: Bool?
        var streamOptions: StreamOptions?
        struct StreamOptions: Decodable { var include_usage: Bool? }
        enum CodingKeys: String, CodingKey { case model, stream, streamOptions = "stream_options" }
    }

    /// Runs `body` with a stub listening on a free port of 127.0.0.1; the port is its argument.
    static func run<T: Sendable>(_ body: @Sendable (StubUpstream, Int) async throws -> T) async throws -> T {
        let stub = StubUpstream()
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in try await stub.answer(request) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "stub-upstream"))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "stub-upstream")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let result: Result<T, any Error>
            do {
                result = .success(try await body(stub, port))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        var request = request
        let bytes = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
        received.withLock { $0.append(Data(bytes)) }
        let probe = try JSONDecoder().decode(Probe.self, from: Data(bytes))
        let model = probe.model
        let stream = probe.stream ?? false
        let includeUsage = probe.streamOptions?.include_usage ?? false
        switch behaviors.withLock({ $0[model] }) ?? .answer(usage: true) {
        case .status(let status):
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"error\":{\"message\":\"stub says \(status)\"}}")))
        case .delay(let delay):
            try await Task.sleep(for: delay)
            return completion(model: model, usage: Self.usageJSON)
        case .answer(let usage):
            let reported = usage ? Self.usageJSON : nil
            return stream ? events(model: model, usage: includeUsage ? reported : nil, cut: false) : completion(model: model, usage: reported)
        case .cutStream:
            return events(model: model, usage: includeUsage ? Self.usageJSON : nil, cut: true)
        case .hang:
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in try await Task.sleep(for: .seconds(60)) }
            } catch is CancellationError {
                abandoned.withLock { $0 += 1 }
                throw CancellationError()
            }
            return completion(model: model, usage: Self.usageJSON)
        case .reports(let prompt, let completion, let delay):
            try await Task.sleep(for: delay)
            let usage = #"{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}"#
            return stream ? events(model: model, usage: includeUsage ? usage : nil, cut: false) : self.completion(model: model, usage: usage)
        }
    }

    static let usageJSON = #"{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"prompt_tokens_details":{"cached_tokens":200},"completion_tokens_details":{"reasoning_tokens":100}}"#

    private func completion(model: String, usage: String?) -> Response {
        let text = #"{"id":"chatcmpl-stub","object":"chat.completion","created":1,"model":"\#(model)","#
            + #""choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the stub."},"finish_reason":"stop"}]"#
            + (usage.map { #","usage":\#($0)"# } ?? "") + "}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func events(model: String, usage: String?, cut: Bool) -> Response {
        func chunk(_ delta: String, finish: String? = nil) -> String {
            #"data: {"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1,"model":"\#(model)","#
                + #""choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(finish.map { "\"\($0)\"" } ?? "null")}]}"# + "\n\n"
        }
        let first = chunk(#"{"role":"assistant","content":"Hello"}"#)
        var rest = [chunk(#"{"content":" from the stub."}"#, finish: "stop")]
        if let usage {
            rest.append(#"data: {"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[],"usage":\#(usage)}"# + "\n\n")
        }
        rest.append("data: [DONE]\n\n")
        let events = rest
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: first))
            if cut {
                try await Task.sleep(for: .milliseconds(50))
                throw CancellationError()
            }
            for event in events { try await writer.write(ByteBuffer(string: event)) }
            try await writer.finish(nil)
        })
    }
}

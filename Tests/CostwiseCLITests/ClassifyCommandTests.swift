import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `costwise classify`, `route` and `classifier train|evaluate|list` end to end; the llm classifier
/// against a stub chat-completions server on 127.0.0.1 that each test starts and stops.
@Suite(.timeLimit(.minutes(2)))
struct ClassifyCommandTests {
    /// A seeded store, so that bayes is trained and every bundled task type exists.
    func seeded() throws -> Sandbox {
        let cw = try Sandbox()
        try expectSuccess(cw.run("init"))
        return cw
    }

    @Test("classify --json answers task, confidence and classifier; bayes by default on a seeded store")
    func classifyJSON() throws {
        let cw = try seeded()
        let bayes = try cw.run("classify", "Prove that there are infinitely many primes.", "--json")
        try expectSuccess(bayes)
        let answer = try bayes.jsonObject()
        #expect(answer["task"] as? String == "reasoning")
        #expect(answer["classifier"] as? String == "bayes")
        let confidence = try #require(number(answer["confidence"]), "\(bayes)")
        #expect(confidence > 0.5 && confidence <= 1)
        #expect(Set(answer.keys) == ["task", "confidence", "classifier"])

        let rules = try cw.run("classify", "tl;dr", "--classifier", "rules", "--json")
        try expectSuccess(rules)
        #expect(try rules.jsonObject()["task"] as? String == "summarization")
        #expect(try rules.jsonObject()["classifier"] as? String == "rules")

        let text = try cw.run("classify", "Convert this CSV to JSON")
        try expectSuccess(text)
        #expect(text.stdout.hasPrefix("formatting (confidence "), "\(text)")
        #expect(text.stdout.contains(", bayes)"))

        let unknown = try cw.run("classify", "anything", "--classifier", "svm")
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr.contains("no trained classifier named 'svm'"))
    }

    @Test("--rules replaces the bundled rules; a bad rules file is refused naming its line and field")
    func userRules() throws {
        let cw = try seeded()
        let rules = try cw.write("rules.json", """
            [
              {"task": "code", "priority": 2, "keywords": ["widget"]},
              {"task": "strategy", "fallback": true}
            ]
            """)
        let widget = try cw.run("classify", "Summarize the widget", "--classifier", "rules", "--rules", rules, "--json")
        try expectSuccess(widget)
        #expect(try widget.jsonObject()["task"] as? String == "code")
        let nothing = try cw.run("classify", "Summarize it", "--classifier", "rules", "--rules", rules, "--json")
        #expect(try nothing.jsonObject()["task"] as? String == "strategy")
        #expect(number(try nothing.jsonObject()["confidence"]) == 0)

        let bad = try cw.write("bad.json", """
            [
              {"task": "strategy", "fallback": true},
              {"task": "poetry", "priority": 2, "keywords": ["poem"]}
            ]
            """)
        let refused = try cw.run("classify", "a poem", "--classifier", "rules", "--rules", bad)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("bad.json:3: field 'task': unknown task type 'poetry'"), "\(refused)")
    }

    @Test("route --json is select's answer for the classified task type plus classified_as")
    func routeJSON() throws {
        let cw = try seeded()
        let description = "Summarize this email thread in three sentences."
        let routed = try cw.run("route", description, "--min-quality", "0.8", "--json")
        try expectSuccess(routed)
        var answer = try routed.jsonObject()
        let classifiedAs = try #require(answer.removeValue(forKey: "classified_as") as? [String: Any], "\(routed)")
        #expect(classifiedAs["task"] as? String == "summarization")
        #expect(classifiedAs["classifier"] as? String == "bayes")
        #expect(number(classifiedAs["confidence"]) != nil)

        let selected = try cw.select("--task", "summarization", "--min-quality", "0.8")
        #expect(NSDictionary(dictionary: answer).isEqual(to: selected), "route: \(answer)\nselect: \(selected)")

        let text = try cw.run("route", description, "--min-quality", "0.8", "--classifier", "rules")
        try expectSuccess(text)
        #expect(text.lines.first?.hasPrefix("classified as summarization (confidence ") == true, "\(text)")
        #expect(text.lines.dropFirst().first == selected["model"] as? String)

        let none = try cw.run("route", description, "--min-quality", "0.99", "--json")
        #expect(none.status == 3, "\(none)")
        let failure = try none.jsonObject()
        #expect(failure["error"] as? String == "no_qualifying_model")
        #expect((failure["classified_as"] as? [String: Any])?["task"] as? String == "summarization")
    }

    @Test("classifier train keeps a classifier under its name; a bad line is refused naming file, line and field")
    func train() throws {
        let cw = try seeded()
        let examples = try cw.write("mine.jsonl", """
            {"text": "the widget is broken", "task": "code", "split": "a"}
            {"text": "widgets for everyone, a poem", "task": "content-generation", "split": "a"}
            {"text": "ignored line", "task": "analysis", "split": "b"}
            """)
        let trained = try cw.run("classifier", "train", examples, "--name", "mine", "--split", "a", "--json")
        try expectSuccess(trained)
        let report = try trained.jsonObject()
        #expect(report["name"] as? String == "mine" && number(report["examples"]) == 2, "\(trained)")
        #expect(report["tasks"] as? [String] == ["code", "content-generation"])

        let answer = try cw.run("classify", "my widget is broken again", "--classifier", "mine", "--json")
        try expectSuccess(answer)
        #expect(try answer.jsonObject()["task"] as? String == "code")
        #expect(try answer.jsonObject()["classifier"] as? String == "mine")

        let bad = try cw.write("bad.jsonl", """
            {"text": "fine", "task": "code"}
            {"text": "typo", "task": "codee"}
            """)
        let refused = try cw.run("classifier", "train", bad, "--name", "mine")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("bad.jsonl:2: field 'task': unknown task type 'codee'"), "\(refused)")
        let list = try cw.run("classifier", "list", "--json")
        let mine = try #require(try list.jsonArray().first { $0["name"] as? String == "mine" }, "\(list)")
        #expect(number(mine["examples"]) == 2, "the refused file replaced the classifier")

        let reserved = try cw.run("classifier", "train", examples, "--name", "rules")
        #expect(reserved.status == 64, "\(reserved)")
    }

    @Test("classifier evaluate reports accuracy and the confusion matrix, and list shows the latest evaluation")
    func evaluate() throws {
        let cw = try seeded()
        let examples = try cw.write("set.jsonl", """
            {"text": "Prove that the square root of 2 is irrational.", "task": "reasoning"}
            {"text": "tl;dr", "task": "summarization"}
            {"text": "Prove it", "task": "summarization"}
            """)
        let evaluated = try cw.run("classifier", "evaluate", examples, "--classifier", "rules", "--json")
        try expectSuccess(evaluated)
        let report = try evaluated.jsonObject()
        #expect(report["classifier"] as? String == "rules")
        #expect(number(report["examples"]) == 3 && number(report["correct"]) == 2, "\(evaluated)")
        #expect(isClose(number(report["accuracy"]), 2.0 / 3.0))
        let confusion = try #require(report["confusion"] as? [String: Any])
        #expect(confusion["labels"] as? [String] == ["reasoning", "summarization"])
        #expect(confusion["counts"] as? [[Int]] == [[1, 0], [1, 1]])

        let text = try cw.run("classifier", "evaluate", examples, "--classifier", "rules")
        try expectSuccess(text)
        #expect(text.lines.first?.hasSuffix("3 examples, 2 correct, accuracy 0.6667") == true, "\(text)")
        #expect(text.stdout.contains("summarization") && text.stdout.contains("1/2"))

        let list = try cw.run("classifier", "list", "--json")
        try expectSuccess(list)
        let rules = try #require(try list.jsonArray().first { $0["name"] as? String == "rules" })
        let latest = try #require(rules["latest_evaluation"] as? [String: Any], "\(list)")
        #expect(number(latest["examples"]) == 3 && isClose(number(latest["accuracy"]), 2.0 / 3.0))
        #expect(try list.jsonArray().map { $0["name"] as? String } == ["rules", "llm", "bayes"])
    }

    @Test("llm: a valid answer from the stub is used; an invalid one, an HTTP error and a timeout fall back to the rules")
    func llmAgainstStub() throws {
        let cw = try seeded()
        let server = try StubChatServer { userMessage in
            if userMessage.contains("slow") { return .init(status: 200, content: "code", delayMs: 2_000) }
            if userMessage.contains("broken") { return .init(status: 500, content: "") }
            if userMessage.contains("nonsense") { return .init(status: 200, content: "a haiku about routing") }
            return .init(status: 200, content: " Reasoning ")
        }
        defer { server.stop() }
        let environment: [String: String?] = ["COSTWISE_LLM_BASE_URL": server.baseURL, "COSTWISE_LLM_API_KEY": "stub-key"]
        func classify(_ text: String, _ options: String...) throws -> [String: Any] {
            let result = try cw.runRaw(["classify", text, "--classifier", "llm", "--json", "--db", cw.db] + options,
                                       environment: environment)
            try expectSuccess(result)
            return try result.jsonObject()
        }

        let answered = try classify("Is every group of order 15 cyclic?")
        #expect(answered["task"] as? String == "reasoning" && answered["classifier"] as? String == "llm", "\(answered)")
        let model = try #require(answered["model"] as? String)
        #expect(model == (try cw.select("--task", "classification", "--min-quality", "0.8")["model"] as? String))
        #expect(answered["fallback_reason"] == nil)
        let request = try #require(server.requests.first)
        #expect(request.headers.contains { $0.lowercased() == "authorization: bearer stub-key" }, "\(request.headers)")
        #expect(request.path == "/v1/chat/completions")

        let invalid = try classify("nonsense: tl;dr")
        #expect(invalid["classifier"] as? String == "rules" && invalid["task"] as? String == "summarization", "\(invalid)")
        #expect((invalid["fallback_reason"] as? String)?.contains("'a haiku about routing', which is not a known task type") == true)

        let failed = try classify("broken: tl;dr")
        #expect((failed["fallback_reason"] as? String)?.contains("HTTP 500") == true, "\(failed)")

        let started = Date()
        let slow = try classify("slow: tl;dr", "--timeout-ms", "300")
        #expect(Date().timeIntervalSince(started) < 1.8, "the timeout did not cut the request short")
        #expect((slow["fallback_reason"] as? String)?.contains("timed out after 300 ms") == true, "\(slow)")
        #expect(slow["task"] as? String == "summarization")

        let unset = try cw.runRaw(["classify", "tl;dr", "--classifier", "llm", "--db", cw.db],
                                  environment: ["COSTWISE_LLM_BASE_URL": nil])
        try expectSuccess(unset)
        #expect(unset.stdout.contains("COSTWISE_LLM_BASE_URL is not set"), "\(unset)")

        let evaluation = try cw.write("set.jsonl", """
            {"text": "Prove it", "task": "reasoning"}
            {"text": "nonsense: tl;dr", "task": "summarization"}
            """)
        let evaluated = try cw.runRaw(["classifier", "evaluate", evaluation, "--classifier", "llm", "--json", "--db", cw.db],
                                      environment: environment)
        try expectSuccess(evaluated)
        let report = try evaluated.jsonObject()
        #expect(report["classifier"] as? String == "llm" && number(report["correct"]) == 2 && number(report["fallbacks"]) == 1,
                "\(evaluated)")
    }
}

/// A chat-completions endpoint on 127.0.0.1 for one test: it answers each POST with the reply
/// `respond` gives for the request's user message, serving one connection at a time on its own
/// thread until stopped.
final class StubChatServer: @unchecked Sendable {
    struct Reply {
        var status: Int
        var content: String
        var delayMs = 0
    }

    struct Request {
        var path: String
        var headers: [String]
        var userMessage: String
    }

    let port: UInt16
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    var requests: [Request] { lock.withLock { $0 } }

    private let listener: Int32
    private let respond: @Sendable (String) -> Reply
    private let lock = Mutex<[Request]>([])
    private let running = Mutex(true)

    init(respond: @escaping @Sendable (String) -> Reply) throws {
        self.respond = respond
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && listen(descriptor, 8) == 0
                && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else {
            let code = POSIXErrorCode(rawValue: errno) ?? .EIO
            close(descriptor)
            throw POSIXError(code)
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Stops accepting connections within 100 ms; a reply being delayed still finishes on its own.
    func stop() {
        running.withLock { $0 = false }
    }

    private func serve() {
        defer { close(listener) }
        while running.withLock({ $0 }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var request: (head: [String], body: [UInt8])?
        while request == nil {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return }
            received += chunk[0..<count]
            guard let headEnd = received.indices.first(where: { received[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else { continue }
            let head = String(decoding: received[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
            let contentLength = head.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
            }.first ?? 0
            let body = Array(received[(headEnd + 4)...])
            if body.count >= contentLength { request = (head, Array(body.prefix(contentLength))) }
        }
        guard let request else { return }
        let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        let messages = json["messages"] as? [[String: Any]] ?? []
        let path = request.head.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let userMessage = messages.last?["content"] as? String ?? ""
        let recorded = Request(path: path, headers: Array(request.head.dropFirst()), userMessage: userMessage)
        lock.withLock { $0.append(recorded) }

        let reply = respond(userMessage)
        if reply.delayMs > 0 { usleep(useconds_t(reply.delayMs * 1_000)) }
        let completion: [String: Any] = ["choices": [["message": ["role": "assistant", "content": reply.content]]]]
        let body = reply.status == 200 ? (try? JSONSerialization.data(withJSONObject: completion)) ?? Data() : Data("server error".utf8)
        var response = Data("HTTP/1.1 \(reply.status) Stub\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8)
        response.append(body)
        _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

import Testing
@testable import Costwise

/// The selector against a brute-force reading of the contract on random stores: the frontier
/// search, the early-exit scan and the explained scan must all give the reference's answer.
///
/// The random requests set every field of ``SelectionRequest`` (``generatedFields`` must name them
/// all, or `everyFieldIsGenerated` fails): a new limit that one search path forgets gives an answer
/// the reference does not.
struct SelectionReferenceTests {
    /// The fields of ``SelectionRequest`` that ``randomRequest(tasks:providers:excludable:_:)`` sets.
    static let generatedFields: Set<String> = [
        "task", "minQuality", "inputTokens", "outputTokens", "confidence", "minSamples", "maxCostUSD", "maxLatencyMs",
        "providers", "excludedModels", "requiredCapabilities", "explain",
    ]

    @Test("The random requests set every field of SelectionRequest")
    func everyFieldIsGenerated() {
        let fields = Set(Mirror(reflecting: SelectionRequest(task: "t", minQuality: 0.5)).children.compactMap(\.label))
        #expect(fields == Self.generatedFields, "generate the new field in randomRequest, and judge it in reference()")
    }

    /// A request with each field set now and then, alone and with others.
    func randomRequest(tasks: [String], providers: [String], excludable: [String], _ random: inout SeededGenerator) -> SelectionRequest {
        var request = SelectionRequest(task: tasks.randomElement(using: &random)!,
                                       minQuality: [0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95][Int.random(in: 0...6, using: &random)])
        func sometimes() -> Bool { Int.random(in: 0..<4, using: &random) == 0 }
        if sometimes() { request.confidence = [0.8, 0.9, 0.95, 0.95][Int.random(in: 0...3, using: &random)] }
        if sometimes() { request.minSamples = [0, 0.5, 0.8, 2, Double(Int.random(in: 1...30, using: &random))][Int.random(in: 0...4, using: &random)] }
        if sometimes() { request.providers = Array(providers.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random))) }
        if sometimes() { request.excludedModels = Array(excludable.shuffled(using: &random).prefix(Int.random(in: 1...4, using: &random))) }
        if sometimes() { request.maxLatencyMs = Double(Int.random(in: 500...2_000, using: &random)) }
        if sometimes() { request.maxCostUSD = Double.random(in: 0...0.005, using: &random) }
        if sometimes() { request.inputTokens = Int.random(in: 0...20_000, using: &random) }
        if sometimes() { request.outputTokens = [10, 500, 1_500, 3_000][Int.random(in: 0...3, using: &random)] }
        if sometimes() { request.requiredCapabilities = Set(Capability.known.filter { _ in Bool.random(using: &random) }) }
        request.explain = Int.random(in: 0..<8, using: &random) == 0
        return request
    }

    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The snapshot of a store of two task types and 24 models over three providers, with few
    /// distinct prices (so that costs tie), some context windows, some pairs on a prior alone and
    /// some latencies. A snapshot holds everything it answers from, so the store may go.
    func randomSnapshot(_ random: inout SeededGenerator) throws -> Snapshot {
        let fixture = try TemporaryStore()
        let tasks = ["t1", "t2"]
        for task in tasks { try fixture.task(task, input: Int.random(in: 100...3_000, using: &random), output: Int.random(in: 10...2_000, using: &random)) }
        let providers = ["p", "q", "r"]
        for index in 0..<24 {
            // Few distinct prices, so that cost ties happen; capabilities and output limits on some.
            try fixture.store.setModel(ModelUpdate(
                id: "\(providers[index % 3])/m\(index)", inputUSDPerMTok: [0.1, 0.5, 1, 2][Int.random(in: 0...3, using: &random)],
                outputUSDPerMTok: [0.2, 1, 4][Int.random(in: 0...2, using: &random)],
                contextWindow: Bool.random(using: &random) ? nil : [2_000, 8_000, 128_000][Int.random(in: 0...2, using: &random)],
                capabilities: Set(Capability.known.filter { _ in Int.random(in: 0..<3, using: &random) > 0 }),
                maxOutputTokens: Bool.random(using: &random) ? nil : [1_000, 2_048, 8_192][Int.random(in: 0...2, using: &random)]),
                source: "test")
            // Some pairs rest on a prior alone, a few on less than one sample: those are candidates only
            // for requests that ask for fewer samples.
            if index % 4 == 3 {
                try fixture.store.setPriors([PriorScore(model: "\(providers[index % 3])/m\(index)", task: tasks[index % 2],
                                                        score: Double.random(in: 0.4...1, using: &random),
                                                        weight: [0.5, 0.8, 2, 5][Int.random(in: 0...3, using: &random)], source: "test")])
                continue
            }
            for task in tasks where Int.random(in: 0..<5, using: &random) > 0 {
                let count = Int.random(in: 1...40, using: &random)
                let quality = Double.random(in: 0.4...1, using: &random)
                let measured = Bool.random(using: &random)
                let results = (0..<count).map { _ in
                    EvaluationResult(model: "\(providers[index % 3])/m\(index)", task: task,
                                     score: Double.random(in: 0...1, using: &random) < quality ? 1 : 0,
                                     latencyMs: measured ? Double(Int.random(in: 100...2_000, using: &random)) : nil,
                                     inputTokens: measured ? Int.random(in: 100...9_000, using: &random) : nil,
                                     outputTokens: measured ? Int.random(in: 10...900, using: &random) : nil)
                }
                try fixture.store.recordResults(results, lines: nil, file: nil)
            }
        }
        try fixture.store.setEnabled(false, model: "p/m0")
        return try fixture.store.snapshot()
    }

    @Test("Random stores and requests: the selector agrees with the reference", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func agreesWithReference(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let snapshot = try randomSnapshot(&random)
        let tasks = ["t1", "t2"]
        let providers = ["p", "q", "r"]
        var qualifiedSome = 0
        for _ in 0..<400 {
            var request = randomRequest(tasks: tasks, providers: providers, excludable: ["q/m1", "r/m2", "p/m3", "q/m4"], &random)
            let expected = reference(snapshot: snapshot, request: request)
            let selection = try snapshot.select(request)
            #expect(selection.chosen?.model == expected.chosen, "\(request)")
            #expect(selection.best?.model == expected.best, "best: \(request)")
            request.explain = true
            let explained = try snapshot.select(request)
            #expect(explained.chosen?.model == expected.chosen, "explained: \(request)")
            // Every candidate judged, each as the reference judges it.
            #expect(Set(explained.candidates.map(\.model)) == expected.candidates, "candidates: \(request)")
            #expect(Set(explained.candidates.filter(\.qualified).map(\.model)) == expected.qualifying, "qualifying: \(request)")
            if expected.chosen != nil { qualifiedSome += 1 }
        }
        // Both outcomes are tested: requests some model meets, and requests none does.
        #expect((80...320).contains(qualifiedSome), "\(qualifiedSome) of 400 requests found a model")
    }

    @Test("Requests with their own token counts, or one: the search from the highest quality down agrees with the reference and the scan",
          arguments: [31, 32, 33, 34, 35, 36])
    func requestTokensAgreeWithReference(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let snapshot = try randomSnapshot(&random)
        var fromIndex = 0
        for _ in 0..<400 {
            var request = SelectionRequest(task: ["t1", "t2"].randomElement(using: &random)!,
                                           minQuality: [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95][Int.random(in: 0...6, using: &random)],
                                           inputTokens: [0, 100, 1_500, 6_000, 20_000][Int.random(in: 0...4, using: &random)],
                                           outputTokens: [0, 10, 500, 2_000, 120_000][Int.random(in: 0...4, using: &random)])
            // One count alone: the other is each candidate's measured one, else the task's default.
            switch Int.random(in: 0..<4, using: &random) {
            case 0: request.inputTokens = nil
            case 1: request.outputTokens = nil
            default: break
            }
            // Limits that leave candidates below the threshold only, or none at all, as well.
            func sometimes() -> Bool { Int.random(in: 0..<3, using: &random) == 0 }
            request.confidence = [nil, nil, 0.95, 0.9][Int.random(in: 0...3, using: &random)]
            if sometimes() { request.minSamples = [0, 0.8, 2, 20][Int.random(in: 0...3, using: &random)] }
            if sometimes() { request.providers = Array(["p", "q", "r"].shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random))) }
            if sometimes() { request.excludedModels = ["q/m1", "r/m2", "p/m3", "q/m4", "p/m6"] }
            if sometimes() { request.maxLatencyMs = Double(Int.random(in: 100...2_000, using: &random)) }
            if sometimes() { request.maxCostUSD = Double.random(in: 0...0.05, using: &random) }
            let route = try #require(snapshot.routes[request.task])
            if Snapshot.Query(route: route, request: request, z: Snapshot.reportingZ).answers(.requestTokens) { fromIndex += 1 }

            let selection = try snapshot.select(request)
            #expect(selection.chosen?.model == reference(snapshot: snapshot, request: request).chosen, "\(request)")
            request.explain = true
            let scanned = try snapshot.select(request)
            #expect(selection.chosen?.model == scanned.chosen?.model, "\(request)")
            #expect(selection.best?.model == scanned.best?.model, "best: \(request)")
        }
        // Requests at a confidence of 0.9 scan.
        #expect(fromIndex > 250)
    }

    @Test("Requests naming providers: the skylines, their bands and the full search agree with the reference",
          arguments: Array(11...22))
    func providersAgreeWithReference(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 500)
        let providers = ["p", "q", "r"]
        // Many candidates per provider, few price points, latencies on some pairs only: long
        // skylines with cost ties, and candidates that only a request without a latency limit gets.
        for index in 0..<60 {
            let id = "\(providers[index % 3])/m\(index)"
            try fixture.model(id, input: [0.1, 0.3, 1, 3, 10][Int.random(in: 0...4, using: &random)], output: 2)
            let latency = Int.random(in: 0..<6, using: &random) == 0 ? nil : Double(Int.random(in: 100...3_000, using: &random))
            try fixture.results(id, "t", passes: Int.random(in: 0...40, using: &random), of: 40, latencyMs: latency)
        }
        let snapshot = try fixture.store.snapshot()
        let route = try #require(snapshot.routes["t"])

        var fromSkylines = 0
        for _ in 0..<300 {
            var request = SelectionRequest(task: "t", minQuality: [0.3, 0.5, 0.6, 0.7, 0.8, 0.9][Int.random(in: 0...5, using: &random)])
            request.providers = Array(providers.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
            request.confidence = [nil, nil, 0.95, 0.9][Int.random(in: 0...3, using: &random)]
            // Some limits sit on a candidate's own figure or one step of a Double beside it, where
            // the skylines' figures rounded to Float tie and only the exact ones decide.
            let facts = route.facts.randomElement(using: &random)!
            let beside = { (value: Double, random: inout SeededGenerator) in
                [value, value.nextUp, value.nextDown][Int.random(in: 0...2, using: &random)]
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                request.minQuality = beside(request.confidence == 0.95 ? facts.lowerBound95 : facts.mean, &random)
            }
            if Bool.random(using: &random) {
                request.maxLatencyMs = Bool.random(using: &random) || facts.latency.isNaN
                    ? Double(Int.random(in: 500...3_000, using: &random)) : beside(facts.latency, &random)
            }
            if Bool.random(using: &random) {
                request.maxCostUSD = Bool.random(using: &random) ? Double.random(in: 0.0005...0.01, using: &random)
                    : beside(facts.cost, &random)
            }
            // Excluding the answer, then the next answer, and so on: each excluded model is one a
            // skyline pass meets, up to more than its band allows for.
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                guard let answer = reference(snapshot: snapshot, request: request).chosen else { break }
                request.excludedModels.append(answer)
            }
            let expected = reference(snapshot: snapshot, request: request).chosen
            let selection = try snapshot.select(request)
            #expect(selection.chosen?.model == expected, "\(request)")
            if route.searchSkylines(request, demands: request.demands) != nil { fromSkylines += 1 }
            if expected == nil {
                request.explain = true
                #expect(selection.best?.model == (try snapshot.select(request).best?.model), "best: \(request)")
            }
        }
        // Requests at a confidence of 0.9, and those with no allowed candidate within the limits,
        // are searched in full; the others come from the skylines.
        #expect(fromSkylines > 120)
    }

    /// What the reference finds: the answer, the best candidate when none qualifies, every candidate,
    /// and those that qualify.
    struct ReferenceAnswer {
        var chosen: String?
        var best: String?
        var candidates: Set<String>
        var qualifying: Set<String>
    }

    /// The contract, read literally: every enabled model with an estimate is a candidate; filter by
    /// each limit, then take the minimum by (cost, −mean, id). When none qualifies, the best is the
    /// highest quality within the limits (else of all), the earliest by the same order among equals.
    func reference(snapshot: Snapshot, request: SelectionRequest) -> ReferenceAnswer {
        let task = snapshot.taskType(named: request.task)!
        let z = NormalDistribution.quantile(request.confidence ?? 0.95)
        typealias Judged = (cost: Double, mean: Double, quality: Double, id: String)
        func precedes(_ a: Judged, _ b: Judged) -> Bool {
            a.cost != b.cost ? a.cost < b.cost
                : a.mean != b.mean ? a.mean > b.mean : Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
        }
        func better(_ a: Judged, than b: Judged?) -> Bool {
            guard let b else { return true }
            return a.quality > b.quality || (a.quality == b.quality && precedes(a, b))
        }
        var answer = ReferenceAnswer(candidates: [], qualifying: [])
        var chosen: Judged?
        var bestWithin: Judged?
        var bestOfAll: Judged?
        for entry in snapshot.estimates where entry.task == request.task {
            let model = snapshot.model(id: entry.model)!
            guard model.enabled else { continue }
            answer.candidates.insert(model.id)
            let candidate = snapshot.routes[request.task]!.candidates.first { $0.model.id == model.id }!
            let input = request.inputTokens.map(Double.init) ?? candidate.measuredInputTokens ?? Double(task.inputTokens)
            let output = request.outputTokens.map(Double.init) ?? candidate.measuredOutputTokens ?? Double(task.outputTokens)
            let cost = (input * model.price.inputUSDPerMTok + output * model.price.outputUSDPerMTok) / 1_000_000 + (model.price.requestUSD ?? 0)
            let quality = request.confidence == nil ? entry.quality.mean : entry.quality.wilsonLowerBound(z: z)
            let judged = (cost, entry.quality.mean, quality, model.id)
            if better(judged, than: bestOfAll) { bestOfAll = judged }
            var withinLimits = true
            if let window = model.contextWindow, input + output > Double(window) { withinLimits = false }
            if !model.capabilities.isSuperset(of: request.requiredCapabilities) { withinLimits = false }
            if let asked = request.outputTokens, let limit = model.maxOutputTokens, asked > limit { withinLimits = false }
            if entry.quality.samples < request.minSamples { withinLimits = false }
            if !request.providers.isEmpty && !request.providers.contains(model.provider) { withinLimits = false }
            if request.excludedModels.contains(model.id) { withinLimits = false }
            if let maxCost = request.maxCostUSD, cost > maxCost { withinLimits = false }
            if let maxLatency = request.maxLatencyMs, !(entry.latencyP95Ms.map { $0 <= maxLatency } ?? false) { withinLimits = false }
            guard withinLimits else { continue }
            if better(judged, than: bestWithin) { bestWithin = judged }
            guard quality >= request.minQuality else { continue }
            answer.qualifying.insert(model.id)
            if chosen.map({ precedes(judged, $0) }) ?? true { chosen = judged }
        }
        answer.chosen = chosen?.id
        answer.best = chosen == nil ? (bestWithin ?? bestOfAll)?.id : nil
        return answer
    }
}

import FoundationEssentials

// libFuzzer entry points for every importer. Built by scripts/fuzz.sh together with the library's
// sources into one module, so the importers are called exactly as `costwise` calls them. The target
// is chosen with COSTWISE_FUZZ_TARGET (see ``FuzzTarget``).
//
// Besides crashes and sanitizer reports, each input is held to what the importers promise: bad
// input fails with an ``InputError`` of a readable length, and whatever is accepted is in range.
// Any other outcome stops the fuzzer with a message, as a crash would.

/// One importer, or the store behind it, as a fuzzing target.
enum FuzzTarget: String, CaseIterable {
    /// Costwise price tables, CSV.
    case priceCSV = "price-csv"
    /// Costwise price tables, a JSON array.
    case priceJSON = "price-json"
    /// LiteLLM's cost map.
    case litellm
    /// OpenRouter's model listing.
    case openrouter
    /// Price files of any format, told apart as `costwise models import` does.
    case priceAuto = "price-auto"
    /// Costwise evaluation results, JSONL.
    case evalsJSONL = "evals-jsonl"
    /// Costwise evaluation results, CSV.
    case evalsCSV = "evals-csv"
    /// Inspect AI logs, `.json` or `.eval` archives.
    case inspect
    /// lm-evaluation-harness logs; the input's first line is the file name (its first 64 bytes: the
    /// name is the user's, not the file's), the rest its content.
    case lmEval = "lm-eval"
    /// Task map files, JSON or CSV.
    case taskMap = "task-map"
    /// Evaluation files of any format, recorded into a store that must then hold each key once.
    case evalsStore = "evals-store"

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["COSTWISE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set COSTWISE_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    static let file = "fuzz-input"

    func run(_ bytes: [UInt8]) {
        switch self {
        case .priceCSV: expectPrices { PriceFeed(models: try PriceTable.parse(bytes, format: .csv, file: Self.file)) }
        case .priceJSON: expectPrices { PriceFeed(models: try PriceTable.parse(bytes, format: .json, file: Self.file)) }
        case .litellm: expectPrices { try LiteLLMCostMap.parse(bytes, file: Self.file) }
        case .openrouter: expectPrices { try OpenRouterListing.parse(bytes, file: Self.file) }
        case .priceAuto: expectPrices { try PriceFile.read(bytes, format: .auto, file: Self.file).feed }
        case .evalsJSONL: expectResults { try EvaluationFile.parse(bytes, format: .jsonl, file: Self.file).map(\.result) }
        case .evalsCSV: expectResults { try EvaluationFile.parse(bytes, format: .csv, file: Self.file).map(\.result) }
        case .inspect: expectResults { try InspectLog.parse(bytes, file: Self.file) }
        case .lmEval:
            let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let name = String(decoding: bytes[..<min(newline, 64)], as: UTF8.self)
            let content = Array(bytes[min(newline + 1, bytes.count)...])
            expectResults { try EvaluationImport(model: "fuzz/model").read(content, format: .lmEval, file: name).results.map(\.result) }
        case .taskMap:
            outcome { _ = try EvaluationImport.taskMap(bytes, file: Self.file) }
        case .evalsStore:
            expectResults { try Self.recordOnce(bytes) }
        }
    }

    /// Runs `body`; an ``InputError`` is the expected failure, and must read as one line of text.
    private func outcome(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as InputError {
            let text = error.description
            guard text.utf8.count <= 2_000 else { fatalError("an error message of \(text.utf8.count) bytes: \(text.prefix(300))…") }
        } catch {
            fatalError("\(type(of: error)) instead of an InputError: \(error)")
        }
    }

    private func expectPrices(_ read: () throws -> PriceFeed) {
        outcome {
            for model in try read().models {
                let price = model.price
                guard !model.id.isEmpty, !model.provider.isEmpty,
                      price.inputUSDPerMTok.isFinite, price.inputUSDPerMTok >= 0,
                      price.outputUSDPerMTok.isFinite, price.outputUSDPerMTok >= 0,
                      price.requestUSD.map({ $0.isFinite && $0 >= 0 }) ?? true,
                      model.contextWindow.map({ $0 >= 0 }) ?? true,
                      model.tier.map({ (1...3).contains($0) }) ?? true
                else { fatalError("a price out of range was accepted: \(model)") }
            }
        }
    }

    private func expectResults(_ read: () throws -> [EvaluationResult]) {
        outcome {
            for result in try read() {
                guard !result.model.isEmpty, !result.task.isEmpty,
                      result.score.isFinite, (0...1).contains(result.score),
                      result.costUSD.map({ $0.isFinite && $0 >= 0 }) ?? true,
                      result.latencyMs.map({ $0.isFinite && $0 >= 0 }) ?? true,
                      result.inputTokens.map({ $0 >= 0 }) ?? true,
                      result.outputTokens.map({ $0 >= 0 }) ?? true,
                      result.recordedAt.map(\.isFinite) ?? true
                else { fatalError("a result out of range was accepted: \(result)") }
            }
        }
    }

    /// Reads `bytes` as `costwise evals import` does, records the results in a new in-memory store
    /// that knows their models and task types, and checks that each (model, task, run, item) key is
    /// stored once and the statistics count every stored row.
    private static func recordOnce(_ bytes: [UInt8]) throws -> [EvaluationResult] {
        let results = try EvaluationImport(model: nil).read(bytes, format: .auto, file: file).results.map(\.result)
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: SQLiteStore.inMemoryPath, seed: .empty)
            for model in Set(results.map(\.model)) {
                try store.setModel(ModelUpdate(id: model, inputUSDPerMTok: 1, outputUSDPerMTok: 1), source: "fuzz")
            }
            for task in Set(results.map(\.task)) { try store.setTaskType(TaskTypeUpdate(name: task)) }
            try store.recordResults(results, lines: nil, file: file)
        } catch {
            fatalError("recording parsed results failed: \(error)")
        }
        struct Key: Hashable { var model, task, run, item: String }
        let keyed = results.filter { $0.run != nil || $0.item != nil }
        let expected = Set(keyed.map { Key(model: $0.model, task: $0.task, run: $0.run ?? "", item: $0.item ?? "") }).count
            + (results.count - keyed.count)
        let (rows, counted) = try store.read { database in
            (try database.integer("SELECT count(*) FROM results") ?? -1,
             try database.integer("SELECT coalesce(sum(samples), 0) FROM model_task_stats") ?? -1)
        }
        guard rows == expected, counted == rows else {
            fatalError("\(results.count) results with \(expected) distinct keys became \(rows) rows counted as \(counted)")
        }
        return results
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.current.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

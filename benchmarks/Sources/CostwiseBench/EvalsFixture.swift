import Costwise
import FoundationEssentials

/// Measurement 2's input: a price table of 50 models, 20 task type names, and a CSV of 300,000
/// evaluation results (300 items per model and task type, in the order an eval harness writes them:
/// model by model, task by task), for `costwise evals import` and the sqlite3 shell's `.import`.
enum EvalsFixture {
    static let modelCount = 50
    static let taskCount = 20
    static let itemsPerPair = 300

    static func write(to folder: String) throws {
        var random = SplitMix64(seed: 7)
        let models = (0..<modelCount).map { "\(SyntheticCatalog.providers[$0 % 20])/eval-model-\(SyntheticCatalog.padded($0, 2))" }
        let tasks = (0..<taskCount).map { "eval-task-\(SyntheticCatalog.padded($0, 2))" }

        var prices = "model,input_usd_per_mtok,output_usd_per_mtok,context_window,tier\n"
        for model in models {
            let input = SyntheticCatalog.inputPrices.randomElement(using: &random)!
            prices += "\(model),\(input),\(input * 4),128000,2\n"
        }
        try Data(prices.utf8).write(to: URL(filePath: folder + "/prices.csv"))
        try Data((tasks.joined(separator: "\n") + "\n").utf8).write(to: URL(filePath: folder + "/tasks.txt"))

        var csv = "model,task,score,run,item,latency_ms,input_tokens,output_tokens\n"
        csv.reserveCapacity(modelCount * taskCount * itemsPerPair * 80)
        for model in models {
            for task in tasks {
                let skill = Double.random(in: 0.4...0.95, using: &random)
                for item in 0..<itemsPerPair {
                    // Mostly pass/fail scores, some partial credit in hundredths.
                    let score = Int.random(in: 0..<10, using: &random) < 7
                        ? (Double.random(in: 0..<1, using: &random) < skill ? "1" : "0")
                        : "0.\(SyntheticCatalog.padded(Int.random(in: 0...99, using: &random), 2))"
                    let latency = Int(random.logUniform(200...9_000) * 10)
                    csv += "\(model),\(task),\(score),run-2026-11-29,item-\(SyntheticCatalog.padded(item, 4)),"
                        + "\(latency / 10).\(latency % 10),\(Int.random(in: 150...4_000, using: &random)),"
                        + "\(Int.random(in: 20...1_500, using: &random))\n"
                }
            }
        }
        try Data(csv.utf8).write(to: URL(filePath: folder + "/results.csv"))
        print("  wrote \(folder)/results.csv: \(modelCount * taskCount * itemsPerPair) results, \(csv.utf8.count) bytes")
    }
}

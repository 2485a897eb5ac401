import Foundation
import Testing

/// `costwise tasks list` and `costwise tasks set`.
struct TasksCommandTests {
    @Test func setCreatesATaskTypeWithDefaultsForWhatItDoesNotGive() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        let plain = try cw.run("tasks", "set", "triage")
        #expect(plain.status == 0, "\(plain)")
        try cw.setTask("translation", "--tier", "3", "--input-tokens", "1234", "--output-tokens", "56")
        try cw.setTask("tagging", "--input-tokens", "200")

        let result = try cw.run("tasks", "list", "--json")
        #expect(result.status == 0, "\(result)")
        let tasks = try result.jsonArray()
        #expect(Set(tasks.compactMap { $0["name"] as? String }) == ["triage", "translation", "tagging"], "\(result)")
        var byName: [String: [String: Any]] = [:]
        for task in tasks {
            for key in ["name", "tier", "input_tokens", "output_tokens"] {
                #expect(task.keys.contains(key), "\(task) lacks \(key)")
            }
            byName[task["name"] as? String ?? ""] = task
        }

        let triage = try #require(byName["triage"])
        let tier = try #require(number(triage["tier"]), "\(triage)")
        #expect([1.0, 2.0, 3.0].contains(tier), "\(triage)")
        let input = try #require(number(triage["input_tokens"]), "\(triage)")
        let output = try #require(number(triage["output_tokens"]), "\(triage)")
        #expect(input > 0 && output > 0, "\(triage)")

        let translation = try #require(byName["translation"])
        #expect(number(translation["tier"]) == 3)
        #expect(number(translation["input_tokens"]) == 1234)
        #expect(number(translation["output_tokens"]) == 56)

        let tagging = try #require(byName["tagging"])
        #expect(number(tagging["input_tokens"]) == 200)
        #expect(number(tagging["output_tokens"]) == output, "the default output tokens: \(tagging)")
        #expect(number(tagging["tier"]) == tier, "the default tier: \(tagging)")
    }

    @Test func aNewTaskTypesDefaultsAreTheTokensSelectionAssumes() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("triage")
        try cw.setModel("p/m", input: "3", output: "7")
        try cw.record("p/m", "triage", score: "1")
        let task = try #require(try cw.run("tasks", "list", "--json").jsonArray().first)
        let input = try #require(number(task["input_tokens"]))
        let output = try #require(number(task["output_tokens"]))

        let answer = try cw.select("--task", "triage", "--min-quality", "0.5")
        #expect(isClose(number(answer["estimated_cost_usd"]), contractCost(input: input, output: output, inputPrice: 3, outputPrice: 7)),
                "\(answer) with \(task)")
    }

    @Test func tasksOfTheBundledCatalogAreListed() throws {
        let cw = try Sandbox()
        let result = try cw.run("tasks", "list", "--json")
        #expect(result.status == 0, "\(result)")
        let names = try result.jsonArray().compactMap { $0["name"] as? String }
        #expect(names.contains("classification"), "\(result)")
    }
}

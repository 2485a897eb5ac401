import ArgumentParser
import Costwise
@testable import CostwiseCommands
import Testing

/// `select` reads its arguments without ArgumentParser when they take only the plain forms (see
/// ``SelectCommand/parsedDirectly(_:)``): whatever that reader accepts must be exactly the command
/// ArgumentParser parses, and what it declines is left to ArgumentParser.
@Suite struct SelectDirectParseTests {
    /// Every option `select` takes, with values that read and values that do not.
    private static let options: [(name: String, good: [String], bad: [String])] = [
        ("db", ["store.sqlite", "/tmp/a b.sqlite"], ["-x", ""]),
        ("task", ["classification", "summarization", "task-042"], ["--json", ""]),
        ("min-quality", ["0.8", "1", "0", ".5", "1e-1"], ["2", "-0.1", "x", "nan"]),
        ("input-tokens", ["500", "0", "123456"], ["-1", "1.5", "many"]),
        ("output-tokens", ["200", "0"], ["-3", "2e3"]),
        ("confidence", ["0.9", "0.5"], ["1", "0", "1.5"]),
        ("min-samples", ["1", "0", "2.5"], ["-1"]),
        ("max-cost-usd", ["0.01", "0", "5"], ["-0.5"]),
        ("max-latency-ms", ["800", "12.5"], ["-1"]),
        ("as-of", ["2026-01-01T00:00:00Z"], ["yesterday"]),
        ("half-life-days", ["30", "0.5"], ["0", "-2"]),
        ("provider", ["openai", "anthropic"], []),
        ("exclude", ["openai/gpt-4o", "google/gemini-2.0-flash"], []),
        ("require", ["tools", "vision", "json-schema"], ["telepathy"]),
    ]
    private static let flags = ["json", "explain", "by-tier", "log"]
    private static let repeatable: Set<String> = ["provider", "exclude", "require"]

    /// Argument lists in the plain forms with good values, each option at most once (repeatable ones
    /// up to twice): the direct reader takes every one and agrees with ArgumentParser on each.
    @Test func plainArgumentsAreReadDirectlyAsArgumentParserReadsThem() throws {
        var random = SplitMix64(seed: 19)
        for _ in 0..<200 {
            var arguments = ["select", "--task", Self.options[1].good.randomElement(using: &random)!]
            for option in Self.options where option.name != "task" && Bool.random(using: &random) {
                let times = Self.repeatable.contains(option.name) ? Int.random(in: 1...2, using: &random) : 1
                for _ in 0..<times {
                    let value = option.good.randomElement(using: &random)!
                    arguments += Bool.random(using: &random) ? ["--\(option.name)", value] : ["--\(option.name)=\(value)"]
                }
            }
            for flag in Self.flags where Bool.random(using: &random) { arguments.append("--\(flag)") }
            let shuffled = [arguments[0]] + Self.pairs(arguments.dropFirst()).shuffled(using: &random).flatMap { $0 }
            let direct = try #require(SelectCommand.parsedDirectly(shuffled), "declined: \(shuffled)")
            let parsed = try #require(try CostwiseCommand.parseAsRoot(shuffled) as? SelectCommand)
            #expect(String(describing: direct) == String(describing: parsed), "\(shuffled)")
        }
    }

    /// Lists with bad values, repeated or unknown options, help and stray words mixed in: whatever the
    /// direct reader accepts, ArgumentParser parses to the same command; the rest it declines.
    @Test func anythingTheDirectReaderTakesArgumentParserReadsTheSame() throws {
        var random = SplitMix64(seed: 20)
        let strays = ["--help", "-h", "--version", "--", "--unknown", "x", "--task", "--json=1", "-", "--db"]
        var declined = 0
        for _ in 0..<600 {
            var arguments = ["select"]
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                switch Int.random(in: 0..<10, using: &random) {
                case 0: arguments.append(strays.randomElement(using: &random)!)
                case 1: arguments.append("--\(Self.flags.randomElement(using: &random)!)")
                default:
                    let option = Self.options.randomElement(using: &random)!
                    let values = option.bad.isEmpty || Bool.random(using: &random) ? option.good : option.bad
                    arguments += ["--\(option.name)", values.randomElement(using: &random)!]
                }
            }
            guard let direct = SelectCommand.parsedDirectly(arguments) else {
                declined += 1
                continue
            }
            let parsed = try #require(try CostwiseCommand.parseAsRoot(arguments) as? SelectCommand, "\(arguments)")
            #expect(String(describing: direct) == String(describing: parsed), "\(arguments)")
        }
        #expect(declined > 100 && declined < 600, "\(declined) of 600 declined")
    }

    /// The comparison above is of the commands' descriptions: they must show every value.
    @Test func descriptionsTellCommandsApart() throws {
        let base = ["select", "--task", "a", "--min-quality", "0.5", "--require", "tools", "--db", "s"]
        let variants = [["--task", "b"], ["--min-quality", "0.6"], ["--require", "vision"], ["--db", "t"], ["--json"],
                        ["--min-samples", "2"], ["--provider", "p"], ["--log"]]
        let reference = String(describing: try #require(SelectCommand.parsedDirectly(base)))
        for variant in variants {
            var arguments = base
            if let at = arguments.firstIndex(of: variant[0]) {
                arguments[at + 1] = variant[1]
            } else {
                arguments += variant
            }
            #expect(String(describing: try #require(SelectCommand.parsedDirectly(arguments))) != reference, "\(variant)")
        }
    }

    @Test func otherCommandsAndOtherFormsAreDeclined() {
        for arguments in [
            ["route", "--task", "classification"], ["select", "--help"], ["select", "--task", "a", "--task", "b"],
            ["select", "--task", "a", "--min-quality", "-1"], ["select", "--task", "a", "--require", "telepathy"],
            ["select", "--task", "a", "-h"], ["select", "--task"], ["select"], ["help", "select"],
        ] {
            #expect(SelectCommand.parsedDirectly(arguments) == nil, "\(arguments)")
        }
    }

    /// The options and flags of `arguments`, each with its value when it takes one as a separate word.
    private static func pairs(_ arguments: ArraySlice<String>) -> [[String]] {
        var pairs: [[String]] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let name = String(arguments[index].dropFirst(2))
            if !name.contains("="), !flags.contains(name) {
                pairs.append([arguments[index], arguments[index + 1]])
                index += 2
            } else {
                pairs.append([arguments[index]])
                index += 1
            }
        }
        return pairs
    }
}

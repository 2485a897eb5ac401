import Testing
@testable import Costwise

/// The replay's split: its hash and generator give their published reference values, so the split
/// is the same on every machine; each task type is split on its own; nothing but the task, the
/// item and the seed decides where an item goes.
struct ReplaySplitTests {
    /// Task t with items 0…9, task u with x, y, z, task v with one item; one model scoring 1 everywhere.
    static func dataset(reversed: Bool = false, extraTask: Bool = false) throws -> ReplayDataset {
        var items = (0..<10).map { ("t", String($0)) } + [("u", "x"), ("u", "y"), ("u", "z"), ("v", "only")]
        if extraTask { items += (0..<5).map { ("w", "w\($0)") } }
        if reversed { items.reverse() }
        let records = items.map { ReplayRecord(task: $0.0, item: $0.1, model: "m/x", score: 1) }
        let pricing = ReplayPricing(models: [Model(id: "m/x", provider: "m", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 1))],
                                    source: "test prices")
        return try ReplayDataset(records: records, pricing: pricing, file: "split.csv")
    }

    static func training(_ dataset: ReplayDataset, _ split: ReplaySplit) -> Set<String> {
        Set(dataset.items.indices.filter { split.isTraining[$0] }.map { "\(dataset.items[$0].task) \(dataset.items[$0].id)" })
    }

    @Test("FNV-1a and SplitMix64 give their published reference values")
    func referenceValues() {
        #expect(FNV1a.hash("") == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a.hash("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a.hash("foobar") == 0x8594_4171_F739_67E8)
        var generator = SplitMix64(seed: 0)
        #expect([generator.next(), generator.next(), generator.next()]
            == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test("Seed 42 orders and splits a small file as computed by hand from the reference formula")
    func pinnedSplit() throws {
        // SplitMix64(42 ^ FNV-1a("t\u{1F}8")) = 0x183e689e724cb914, the smallest key of task t; in key order
        // t is 8, 6, 1, 2, 9 | 3, 0, 5, 7, 4 and u is y, z | x (round(1.5) = 2 train); v's one item trains.
        #expect(ReplaySplit.orderKey(task: "t", item: "8", seed: 42) == 0x183E_689E_724C_B914)
        #expect(ReplaySplit.orderKey(task: "u", item: "x", seed: 42) == 0xF869_9520_4F3B_E5A6)
        let dataset = try Self.dataset()
        let split = ReplaySplit(dataset, trainingFraction: 0.5, seed: 42)
        #expect(Self.training(dataset, split) == ["t 1", "t 2", "t 6", "t 8", "t 9", "u y", "u z", "v only"])
        #expect(split.trainingCount == 8 && split.heldOutCount == 6)

        let smaller = ReplaySplit(dataset, trainingFraction: 0.3, seed: 42)
        #expect(Self.training(dataset, smaller) == ["t 1", "t 6", "t 8", "u y", "v only"])
    }

    @Test("Another seed gives another split")
    func otherSeed() throws {
        let dataset = try Self.dataset()
        let split = ReplaySplit(dataset, trainingFraction: 0.5, seed: 7)
        #expect(Self.training(dataset, split) == ["t 0", "t 1", "t 2", "t 5", "t 7", "u x", "u z", "v only"])
    }

    @Test("Where an item goes depends neither on the file's order nor on the other task types")
    func independentOfOrderAndOtherItems() throws {
        let plain = try Self.dataset()
        let other = try Self.dataset(reversed: true, extraTask: true)
        let plainTraining = Self.training(plain, ReplaySplit(plain, trainingFraction: 0.5, seed: 42))
        let otherTraining = Self.training(other, ReplaySplit(other, trainingFraction: 0.5, seed: 42))
        #expect(otherTraining.filter { !$0.hasPrefix("w ") } == plainTraining)
        #expect(otherTraining.filter { $0.hasPrefix("w ") }.count == 3)
    }

    @Test("Every task type with two items or more keeps at least one on each side")
    func bothSidesPerTask() throws {
        let dataset = try Self.dataset()
        for fraction in [0.01, 0.99] {
            let split = ReplaySplit(dataset, trainingFraction: fraction, seed: 1)
            for (task, indices) in zip(dataset.tasks, dataset.itemsByTask) {
                let training = indices.count { split.isTraining[$0] }
                #expect(training >= 1, "\(task) at \(fraction)")
                if indices.count >= 2 { #expect(training <= indices.count - 1, "\(task) at \(fraction)") }
            }
        }
    }
}

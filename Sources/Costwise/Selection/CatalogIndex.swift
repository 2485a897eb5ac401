/// Numbers for the models and providers of one snapshot, shared by all its task types' routes: a
/// request's allowed providers are looked up, and its answer's id compared with its excluded ids,
/// in tables every request reads and so keeps in cache, instead of in one table per task type.
final class CatalogIndex: Sendable {
    /// Each model id's number, from 0.
    let modelNumbers: NameTable
    /// Each provider's number, from 0.
    let providerNumbers: NameTable
    /// Each model's id, by its number: an answer names its model from here, a small array that stays
    /// in cache, rather than from its candidate's full record.
    let modelIDs: [String]

    /// Writes the numbers of those of `names` that are providers to the start of `numbers`, in
    /// order; returns how many it wrote.
    ///
    /// A loop of its own, so that the lookups are inlined into it: inside a bigger function the
    /// compiler may call them instead, retaining each name around the call.
    func providers(named names: [String], into numbers: UnsafeMutableBufferPointer<Int32>) -> Int {
        var count = 0
        for name in names {
            guard let number = providerNumbers[name] else { continue }
            numbers[count] = Int32(number)
            count += 1
        }
        return count
    }

    /// Whether model `number`'s id is one of `ids`, byte for byte.
    func isModel(_ number: Int, oneOf ids: [String]) -> Bool {
        for id in ids where modelNumbers.name(number, is: id) { return true }
        return false
    }

    init(models: [Model]) {
        let (modelNumbers, numberOfModel) = NameTable.numbering(models.map(\.id))
        self.modelNumbers = modelNumbers
        providerNumbers = NameTable(models.map(\.provider))
        var modelIDs = [String](repeating: "", count: modelNumbers.count)
        for (model, number) in zip(models, numberOfModel) { modelIDs[Int(number)] = model.id }
        self.modelIDs = modelIDs
    }
}

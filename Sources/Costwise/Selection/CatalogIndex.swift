/// Numbers for the models and providers of one snapshot, shared by all its task types' routes: a
/// request's excluded models and allowed providers are looked up once, in tables every request
/// reads and so keeps in cache, instead of in one table per task type.
final class CatalogIndex: Sendable {
    /// Each model id's number, from 0.
    let modelNumbers: NameTable
    /// Each provider's number, from 0.
    let providerNumbers: NameTable
    /// Each model's provider number, by the model's number: an excluded model matters only to the
    /// pass over its own provider's candidates.
    let providerByModel: [Int32]

    init(models: [Model]) {
        let modelNumbers = NameTable(models.lazy.map(\.id))
        let providerNumbers = NameTable(models.lazy.map(\.provider))
        var providerByModel = [Int32](repeating: -1, count: modelNumbers.count)
        for model in models {
            let number = modelNumbers[model.id]!
            if providerByModel[number] < 0 { providerByModel[number] = Int32(providerNumbers[model.provider]!) }
        }
        self.modelNumbers = modelNumbers
        self.providerNumbers = providerNumbers
        self.providerByModel = providerByModel
    }
}

/// Numbers for the models and providers of one snapshot, shared by all its task types' routes: a
/// request's excluded models and allowed providers are looked up once, in tables every request
/// reads and so keeps in cache, instead of in one table per task type.
final class CatalogIndex: Sendable {
    /// Each model id's number, from 0.
    let modelNumbers: [String: Int32]
    /// Each provider's number, from 0.
    let providerNumbers: [String: Int32]

    init(models: [Model]) {
        var modelNumbers: [String: Int32] = [:]
        var providerNumbers: [String: Int32] = [:]
        modelNumbers.reserveCapacity(models.count)
        for model in models {
            if modelNumbers[model.id] == nil { modelNumbers[model.id] = Int32(modelNumbers.count) }
            if providerNumbers[model.provider] == nil { providerNumbers[model.provider] = Int32(providerNumbers.count) }
        }
        self.modelNumbers = modelNumbers
        self.providerNumbers = providerNumbers
    }
}

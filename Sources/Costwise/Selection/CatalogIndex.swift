/// Numbers for the models and providers of one snapshot, shared by all its task types' routes: a
/// request's excluded models and allowed providers are looked up once, in tables every request
/// reads and so keeps in cache, instead of in one table per task type.
final class CatalogIndex: Sendable {
    /// Each model id's number, from 0.
    let modelNumbers: NameTable
    /// Each provider's number, from 0.
    let providerNumbers: NameTable

    init(models: [Model]) {
        modelNumbers = NameTable(models.lazy.map(\.id))
        providerNumbers = NameTable(models.lazy.map(\.provider))
    }
}

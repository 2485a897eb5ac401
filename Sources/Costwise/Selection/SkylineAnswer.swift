/// What a search of the skylines found: the cheapest candidate that qualifies, else the best one
/// within the limits, each with its model number, which names the answer and checks it against the
/// excluded models without reading the route's table of numbers by position.
struct SkylineAnswer {
    /// A candidate, by its position among the route's candidates and its model's number in the
    /// snapshot's ``CatalogIndex``.
    struct Pick {
        var position: Int
        var model: Int32
    }

    var chosen: Pick?
    var best: Pick?
}

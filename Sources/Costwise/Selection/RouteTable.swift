/// The routes of a snapshot by task type name: the first lookup of every select.
struct RouteTable: Sendable {
    private let names: NameTable
    /// Each route at its name's number.
    private let routes: [TaskRoute]

    init(_ routes: [String: TaskRoute]) {
        let ordered = Array(routes.values)
        names = NameTable(ordered.map(\.task.name))
        self.routes = ordered
    }

    subscript(name: String) -> TaskRoute? {
        names[name].map { routes[$0] }
    }
}

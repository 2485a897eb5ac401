import PackagePlugin

/// Compiles the bundled catalog in `data/` into the `Costwise` library, so that a new store can be
/// seeded without locating data files at run time.
@main
struct EmbedCatalog: BuildToolPlugin {
    static let catalogFiles = ["models.csv", "tasks.csv", "priors.csv", "classifier-rules.json", "labelled-tasks.jsonl"]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let dataDirectory = context.package.directoryURL.appending(path: "data")
        let inputs = Self.catalogFiles.map { dataDirectory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "BundledCatalogData.swift")
        return [
            .buildCommand(
                displayName: "Embedding the bundled catalog",
                executable: try context.tool(named: "CostwiseEmbed").url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}

import Foundation

// Writes a Swift file that holds each given data file as a string constant named after the file
// (`models.csv` becomes `BundledCatalogData.modelsCSV`).
let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: CostwiseEmbed OUTPUT INPUT...\n".utf8))
    exit(2)
}

func constantName(for path: String) -> String {
    let fileName = URL(fileURLWithPath: path).lastPathComponent
    let parts = fileName.split(separator: ".")
    let stem = parts.dropLast().joined()
    let camelStem = stem.split(separator: "-").enumerated()
        .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }
        .joined()
    return camelStem + (parts.last.map { $0.uppercased() } ?? "")
}

var source = "// Generated from data/ by the EmbedCatalog plugin. Do not edit.\n\n"
source += "enum BundledCatalogData {\n"
for inputPath in arguments.dropFirst() {
    let contents = try String(contentsOfFile: inputPath, encoding: .utf8)
    var delimiter = "#"
    while contents.contains("\"" + delimiter) { delimiter += "#" }
    source += "    static let \(constantName(for: inputPath)) = \(delimiter)\"\"\"\n"
    source += contents
    if !contents.hasSuffix("\n") { source += "\n" }
    source += "\"\"\"\(delimiter)\n\n"
}
source += "}\n"
try source.write(toFile: outputPath, atomically: true, encoding: .utf8)

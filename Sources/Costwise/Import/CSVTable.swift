/// A CSV file read against a known set of columns: the header is checked once (no unknown or
/// repeated column, every required one present), then each record is handed over as a ``CSVRow``.
struct CSVTable {
    let file: String?
    let columns: [String]
    private var reader: CSVReader
    private let indexByColumn: [String: Int]
    private let columnNames: [String]

    init(bytes: [UInt8], file: String?, required: [String], optional: [String]) throws {
        reader = CSVReader(bytes: bytes, file: file)
        self.file = file
        guard let header = try reader.nextRecord() else {
            throw InputError(file: file, line: 1, "the file is empty; it needs a header line: \((required + optional).joined(separator: ","))")
        }
        var indexByColumn: [String: Int] = [:]
        for (index, rawName) in header.fields.enumerated() {
            let name = rawName.trimmingSpaces
            guard required.contains(name) || optional.contains(name) else {
                throw InputError(file: file, line: header.line, field: name,
                                 "unknown column; the columns are \((required + optional).joined(separator: ", "))")
            }
            guard indexByColumn[name] == nil else {
                throw InputError(file: file, line: header.line, field: name, "the column appears twice")
            }
            indexByColumn[name] = index
        }
        for name in required where indexByColumn[name] == nil {
            throw InputError(file: file, line: header.line, field: name, "required column is missing")
        }
        self.indexByColumn = indexByColumn
        columns = header.fields
        columnNames = header.fields.map(\.trimmingSpaces)
        reader.columns = header.fields.map(\.trimmingSpaces)
    }

    func hasColumn(_ name: String) -> Bool { indexByColumn[name] != nil }

    /// The next data row; nil at the end of the file.
    mutating func nextRow() throws -> CSVRow? {
        guard let record = try reader.nextRecord() else { return nil }
        guard record.fields.count == columns.count else {
            throw InputError(file: file, line: record.line,
                             "expected \(columns.count) fields as in the header, found \(record.fields.count)")
        }
        return CSVRow(fields: record.fields, line: record.line, file: file, columnNames: columnNames)
    }
}

/// One data row of a ``CSVTable``; an empty field reads as absent.
struct CSVRow: FieldSource {
    let fields: [String]
    let line: Int
    let file: String?
    /// The header's names, in column order: a dozen at most, so a scan beats hashing the name.
    let columnNames: [String]

    func text(_ field: String) -> String? {
        // Comparing lengths first settles most names without comparing their text.
        guard let index = columnNames.firstIndex(where: { $0.utf8.count == field.utf8.count && $0 == field }) else { return nil }
        let value = fields[index]
        return value.isEmpty ? nil : value
    }

    func value(_ field: String) throws -> FieldValue? {
        text(field).map { .text($0) }
    }
}

extension String {
    var trimmingSpaces: String {
        // Most fields have nothing to trim: answer those without building a new string.
        guard let first = utf8.first, let last = utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return self }
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}

import CYaml

/// A YAML document as a tree of mappings, sequences and scalars, each with the line it starts on,
/// read with libyaml so errors can name the line of a bad field. Public so that the configuration
/// files of the programs built on Costwise report their mistakes the same way.
public indirect enum YAMLNode: Sendable {
    case scalar(String, line: Int)
    case sequence([YAMLNode], line: Int)
    case mapping([(key: String, value: YAMLNode)], line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var scalar: String? {
        if case .scalar(let text, _) = self { return text }
        return nil
    }

    /// Parses the first document of `bytes`; an empty document is an empty mapping.
    public static func parse(_ bytes: [UInt8], file: String?) throws -> YAMLNode {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw InputError(file: file, "cannot start the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var reader = EventReader(parser: parser, file: file)
            defer { parser = reader.parser }
            return try reader.document()
        }
    }

    /// Pulls libyaml's events and builds nodes from them.
    private struct EventReader {
        var parser: yaml_parser_t
        let file: String?

        mutating func next() throws -> (type: yaml_event_type_t, line: Int, value: String) {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                let problem = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
                throw InputError(file: file, line: Int(parser.problem_mark.line) + 1, problem)
            }
            defer { yaml_event_delete(&event) }
            var value = ""
            if event.type == YAML_SCALAR_EVENT, let text = event.data.scalar.value {
                value = String(decoding: UnsafeBufferPointer(start: text, count: event.data.scalar.length), as: UTF8.self)
            }
            if event.type == YAML_ALIAS_EVENT {
                throw InputError(file: file, line: Int(event.start_mark.line) + 1, "YAML aliases are not supported here")
            }
            return (event.type, Int(event.start_mark.line) + 1, value)
        }

        mutating func document() throws -> YAMLNode {
            while true {
                let event = try next()
                switch event.type {
                case YAML_STREAM_START_EVENT, YAML_DOCUMENT_START_EVENT: continue
                case YAML_STREAM_END_EVENT, YAML_DOCUMENT_END_EVENT: return .mapping([], line: event.line)
                default: return try node(startingWith: event)
                }
            }
        }

        mutating func node(startingWith event: (type: yaml_event_type_t, line: Int, value: String)) throws -> YAMLNode {
            switch event.type {
            case YAML_SCALAR_EVENT:
                return .scalar(event.value, line: event.line)
            case YAML_SEQUENCE_START_EVENT:
                var items: [YAMLNode] = []
                while true {
                    let item = try next()
                    if item.type == YAML_SEQUENCE_END_EVENT { return .sequence(items, line: event.line) }
                    items.append(try node(startingWith: item))
                }
            case YAML_MAPPING_START_EVENT:
                var members: [(key: String, value: YAMLNode)] = []
                while true {
                    let key = try next()
                    if key.type == YAML_MAPPING_END_EVENT { return .mapping(members, line: event.line) }
                    guard key.type == YAML_SCALAR_EVENT else {
                        throw InputError(file: file, line: key.line, "mapping keys must be plain text")
                    }
                    if members.contains(where: { $0.key == key.value }) {
                        throw InputError(file: file, line: key.line, field: key.value, "the key appears twice")
                    }
                    members.append((key.value, try node(startingWith: try next())))
                }
            default:
                throw InputError(file: file, line: event.line, "unexpected YAML structure")
            }
        }
    }
}

/// A multi-step workflow: each step a task type (or a description to classify), a threshold and
/// tokens, run `monthlyRuns` times a month.
///
/// ```yaml
/// name: reporting pipeline
/// monthly_runs: 3000
/// steps:
///   - name: format data
///     task: formatting
///     min_quality: 0.8
///     input_tokens: 4000
///     output_tokens: 2000
///   - name: recommend
///     description: Recommend next quarter's priorities from the analysis
/// ```
public struct Workflow: Sendable {
    public struct Step: Sendable {
        public var name: String
        /// The task type; nil when the step is described and must be classified.
        public var task: String?
        public var description: String?
        /// The step's threshold; nil for the task type's own.
        public var minQuality: Double?
        public var inputTokens: Int?
        public var outputTokens: Int?
        public var line: Int
    }

    public var name: String
    public var monthlyRuns: Double
    public var steps: [Step]

    static let workflowKeys: Set<String> = ["name", "monthly_runs", "steps"]
    static let stepKeys: Set<String> = ["name", "task", "description", "min_quality", "input_tokens", "output_tokens"]

    /// Reads a workflow from YAML; errors name the file, line and field.
    public static func parse(_ bytes: [UInt8], file: String?) throws -> Workflow {
        let document = try YAMLNode.parse(bytes, file: file)
        guard case .mapping(let members, _) = document else {
            throw InputError(file: file, line: document.line, "a workflow is a mapping with name, monthly_runs and steps")
        }
        try checkKeys(members, allowed: workflowKeys, file: file)
        guard case .sequence(let items, _)? = document["steps"], !items.isEmpty else {
            throw InputError(file: file, line: document["steps"]?.line ?? document.line, field: "steps", "a workflow needs a list of steps")
        }
        let steps = try items.enumerated().map { index, item in
            guard case .mapping(let stepMembers, let line) = item else {
                throw InputError(file: file, line: item.line, field: "steps", "each step is a mapping")
            }
            try checkKeys(stepMembers, allowed: stepKeys, file: file)
            let step = Step(
                name: item["name"]?.scalar ?? "step \(index + 1)", task: item["task"]?.scalar,
                description: item["description"]?.scalar,
                minQuality: try number(item["min_quality"], field: "min_quality", in: 0...1, file: file),
                inputTokens: try number(item["input_tokens"], field: "input_tokens", in: 0...10_000_000, file: file).map { Int($0) },
                outputTokens: try number(item["output_tokens"], field: "output_tokens", in: 0...10_000_000, file: file).map { Int($0) },
                line: line)
            guard (step.task == nil) != (step.description == nil) else {
                throw InputError(file: file, line: line, field: "task", "give the step a task or a description (one of them)")
            }
            return step
        }
        return Workflow(
            name: document["name"]?.scalar ?? file ?? "workflow",
            monthlyRuns: try number(document["monthly_runs"], field: "monthly_runs", in: 0...1e12, file: file) ?? 1,
            steps: steps)
    }

    private static func checkKeys(_ members: [(key: String, value: YAMLNode)], allowed: Set<String>, file: String?) throws {
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw InputError(file: file, line: unknown.value.line, field: unknown.key,
                             "unknown key; the keys are \(allowed.sorted().joined(separator: ", "))")
        }
    }

    private static func number(_ node: YAMLNode?, field: String, in range: ClosedRange<Double>, file: String?) throws -> Double? {
        guard let node else { return nil }
        guard let text = node.scalar, let value = Double(text.replacing("_", with: "")), value.isFinite, range.contains(value) else {
            throw InputError(file: file, line: node.line, field: field,
                             "expected a number in [\(DecimalFormat.string(range.lowerBound)), \(DecimalFormat.string(range.upperBound))]")
        }
        return value
    }
}

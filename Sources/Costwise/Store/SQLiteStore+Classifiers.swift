extension SQLiteStore {
    public func saveClassifier(_ classifier: TrainedClassifier) throws {
        try ClassifierChoice.checkTrainedName(classifier.name)
        try write { database in try Self.save(classifier, in: database) }
    }

    public func trainedClassifier(named name: String) throws -> TrainedClassifier? {
        try read { database in
            let statement = try database.statement(Self.classifierQuery + " WHERE name = ?")
            statement.bind(name, at: 1)
            defer { statement.reset() }
            return try statement.step() ? Self.trainedClassifier(from: statement) : nil
        }
    }

    public func trainedClassifiers() throws -> [TrainedClassifier] {
        try read { database in
            let statement = try database.statement(Self.classifierQuery + " ORDER BY name")
            var classifiers: [TrainedClassifier] = []
            while try statement.step() { classifiers.append(Self.trainedClassifier(from: statement)) }
            return classifiers
        }
    }

    public func recordClassifierEvaluation(_ evaluation: ClassifierEvaluation) throws {
        try write { database in
            let statement = try database.statement("""
                INSERT INTO classifier_evaluations (classifier, at, examples, accuracy, confusion, source) VALUES (?, ?, ?, ?, ?, ?)
                """)
            statement.bind(evaluation.classifier, evaluation.at, evaluation.examples, evaluation.accuracy,
                           evaluation.confusion.storedText, evaluation.source)
            try statement.execute()
        }
    }

    public func latestClassifierEvaluations() throws -> [ClassifierEvaluation] {
        try read { database in
            // The newest row per classifier; of rows stored in the same instant, the last inserted.
            let statement = try database.statement("""
                SELECT classifier, at, confusion, source FROM classifier_evaluations e
                WHERE id = (SELECT id FROM classifier_evaluations WHERE classifier = e.classifier ORDER BY at DESC, id DESC LIMIT 1)
                ORDER BY classifier
                """)
            var evaluations: [ClassifierEvaluation] = []
            while try statement.step() {
                evaluations.append(ClassifierEvaluation(
                    classifier: statement.string(0), at: statement.double(1),
                    confusion: try ConfusionMatrix.stored(statement.string(2)), source: statement.optionalString(3)))
            }
            return evaluations
        }
    }

    // MARK: - Statements shared with seeding

    /// Inserts `classifier`, or replaces the one of the same name.
    static func save(_ classifier: TrainedClassifier, in database: Database) throws {
        let statement = try database.statement("""
            INSERT INTO classifiers (name, kind, parameters, trained_at, examples) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, parameters = excluded.parameters,
                                             trained_at = excluded.trained_at, examples = excluded.examples
            """)
        statement.bind(classifier.name, classifier.kind, classifier.parametersJSON, classifier.trainedAt, classifier.examples)
        try statement.execute()
    }

    private static let classifierQuery = "SELECT name, kind, parameters, trained_at, examples FROM classifiers"

    private static func trainedClassifier(from statement: Statement) -> TrainedClassifier {
        TrainedClassifier(name: statement.string(0), kind: statement.string(1), parametersJSON: statement.string(2),
                          trainedAt: statement.double(3), examples: statement.int(4))
    }
}

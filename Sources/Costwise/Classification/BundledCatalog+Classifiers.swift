extension BundledCatalog {
    /// The bundled labelled set, split into the part the bundled classifier learns from and the
    /// part it is judged on.
    public static let labelledTasksFile = "data/labelled-tasks.jsonl"
    public static let trainSplit = "train"
    public static let heldOutSplit = "held-out"

    /// The task descriptions of `data/labelled-tasks.jsonl`, all of them or one split's.
    public static func labelledTasks(split: String? = nil) throws -> [LabelledExample] {
        try LabelledExampleFile.parse(Array(BundledCatalogData.labelledTasksJSONL.utf8), file: labelledTasksFile,
                                      taskTypes: Set(taskTypes().map(\.name)), split: split)
    }

    /// The classifier `bayes` a new store comes with: naive Bayes trained on the `train` split only,
    /// so that its accuracy on the `held-out` split says how it does on descriptions it has not seen.
    public static func trainedBayes() throws -> NaiveBayesClassifier {
        NaiveBayesClassifier.train(name: ClassifierChoice.bayes.name, examples: try labelledTasks(split: trainSplit))
    }
}

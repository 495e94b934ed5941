"""Reads Spark ML's own definitions of the estimators and transformers tsapply wraps
generically and writes ml-stages-spec.json: per class its JVM class, whether it is an
Estimator or a Transformer, and its params (name, doc, type, Spark's default).

Instances are created as PySpark's Connect client creates them (SPARK_CONNECT_MODE_ENABLED
makes `_java_obj` the JVM class name). StopWordsRemover's constructor asks a server for its
default words, so run with SPARK_REMOTE set to a Spark Connect server and the managed
venv's python, then `node packages/spark-connect/scripts/generate-ml.mjs`.
"""
import json
import os
import sys
import warnings

os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"
warnings.simplefilter("ignore")

import pyspark  # noqa: E402
from pyspark.ml import classification, clustering, evaluation, feature, regression  # noqa: E402
from pyspark.ml.evaluation import JavaEvaluator  # noqa: E402
from pyspark.ml.wrapper import JavaEstimator, JavaTransformer  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ml-stages-spec.json")

# The list (pysparklyr's), less the classes tsapply already writes by hand
# (VectorAssembler, LinearRegression, LogisticRegression, RandomForestClassifier, the
# three evaluators, Pipeline) and the tuning classes.
CLASSES = {
    feature: [
        "Binarizer", "BucketedRandomProjectionLSH", "Bucketizer", "CountVectorizer", "DCT", "ElementwiseProduct",
        "FeatureHasher", "HashingTF", "IDF", "Imputer", "IndexToString", "MaxAbsScaler", "MinMaxScaler", "MinHashLSH",
        "NGram", "Normalizer", "OneHotEncoder", "PCA", "PolynomialExpansion", "QuantileDiscretizer", "RFormula",
        "RegexTokenizer", "RobustScaler", "SQLTransformer", "StandardScaler", "StopWordsRemover", "StringIndexer",
        "Tokenizer", "VectorIndexer", "VectorSlicer", "Word2Vec",
    ],
    regression: ["AFTSurvivalRegression", "DecisionTreeRegressor", "GBTRegressor", "GeneralizedLinearRegression", "IsotonicRegression", "RandomForestRegressor"],
    classification: ["DecisionTreeClassifier", "GBTClassifier"],
    clustering: ["BisectingKMeans", "KMeans"],
    evaluation: ["ClusteringEvaluator"],
}

TYPES = {
    "toInt": "int",
    "toFloat": "double",
    "toBoolean": "boolean",
    "toString": "string",
    "toListString": "string[]",
    "toListFloat": "double[]",
    "toListInt": "int[]",
    "toListListFloat": "double[][]",
    "toVector": "vector",
}

# Defaults that are the server JVM's own (its locale) or too long to spell in a doc comment
# (StopWordsRemover's English word list): left to Spark, which applies them when unset.
SERVER_DEFAULTS = {("StopWordsRemover", "locale"), ("StopWordsRemover", "stopWords")}


def default_of(obj, p):
    if not obj.hasDefault(p):
        return None
    if p.name == "seed":
        return None  # PySpark's is hash(class name), different in every Python process; the JVM keeps its own
    v = obj.getOrDefault(p)
    # Defaults made from the uid (output column names) differ per instance: Spark makes its own.
    if isinstance(v, str) and obj.uid in v:
        return None
    if isinstance(v, float) and v != v:
        return None  # NaN (Imputer's missingValue) has no JSON spelling; Spark's default applies
    return v if isinstance(v, (int, float, str, bool, list)) else None


def main():
    if os.environ.get("SPARK_REMOTE"):
        # Some constructors ask the server for defaults (StopWordsRemover's word list).
        from pyspark.sql import SparkSession

        SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
    stages = []
    skipped = []
    for module, names in CLASSES.items():
        family = module.__name__.rsplit(".", 1)[-1]
        for name in names:
            try:
                obj = getattr(module, name)()
            except Exception as e:  # e.g. StopWordsRemover asks the server for its default words
                skipped.append({"class": name, "reason": "needs a session to build its defaults (%s); run with SPARK_REMOTE set" % type(e).__name__})
                continue
            kind = "estimator" if isinstance(obj, JavaEstimator) else "evaluator" if isinstance(obj, JavaEvaluator) else "transformer" if isinstance(obj, JavaTransformer) else None
            params = []
            for p in sorted(obj.params, key=lambda p: p.name):
                t = TYPES.get(p.typeConverter.__name__)
                if t is None and p.typeConverter.__name__ == "identity" and isinstance(obj.getOrDefault(p) if obj.hasDefault(p) else None, bool):
                    t = "boolean"  # RegexTokenizer.gaps has no converter; its default says what it is
                if p.name == "seed":
                    t = "long"  # a LongParam in Spark; PySpark's converter says int
                if t is None:
                    skipped.append({"class": name, "param": p.name, "reason": "type %s" % p.typeConverter.__name__})
                    continue
                default = None if (name, p.name) in SERVER_DEFAULTS else default_of(obj, p)
                params.append({"name": p.name, "type": t, "doc": p.doc, "default": default})
            stages.append({"name": name, "family": family, "kind": kind, "javaClass": obj._java_obj, "params": params})
    with open(OUT, "w") as fh:
        json.dump({"pyspark": pyspark.__version__, "stages": stages, "skippedParams": skipped}, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("%d stages, %d params left out -> %s" % (len(stages), len(skipped), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()

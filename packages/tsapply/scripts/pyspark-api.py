"""Prints, as JSON, the public API of PySpark's Spark Connect client: the members of
each class a DataFrame user touches and the functions of `pyspark.sql.functions`.

Run with the project's managed venv (it has the pinned pyspark): api-coverage.ts does.
Only names are read; nothing connects to a server.
"""
import inspect
import json
import warnings

warnings.simplefilter("ignore")  # pandas-version notes on import are not our output

from pyspark.sql.connect import catalog, column, dataframe, group, readwriter, session, window  # noqa: E402
from pyspark.sql.connect import functions as F  # noqa: E402

CLASSES = {
    "SparkSession": session.SparkSession,
    "DataFrame": dataframe.DataFrame,
    "Column": column.Column,
    "GroupedData": group.GroupedData,
    "DataFrameNaFunctions": dataframe.DataFrameNaFunctions,
    "DataFrameStatFunctions": dataframe.DataFrameStatFunctions,
    "Window": window.Window,
    "WindowSpec": window.WindowSpec,
    "Catalog": catalog.Catalog,
    "DataFrameReader": readwriter.DataFrameReader,
    "DataFrameWriter": readwriter.DataFrameWriter,
    "DataFrameWriterV2": readwriter.DataFrameWriterV2,
}


def public(names):
    return sorted(n for n in names if not n.startswith("_"))


def functions():
    # The module re-exports types and helpers; a function of the library is one defined
    # in pyspark's functions modules.
    out = []
    for name, value in inspect.getmembers(F):
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        if value.__module__.startswith("pyspark.sql.connect.functions") or value.__module__.startswith("pyspark.sql.functions"):
            out.append(name)
    return sorted(out)


import pyspark  # noqa: E402

print(json.dumps({
    "pysparkVersion": pyspark.__version__,
    "classes": {name: public(dir(cls)) for name, cls in CLASSES.items()},
    "functions": functions(),
}))

"""Reads Spark's own definition of every function in `pyspark.sql.functions` and writes
the spec tsapply's function wrappers are generated from (functions-spec.json).

For each public function of PySpark's Spark Connect client it learns, by calling the
function with sentinel arguments and reading the expression it builds:
  - the Spark SQL function it calls (`countDistinct` calls `count` with DISTINCT),
  - where each Python parameter lands in that call's argument list (PySpark's parameter
    order is not always SQL's), and whether it travels as a column or a literal;
and from the JVM's function registry (a classic local session, no server): the
function's group (`string_funcs`, `agg_funcs`, …) and its SQL examples, which the tests
replay. Functions whose expression is not one plain call of sentinels (lambdas, CASE
WHEN, options maps, data types) are listed as left out, with the reason.

Run with the managed venv's python (pinned pyspark):
  ~/.cache/tsapply/spark/<version>/venv/bin/python packages/spark-connect/scripts/extract-functions.py
then `node packages/spark-connect/scripts/generate-functions.mjs`.
"""
import inspect
import json
import os
import re
import sys
import warnings

warnings.simplefilter("ignore")

import pyspark  # noqa: E402
from pyspark.sql.connect import functions as F  # noqa: E402
from pyspark.sql.connect import expressions as E  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "functions-spec.json")

# Shapes a Python annotation can take, as tsapply's parameter kinds.
#   col       ColumnOrName: a Column, or a string naming a column
#   colOrLit  a column (or column name) or a number
#   litOrCol  a Column, or a literal string/number (Union[Column, str] without "OrName")
#   string / number / boolean   a literal
def param_kind(annotation):
    text = annotation if isinstance(annotation, str) else repr(annotation)
    text = text.replace("ForwardRef(", "").replace("typing.", "").replace("NoneType", "None")
    # `*cols: ColumnOrName | Sequence[ColumnOrName]` is a list of columns either way.
    text = re.sub(r"(Sequence|Tuple|List)\[\s*'?ColumnOrName'?\)?\s*(,\s*\.\.\.)?\]", "ColumnOrName", text)
    if "Callable" in text or "DataType" in text or "Dict" in text or "DataFrame" in text or "Type" in text.replace("DataType", ""):
        return None
    if re.fullmatch(r"(Optional\[)?Any\]?", text.strip()):
        return "litOrCol"  # a Column, or any value lit() takes
    if "Sequence[float]" in text or "List[float]" in text:
        return "litOrCol"  # a Column, a number or an array of numbers (as a literal)
    if "List" in text or "Tuple" in text:
        return None
    has_name = "ColumnOrName" in text
    has_col = "Column" in text
    has_num = re.search(r"\b(int|float)\b", text) is not None
    has_str = re.search(r"\b(str|bytes)\b", text) is not None
    has_bool = re.search(r"\bbool\b", text) is not None
    if has_name and has_num:
        return "colOrLit"
    if has_name:
        return "col"
    if has_col and (has_str or has_num or has_bool):
        return "litOrCol"
    if has_col:
        return "col"
    if has_str and not has_num and not has_bool:
        return "string"
    if has_num and not has_str and not has_bool:
        return "number"
    if has_bool and not has_str and not has_num:
        return "boolean"
    return None


def sentinel(kind, name, index):
    if kind in ("col", "colOrLit", "litOrCol"):
        return F.col("__p_%s" % name)
    if kind == "string":
        return "__s_%s" % name
    if kind == "number":
        return 7_000_000 + index
    if kind == "boolean":
        return True
    raise ValueError(kind)


def read_arg(expr, params, by_sentinel):
    """Which parameter an argument expression came from, or None."""
    if isinstance(expr, E.ColumnReference):
        m = re.fullmatch(r"__p_(\w+?)(?:__(\d+))?", expr._unparsed_identifier)
        return m.group(1) if m else None
    if isinstance(expr, E.LiteralExpression):
        return by_sentinel.get(repr(expr._value))
    return None


def first_paragraph(doc):
    text = (doc or "").strip().split("\n\n")[0]
    return " ".join(line.strip() for line in text.splitlines())


def describe(name, fn):
    sig = inspect.signature(fn)
    params = []
    for i, p in enumerate(sig.parameters.values()):
        if p.kind == inspect.Parameter.VAR_KEYWORD:
            return None, "takes **kwargs"
        kind = param_kind(p.annotation) if p.annotation is not inspect.Parameter.empty else None
        if kind is None:
            return None, "parameter %s has type %s" % (p.name, p.annotation)
        variadic = p.kind == inspect.Parameter.VAR_POSITIONAL
        optional = p.default is not inspect.Parameter.empty
        default = p.default if optional and p.default is not None and isinstance(p.default, (int, float, str, bool)) else None
        params.append({"name": p.name, "kind": kind, "variadic": variadic, "optional": optional, "default": default})
    # Call with every parameter given (varargs twice) and read the expression built.
    args = []
    by_sentinel = {}
    for i, p in enumerate(params):
        if p["variadic"]:
            for j in range(2):
                args.append(F.col("__p_%s__%d" % (p["name"], j)) if p["kind"] in ("col", "colOrLit", "litOrCol") else sentinel(p["kind"], "%s__%d" % (p["name"], j), 100 + 10 * i + j))
                if p["kind"] == "string":
                    by_sentinel[repr(args[-1])] = p["name"]
                elif p["kind"] == "number":
                    by_sentinel[repr(args[-1])] = p["name"]
        else:
            value = sentinel(p["kind"], p["name"], i)
            if p["kind"] in ("string", "number"):
                by_sentinel[repr(value)] = p["name"]
            args.append(value)
    bools = [p for p in params if p["kind"] == "boolean"]
    if len(bools) > 1:
        return None, "more than one boolean parameter"
    if len(bools) == 1:
        by_sentinel[repr(True)] = bools[0]["name"]
    try:
        col = fn(*args)
    except Exception as e:  # PySpark refused the sentinels: a shape the wrapper cannot copy
        return None, "PySpark refused sentinel arguments (%s)" % type(e).__name__
    expr = getattr(col, "_expr", None)
    if not isinstance(expr, E.UnresolvedFunction):
        return None, "builds %s, not one function call" % type(expr).__name__
    order = []
    for a in expr._args:
        who = read_arg(a, params, by_sentinel)
        if who is None:
            return None, "an argument is built from the parameters (%s)" % type(a).__name__
        order.append(who)
    # Collapse a variadic parameter's two sentinels into one spread position.
    collapsed = []
    for who in order:
        if collapsed and collapsed[-1] == who and any(p["name"] == who and p["variadic"] for p in params):
            continue
        collapsed.append(who)
    names = [p["name"] for p in params]
    if sorted(collapsed) != sorted(names):
        return None, "parameters %s reach the call as %s" % (names, collapsed)
    # An optional parameter without a default is left out of the call when not given, as
    # PySpark does (`ltrim(col)` vs `ltrim(trim, col)`). One with a default that PySpark
    # also leaves out when only the required parameters are given (`unix_timestamp()`
    # drops its format) is treated the same way, with no default of its own.
    required = [a for a, p in zip(args, params) if not p["optional"] and not p["variadic"]]
    try:
        minimal = fn(*required) if all(not p["variadic"] for p in params) else None
    except Exception:
        minimal = None
    if minimal is not None and isinstance(getattr(minimal, "_expr", None), E.UnresolvedFunction):
        sent = {read_arg(a, params, by_sentinel) for a in minimal._expr._args}
        defaults = {repr(p["default"]): p["name"] for p in params if p["default"] is not None}
        for a in minimal._expr._args:
            if isinstance(a, E.LiteralExpression) and repr(a._value) in defaults:
                sent.add(defaults[repr(a._value)])
        for p in params:
            if p["optional"] and p["default"] is not None and p["name"] not in sent:
                p["default"] = None
    return {
        "name": name,
        "sparkName": expr._name,
        "distinct": bool(expr._is_distinct),
        "params": params,
        "callOrder": collapsed,
        "doc": first_paragraph(inspect.getdoc(fn)),
    }, None


def jvm_info(names):
    """Group and SQL examples of each Spark function, from the JVM's built-in registry."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    jvm = spark._jvm
    registry = jvm.org.apache.spark.sql.catalyst.analysis.FunctionRegistry.builtin()
    out = {}
    for n in names:
        found = registry.lookupFunction(jvm.org.apache.spark.sql.catalyst.FunctionIdentifier.apply(n))
        if found.isDefined():
            info = found.get()
            examples = re.findall(r">\s*(SELECT .*?);", info.getExamples() or "")
            out[n] = {"group": info.getGroup() or "misc_funcs", "examples": examples}
    spark.stop()
    return out


def main():
    functions = []
    left_out = []
    for name, fn in sorted(inspect.getmembers(F, inspect.isfunction)):
        if name.startswith("_") or not fn.__module__.startswith("pyspark.sql.connect.functions"):
            continue
        spec, why = describe(name, fn)
        if spec is None:
            left_out.append({"name": name, "reason": why})
        else:
            functions.append(spec)
    info = jvm_info(sorted({f["sparkName"] for f in functions}))
    for f in functions:
        i = info.get(f["sparkName"], {})
        f["family"] = i.get("group", "misc_funcs")
        f["examples"] = [e for e in i.get("examples", []) if re.match(r"SELECT\s+%s\s*\(" % re.escape(f["sparkName"]), e, re.I)]
    with open(OUT, "w") as fh:
        json.dump({"pyspark": pyspark.__version__, "functions": functions, "leftOut": left_out}, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("%d functions, %d left out -> %s" % (len(functions), len(left_out), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()

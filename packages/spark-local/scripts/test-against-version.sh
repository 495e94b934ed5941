#!/usr/bin/env bash
# Runs the test suite against another Spark release from PyPI, e.g.
#
#   packages/spark-local/scripts/test-against-version.sh 4.0.1
#   packages/spark-local/scripts/test-against-version.sh 4.0.1 test/spark-connect test/spark-local
#
# The test runner starts its managed Spark Connect server with that pyspark version (its
# Python environment is created under <cacheDir>/spark/<version>/ on first use, a few
# minutes), so every integration test talks to it. Without test paths, all tests run.
set -euo pipefail
if [[ $# -lt 1 || ! "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: $0 <spark-version, e.g. 4.0.1> [test paths…]" >&2
  exit 2
fi
version="$1"
shift
cd "$(dirname "$0")/../../.."
# A server the caller points at would be used instead of the requested version.
unset SPARK_REMOTE
export TSAPPLY_SPARK_VERSION="$version"
echo "Testing against Spark $version (TSAPPLY_SPARK_VERSION=$version)"
npm run build
node test/run-tests.mjs "$@"

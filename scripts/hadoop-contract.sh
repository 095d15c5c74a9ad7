#!/usr/bin/env bash
# Hadoop 3.4.1's FileSystem contract suites bound to Humle's WebHDFS (test/hadoop-contract): fetches their jars
# (pinned in test/hadoop-contract/pom.xml) from Maven Central once into ${HUMLE_HADOOP_CONTRACT_DIR:-.cache/hadoop-contract}/lib
# and compiles the module's Java sources into classes/ beside it. Prints the Java classpath on stdout; everything else
# goes to stderr. Safe to run again: a second run with the same pom and sources asks Maven nothing and compiles
# nothing, so the test run is offline once .ci/run has run this.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${HUMLE_HADOOP_CONTRACT_DIR:-.cache/hadoop-contract}"
module=test/hadoop-contract
pom="$module/pom.xml"
sources=$(find "$module/src" -name '*.java' | sort)

lib_marker="$dir/lib/.humle-pom-sha256"
lib_want="$(sha256sum "$pom" | cut -d' ' -f1)"
if [[ "$(cat "$lib_marker" 2>/dev/null)" != "$lib_want" ]]; then
  rm -rf "$dir/lib"
  mkdir -p "$dir/lib"
  mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$(cd "$dir/lib" && pwd)" >&2
  echo "$lib_want" >"$lib_marker"
fi
lib="$(ls "$(cd "$dir/lib" && pwd)"/*.jar | paste -sd: -)"

classes_marker="$dir/classes/.humle-sources-sha256"
# shellcheck disable=SC2086
classes_want="$( (echo "$lib_want"; cat $sources) | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$classes_marker" 2>/dev/null)" != "$classes_want" ]]; then
  rm -rf "$dir/classes"
  mkdir -p "$dir/classes"
  # shellcheck disable=SC2086
  javac -nowarn -d "$dir/classes" -cp "$lib" $sources >&2
  echo "$classes_want" >"$classes_marker"
fi

echo "$(cd "$dir/classes" && pwd):$lib"

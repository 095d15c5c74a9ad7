#!/usr/bin/env bash
# Hadoop's client jars (hadoop-client-api and hadoop-client-runtime, pinned in scripts/hadoop-client/pom.xml, with
# their runtime dependencies), fetched from Maven Central once into ${HUMLE_HADOOP_DIR:-.cache/hadoop-client}
# (relative to the repository). Prints the Java classpath on stdout; everything else goes to stderr. Safe to run again:
# a second run finds the jars and asks Maven nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${HUMLE_HADOOP_DIR:-.cache/hadoop-client}"
pom=scripts/hadoop-client/pom.xml
marker="$dir/.humle-pom-sha256"
want="$(sha256sum "$pom" | cut -d' ' -f1)"

if [[ "$(cat "$marker" 2>/dev/null)" != "$want" ]]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$(cd "$dir" && pwd)" >&2
  echo "$want" >"$marker"
fi

abs="$(cd "$dir" && pwd)"
ls "$abs"/*.jar | paste -sd: -

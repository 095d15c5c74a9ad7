#!/usr/bin/env bash
# Builds Humle and runs every humle fs benchmark on SQLite and on MariaDB, then profiles the SQLite metadata run.
# Results go to bench/results/<date>/ (one .txt log per run, results.jsonl with every JSON line, machine.txt, the
# profile summary). No npm needed: TypeScript comes from node_modules.
#
#   bench/run-all.sh                    # everything
#   ENGINES=sqlite bench/run-all.sh     # SQLite only
#
# Knobs (environment): REPEAT (3 runs of each benchmark; the summary reports the median), CLIENTS (64),
# SQLITE_OPS (200000), MYSQL_OPS (20000), SMALL_SQLITE_OPS (100000), SMALL_MYSQL_OPS (20000),
# TIME_LIMIT (60 s per phase), MAX_MIB (1024 MiB of payload per small-file phase),
# HUMLE_BENCH_TMP (where fresh data directories go; the OS temp dir by default), HUMLE_BENCH_MYSQL_URL (use this
# server instead of starting one), OUT (result directory).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

ENGINES=${ENGINES:-sqlite,mysql}
REPEAT=${REPEAT:-3}
CLIENTS=${CLIENTS:-64}
SQLITE_OPS=${SQLITE_OPS:-200000}
MYSQL_OPS=${MYSQL_OPS:-20000}
SMALL_SQLITE_OPS=${SMALL_SQLITE_OPS:-100000}
SMALL_MYSQL_OPS=${SMALL_MYSQL_OPS:-20000}
TIME_LIMIT=${TIME_LIMIT:-60}
MAX_MIB=${MAX_MIB:-1024}
OUT=${OUT:-bench/results/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
jsonl="$OUT/results.jsonl"
: >"$jsonl"
rm -f "$OUT/results-1kb.jsonl"

echo "== build"
node node_modules/typescript/bin/tsc -p tsconfig.json

{
  echo "date: $(date)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -r)"
  echo "data filesystem: $(df -hT "${HUMLE_BENCH_TMP:-${TMPDIR:-/tmp}}" | awk 'NR==2 {print $1, $2, $3}')"
  echo "block devices (ROTA=1 is rotational as the kernel reports it):"
  lsblk -d -o NAME,ROTA,SIZE,MODEL 2>/dev/null | sed 's/^/  /' || true
  echo "node: $(node --version)"
  echo "sqlite: $(node -e "const D=require('better-sqlite3');console.log(new D(':memory:').prepare('select sqlite_version() v').get().v)")"
  echo "better-sqlite3: $(node -p "require('better-sqlite3/package.json').version")"
  echo "mysql2: $(node -p "require('mysql2/package.json').version")"
  echo "mariadb: $(mariadbd --version 2>/dev/null || echo 'not installed')"
  echo "git: $(git rev-parse --short HEAD) $(git status --porcelain -- src | wc -l) changed files in src"
} | tee "$OUT/machine.txt"

# run NAME ARGS...: REPEAT runs, each with a fresh data directory, logged to NAME.txt.
run() {
  local name=$1
  shift
  : >"$OUT/$name.txt"
  for r in $(seq 1 "$REPEAT"); do
    echo "== $name, run $r of $REPEAT: node $*" | tee -a "$OUT/$name.txt"
    node "$@" --json "${JSONL:-$jsonl}" 2>&1 | tee -a "$OUT/$name.txt"
  done
}

common=(--clients "$CLIENTS" --time-limit "$TIME_LIMIT")

if [[ ",$ENGINES," == *,sqlite,* ]]; then
  run fs-metadata-sqlite dist/bench/fs-metadata.js --engine sqlite --ops "$SQLITE_OPS" "${common[@]}"
  run fs-metadata-sqlite-readworkers1 dist/bench/fs-metadata.js --engine sqlite --ops "$SQLITE_OPS" "${common[@]}" --read-workers 1
  run fs-small-files-sqlite dist/bench/fs-small-files.js --engine sqlite --ops "$SMALL_SQLITE_OPS" --max-mib "$MAX_MIB" "${common[@]}"
  run fs-small-files-sqlite-readworkers1 dist/bench/fs-small-files.js --engine sqlite --ops "$SMALL_SQLITE_OPS" --max-mib "$MAX_MIB" "${common[@]}" --read-workers 1 --phases humle
  # The 1 KB case against its targets once more, with more repeats (its own JSON file and summary).
  REPEAT=${REPEAT_1KB:-5} JSONL="$OUT/results-1kb.jsonl" run fs-small-files-sqlite-1kb dist/bench/fs-small-files.js --engine sqlite --ops "$SMALL_SQLITE_OPS" --sizes 1024 "${common[@]}"
  REPEAT=${REPEAT_1KB:-5} JSONL="$OUT/results-1kb.jsonl" run fs-small-files-sqlite-1kb-readworkers1 dist/bench/fs-small-files.js --engine sqlite --ops "$SMALL_SQLITE_OPS" --sizes 1024 "${common[@]}" --read-workers 1
fi

if [[ ",$ENGINES," == *,mysql,* ]]; then
  started_here=0
  url=${HUMLE_BENCH_MYSQL_URL:-}
  if [ -z "$url" ]; then
    # A private server for the benchmark (own directory and port), so test runs elsewhere do not share it.
    export HUMLE_TEST_MYSQL_DIR=${HUMLE_BENCH_MYSQL_DIR:-/tmp/humle-bench-mariadb}
    export HUMLE_TEST_MYSQL_PORT=${HUMLE_BENCH_MYSQL_PORT:-3317}
    url=$(bash scripts/mariadb-test-server.sh start | tail -n 1)
    started_here=1
  fi
  echo "mariadb url: $url" | tee -a "$OUT/machine.txt"
  run fs-metadata-mysql dist/bench/fs-metadata.js --engine mysql --mysql-url "$url" --ops "$MYSQL_OPS" "${common[@]}"
  run fs-small-files-mysql dist/bench/fs-small-files.js --engine mysql --mysql-url "$url" --ops "$SMALL_MYSQL_OPS" --max-mib "$MAX_MIB" "${common[@]}"
  if [ "$started_here" = 1 ] && [ -z "${KEEP_MARIADB:-}" ]; then bash scripts/mariadb-test-server.sh stop; fi
fi

if [[ ",$ENGINES," == *,sqlite,* ]]; then
  echo "== profile: SQLite metadata run under node --cpu-prof"
  rm -rf "$OUT/profile"
  node --cpu-prof --cpu-prof-dir "$OUT/profile" dist/bench/fs-metadata.js --engine sqlite --ops "$SQLITE_OPS" "${common[@]}" >"$OUT/profile-run.txt" 2>&1
  node dist/bench/cpuprofile-top.js "$OUT"/profile/*.cpuprofile --top 40 | tee "$OUT/profile-top.txt"
  # The raw profile is large; keep it out of git (see bench/.gitignore).
fi

node dist/bench/summarize.js "$jsonl" | tee "$OUT/summary.md"
[ -s "$OUT/results-1kb.jsonl" ] && node dist/bench/summarize.js "$OUT/results-1kb.jsonl" | tee "$OUT/summary-1kb.md"
echo "== results in $OUT"

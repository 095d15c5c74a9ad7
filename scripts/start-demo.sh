#!/usr/bin/env bash
# `npm start`: the main job on the embedded default. Until the Humle server exists (the server issue), that is humle fs
# itself: this builds a demo project tree in the default data directory (~/.humle, or HUMLE_DATA / --data), shows it,
# and checks it. Safe to run again: every step replaces what the last run made.
set -euo pipefail
cd "$(dirname "$0")/.."
humle() { node dist/src/cli/main.js "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((3 * 1024 * 1024)) /dev/urandom > "$tmp/sample.bin"   # large enough for the block tier
printf 'id,amount\n1,10.5\n2,7.25\n' > "$tmp/transactions.csv"  # small enough to live in the database

humle fs mkdir -p /Projects/demo/Resources /Projects/demo/raw
humle fs put -f README.md /Projects/demo/Resources/README.md
humle fs put -f "$tmp/transactions.csv" "$tmp/sample.bin" /Projects/demo/raw/
humle fs setquota /Projects/demo --namespace 10000 --space 10g
humle fs setfattr -n user.description -v "Humle demo project" /Projects/demo
echo "== humle fs ls -R /Projects"
humle fs ls -R /Projects
echo "== humle fs count -q -h /Projects/demo"
humle fs count -q -h /Projects/demo
echo "== where the bytes live (inline / small: in the database; blocks: block files)"
for f in /Projects/demo/raw/transactions.csv /Projects/demo/Resources/README.md /Projects/demo/raw/sample.bin; do
  humle --json fs stat "$f" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const x=Array.isArray(j)?j[0]:j;console.log(`${x.path}: ${x.length} bytes, ${x.storage}`)})'
done
echo "== humle fs fsck"
humle fs fsck

#!/usr/bin/env bash
# The demo project of `npm start`, in the default data directory (~/.humle, or HUMLE_DATA): a tree in humle fs, shown
# and checked, a feature group with two commits read with time travel and a feature view over it, and an API key for a
# demo user who is a data owner of the project; it ends by printing the key and curl lines for the server
# (127.0.0.1:${HUMLE_PORT:-8080}) that scripts/start-demo.sh then runs. Needs `npm run build` first.
# Every run leaves the same demo state: the files are replaced, the demo's feature group is made again as version 1
# (removing the last run's versions and the feature views over them, which it prints), and the last run's demo key is
# revoked before the new one is made. Any failing step stops the script with its error: nothing is swallowed.
set -euo pipefail
cd "$(dirname "$0")/.."
humle() { node dist/src/cli/main.js "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((3 * 1024 * 1024)) /dev/urandom > "$tmp/sample.bin"   # large enough for the block tier
printf 'id,amount\n1,10.5\n2,7.25\n' > "$tmp/transactions.csv"  # small enough to live in the database

# The project first, so everything below /Projects/demo belongs to its group (its members' access comes from it).
if [[ $(node scripts/demo-feature-view.mjs project) == missing ]]; then humle project create demo; fi
humle fs mkdir -p /Projects/demo/Resources /Projects/demo/raw
humle fs put -f README.md /Projects/demo/Resources/README.md
humle fs put -f "$tmp/transactions.csv" "$tmp/sample.bin" /Projects/demo/raw/
humle fs setquota /Projects/demo --namespace 10000 --space 10g
humle fs setfattr -n user.description -v "Humle demo project" /Projects/demo
echo "== humle fs ls -R /Projects/demo"
humle fs ls -R /Projects/demo
echo "== humle fs count -q -h /Projects/demo"
humle fs count -q -h /Projects/demo
echo "== where the bytes live (inline / small: in the database; blocks: block files)"
for f in /Projects/demo/raw/transactions.csv /Projects/demo/Resources/README.md /Projects/demo/raw/sample.bin; do
  humle --json fs stat "$f" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const x=Array.isArray(j)?j[0]:j;console.log(`${x.path}: ${x.length} bytes, ${x.storage}`)})'
done
echo "== humle fs fsck"
humle fs fsck

echo "== a feature group in the demo project: an online store and a Delta Lake offline store in humle fs"
printf 'cc_num,ts,amount,category\n4242,2026-01-01T10:00:00Z,12.5,food\n4343,2026-01-01T11:00:00.123456Z,80,travel\n' > "$tmp/day1.csv"
printf 'cc_num,ts,amount,category\n4242,2026-01-02T09:00:00Z,3,food\n4444,2026-01-02T09:30:00Z,41.25,fuel\n' > "$tmp/day2.csv"
node scripts/demo-feature-view.mjs reset
humle fg --project demo create transactions --version 1 --primary-key cc_num --event-time ts --online --description 'card transactions' \
  --feature cc_num:bigint --feature ts:timestamp --feature amount:double --feature category:string >/dev/null
humle fg --project demo insert transactions "$tmp/day1.csv"
humle fg --project demo insert transactions "$tmp/day2.csv"
echo "== humle fg read transactions (every event, as the offline store keeps them)"
humle fg --project demo read transactions
echo "== humle fg read transactions --as-of 0 (time travel to the first commit)"
humle fg --project demo read transactions --as-of 0
echo "== humle fg commits transactions"
humle fg --project demo commits transactions
echo "== humle fg stats transactions"
humle fg --project demo stats transactions
echo "== a feature view over it, served online (RonDB-compatible REST below)"
node scripts/demo-feature-view.mjs create
echo "== the offline table is a Delta table in humle fs"
humle fs ls /Projects/demo/demo_featurestore.db/transactions_1 /Projects/demo/demo_featurestore.db/transactions_1/_delta_log
echo "== humle project usage demo (online and offline storage per feature group version, the directory and its quotas)"
humle project usage demo

echo "== an API key for demo_user, a data owner of the demo project (stored hashed: this is the only time it shows)"
previous=$(humle --json --user demo_user apikey list | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).some((k)=>k.name==="demo")?"yes":"no"))')
if [[ $previous == yes ]]; then humle --user demo_user apikey revoke demo; fi
key=$(humle apikey create --user demo_user --project demo --role data_owner --name demo)
port="${HUMLE_PORT:-8080}"
cat <<TRY
API key: $key

Try, once the server is listening:
  curl -H "X-API-KEY: $key" http://127.0.0.1:$port/api/v1/projects
  curl -H "Authorization: ApiKey $key" http://127.0.0.1:$port/api/v1/projects/demo/members
  curl -H "X-API-KEY: $key" http://127.0.0.1:$port/api/v1/projects/demo/usage
  curl -H "X-API-KEY: $key" "http://127.0.0.1:$port/webhdfs/v1/Projects/demo/raw?op=LISTSTATUS"
  curl -L -H "X-API-KEY: $key" "http://127.0.0.1:$port/webhdfs/v1/Projects/demo/raw/transactions.csv?op=OPEN"
  curl http://127.0.0.1:$port/api/v1/openapi.json
  curl -H "X-API-KEY: $key" -H 'Content-Type: application/json' -d '{"featureStoreName":"demo","featureViewName":"transactions_fv","featureViewVersion":1,"entries":{"cc_num":4242}}' http://127.0.0.1:$port/0.1.0/feature_store
  curl -H "X-API-KEY: $key" -H 'Content-Type: application/json' -d '{"filters":[{"column":"cc_num","value":4444}]}' http://127.0.0.1:$port/0.1.0/demo/transactions_1/pk-read
TRY

#!/usr/bin/env bash
# `npm start`: the demo project (scripts/demo-setup.sh: the same state on every run, errors not hidden), then the Humle
# server in the foreground (REST API and WebHDFS on 127.0.0.1:${HUMLE_PORT:-8080}) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/demo-setup.sh
echo "== humle server on 127.0.0.1:${HUMLE_PORT:-8080} (Ctrl-C stops it; HUMLE_PORT picks another port)"
exec node dist/src/cli/main.js server --port "${HUMLE_PORT:-8080}"

#!/usr/bin/env bash
# The Python environment of the interoperability tests: the `hdfs` package (HdfsCLI, a WebHDFS client) against the
# server, and delta-rs (the `deltalake` package, with pyarrow and pandas),
# the reference Delta reader outside the JVM, reads the offline tables Humle writes; and the Python SDK (python/,
# installed as users install it, `pip install ./python`) with pytest for its suite and mypy with the stubs of
# its dependencies for its types. Creates the virtual environment
# at ${HUMLE_PYTHON_VENV:-.venv-test} (relative to the repository) once, installs the pinned packages once per pin
# and the SDK again whenever its sources change, and prints the path of its python on stdout; everything else goes
# to stderr. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${HUMLE_PYTHON_VENV:-.venv-test}"
requirements=(deltalake==1.6.6 pyarrow==26.0.1 pandas==3.1.1 hdfs==2.7.3 pytest==9.2.0
  mypy==2.4.1 pandas-stubs==3.1.0.261029 pyarrow-stubs==20.0.0.20260819 types-requests==2.33.0.20261030)
marker="$venv/.humle-requirements"

# One run at a time: test files run this concurrently, and two pip installs into one environment would collide.
exec 9>"${venv%/}.lock"
flock 9

if [[ ! -x "$venv/bin/python" ]]; then
  if ! python3 -m venv "$venv" >&2 2>/dev/null; then
    # A fresh Debian has python3 without the venv module (and so without pip in venvs).
    rm -rf "$venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq python3 python3-venv >&2
    python3 -m venv "$venv" >&2
  fi
fi

if [[ "$(cat "$marker" 2>/dev/null)" != "${requirements[*]}" ]]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}" >&2
  echo "${requirements[*]}" >"$marker"
fi

sdk_marker="$venv/.humle-sdk"
sdk_sources=$(find python/pyproject.toml python/src -type f -not -path '*/__pycache__/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$sdk_marker" 2>/dev/null)" != "$sdk_sources" ]]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./python >&2
  echo "$sdk_sources" >"$sdk_marker"
fi

echo "$(cd "$venv" && pwd)/bin/python"

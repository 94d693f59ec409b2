#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly on the tslab kernel, each in
# a fresh kernel, and fails if any cell fails: an exception, a TypeScript error
# (tslab type-checks each cell), or a claim cell that throws.
#
#   scripts/run-notebooks.sh [--out DIR] [NOTEBOOK...]
#
# The executed copies, outputs included, go to DIR (default: a temporary
# directory, removed at the end); the notebooks in the repository stay as they
# are, without outputs. Prints one line per notebook, `PASS`/`FAIL name (N s)`,
# the failing cell's error after a FAIL, and a last line `run-notebooks: P of N
# passed` (.ci/run counts the PASS/FAIL lines into its own summary).
# Exit status: 0 all passed, 1 a notebook failed, 2 Jupyter or tslab is missing
# (run npm ci, then scripts/install-system.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

out=""
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) notebooks+=("$1"); shift ;;
  esac
done
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)

# Debian's Jupyter runs on /usr/bin/python3; `python3` on PATH may be another
# interpreter (pyenv here) without it.
tslab_bin=$PWD/node_modules/.bin/tslab
if ! /usr/bin/python3 -c 'import nbclient, jupyter_client' 2>/dev/null || [ ! -x "$tslab_bin" ]; then
  echo "run-notebooks: Jupyter (nbclient) or node_modules/.bin/tslab is missing: run npm ci, then scripts/install-system.sh" >&2
  for nb in "${notebooks[@]}"; do echo "FAIL $(basename "$nb") (not run)"; done
  exit 2
fi

# The notebooks run on this checkout's tslab, whatever the registered kernel
# points at (`tslab install` records one absolute path, and the last checkout
# to register wins: a CI clone, say, that is gone by now). A kernel spec of our
# own, first on JUPYTER_PATH, takes precedence over the user's and the system's.
specs=$(mktemp -d)
mkdir -p "$specs/kernels/tslab"
/usr/bin/python3 -c 'import json, sys; json.dump({"argv": [sys.argv[1], "kernel", "--config-path", "{connection_file}"],
  "display_name": "TypeScript", "language": "typescript"}, open(sys.argv[2], "w"))' "$tslab_bin" "$specs/kernels/tslab/kernel.json"
export JUPYTER_PATH=$specs${JUPYTER_PATH:+:$JUPYTER_PATH}
cleanup=("$specs")
trap 'rm -rf "${cleanup[@]}"' EXIT

if [ -z "$out" ]; then
  out=$(mktemp -d)
  cleanup+=("$out")
fi
mkdir -p "$out"

passed=0 failed=0
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb")
  started=$(date +%s.%N)
  # A fresh kernel per notebook, in the notebook's directory; nbclient as in
  # `jupyter nbconvert --to notebook --execute`, but a failure names its cell
  # and shows that cell's output (execute-notebook.py says why).
  report=$(/usr/bin/python3 scripts/execute-notebook.py "$nb" "$out/$name" 2>&1)
  status=$?
  secs=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ $status -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS $name (${secs} s)"
  else
    failed=$((failed + 1))
    echo "FAIL $name (${secs} s)"
    printf '%s\n' "$report" | sed 's/^/    /'
  fi
done

echo "run-notebooks: $passed of $((passed + failed)) passed"
[ $failed -eq 0 ]

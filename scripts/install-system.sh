#!/usr/bin/env bash
# Installs the system packages boundlab needs beyond `npm ci`, and registers the
# tslab TypeScript kernel with Jupyter. Idempotent and quiet: on a machine that
# already has everything it touches no package index and finishes in about a
# second. Run it from anywhere, after `npm ci` (the kernel is this checkout's
# node_modules/.bin/tslab). Needs root (or sudo) only when a package is missing.
#
#   chromium                      headless browser test of the report, `report --pdf`
#   jupyter-nbconvert             executes the notebooks headlessly (scripts/run-notebooks.sh)
#   jupyter-client                `jupyter kernelspec`, the kernel launcher
#   python3-ipykernel             IPython, which tslab's kernel installer imports
#   coinor-csdp                   the `csdp` SDP solver behind `boundlab pep` (performance estimation)
#   sdpa                          a second SDP solver, the cross-check of csdp in tests/pep.test.ts
#
# jupyter-notebook (the browser UI) is not installed: executing notebooks does
# not need it. `apt-get install jupyter-notebook` to open them interactively.
#
# Environment: BOUNDLAB_SKIP_CHROMIUM=1 leaves Chromium out (a machine that only
# runs the notebooks).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

log() { echo "install-system: $*"; }

packages=(coinor-csdp sdpa jupyter-nbconvert jupyter-client python3-ipykernel)
if [ "${BOUNDLAB_SKIP_CHROMIUM:-}" != 1 ]; then packages=(chromium "${packages[@]}"); fi

# --- Debian packages: only the missing ones, one index update at most --------
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    log "missing ${missing[*]} and there is no apt-get here: install them by hand" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      log "missing ${missing[*]}: run this script as root to install them" >&2
      exit 1
    fi
  fi
  log "installing ${missing[*]}"
  started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  # -qq plus an output log: quiet on success, the whole apt output on failure.
  aptlog=$(mktemp)
  trap 'rm -f "$aptlog"' EXIT
  if ! { "${sudo[@]}" apt-get update -qq &&
         "${sudo[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"; } >"$aptlog" 2>&1; then
    cat "$aptlog" >&2
    log "apt-get failed" >&2
    exit 1
  fi
  log "installed in $((SECONDS - started)) s"
fi

# --- the tslab kernel ---------------------------------------------------------
# `tslab install` writes kernels/tslab/kernel.json (and jslab) whose argv[0] is
# the tslab binary given here; as root into /usr/local/share/jupyter, else into
# ~/.local/share/jupyter. Re-register only when the spec is absent or points at
# another checkout (CI clones afresh), so a second run costs nothing.
# /usr/bin/python3 explicitly: `python3` on PATH may be another interpreter
# (pyenv here) without Debian's jupyter modules.
tslab_bin=$root/node_modules/.bin/tslab
if [ ! -x "$tslab_bin" ]; then
  log "$tslab_bin is missing: run npm ci first" >&2
  exit 1
fi
# Ask Jupyter itself which spec it would use (the user's before the system's).
kernel_argv0() {
  /usr/bin/python3 -c 'from jupyter_client.kernelspec import KernelSpecManager as K
try: print(K().get_kernel_spec("tslab").argv[0])
except Exception: pass' 2>/dev/null || true
}
register() {
  local out
  if ! out=$("$tslab_bin" install --python=/usr/bin/python3 --binary="$tslab_bin" "$@" 2>&1); then
    echo "$out" >&2
    log "tslab install failed" >&2
    exit 1
  fi
}
if [ "$(kernel_argv0)" != "$tslab_bin" ]; then
  log "registering the tslab kernel ($tslab_bin)"
  register
  # As root the spec goes to /usr/local/share/jupyter; an older per-user spec
  # would still win, so replace that one too.
  if [ "$(kernel_argv0)" != "$tslab_bin" ]; then register --user; fi
  if [ "$(kernel_argv0)" != "$tslab_bin" ]; then
    log "Jupyter still resolves the tslab kernel to $(kernel_argv0) (JUPYTER_PATH?)" >&2
    exit 1
  fi
fi

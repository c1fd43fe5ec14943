#!/usr/bin/env bash
# Creates the Python environment the dataset loader checks use: a venv under .cache/python with
# test/python/requirements.txt installed through pip's own configuration (a local wheel index if
# the machine has one). Fails fast, with one line on stderr, when Python or a package cannot be had.
# Re-running is cheap: the install is skipped while requirements.txt is unchanged.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${TRACEMINT_PYTHON_VENV:-$root/.cache/python}"
requirements="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
log="$venv/.setup.log"

fail() { echo "python setup: $*" >&2; exit 1; }

python="${PYTHON:-}"
if [[ -z "$python" ]]; then
	for candidate in python3 python; do
		if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
	done
fi
[[ -n "$python" ]] || fail 'no python3 on PATH'
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null \
	|| fail "$python is older than 3.10"

want="$(sha256sum "$requirements" | cut -d' ' -f1)"
# Test files run in parallel and may both call this: one installs, the other waits for it.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
	echo "$venv/bin/python"
	exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
	mkdir -p "$(dirname "$venv")"
	"$python" -m venv "$venv" >/dev/null 2>&1 || fail "$python -m venv failed (is the venv module installed?)"
fi
rm -f "$stamp"
# No retries and a short timeout: an unreachable index should fail in seconds, not minutes.
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --retries 0 --timeout 10 \
	-r "$requirements" >"$log" 2>&1; then
	fail "pip could not install $(basename "$requirements"): $(grep -m1 -E '^ERROR' "$log" || tail -n1 "$log") (log: $log)"
fi
echo "$want" >"$stamp"
echo "$venv/bin/python"

#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are missing, idempotently (apt-get, as
# root). Not root and something missing: says what to run and exits 1. Not Debian: says so and
# exits 0, and the tests that need a package skip with their reason. Output goes to stderr.
set -euo pipefail

log() { printf 'test setup: %s\n' "$*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
	log "not a Debian system; install these yourself if tests skip for them: $*"
	exit 0
fi
missing=()
for pkg in "$@"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
	log "Debian packages present: $*"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	log "missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}"
	exit 1
fi
log "installing Debian packages: ${missing[*]}"
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2

#!/usr/bin/env bash
# Installs what the end-to-end suite needs, idempotently: Debian packages (chromium for the
# browser, libkrb5-dev/pkg-config for code-server's kerberos module, ripgrep to seed its
# ripgrep download), then code-server itself into .cache/code-server/ from the pinned
# package.json + package-lock.json beside this script. Everything it does goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pin_dir="$here/code-server"
install_dir="$root/.cache/code-server"

# code-server 4.100.3 pulls @vscode/ripgrep 1.15.11 (via its bundled VS Code), whose postinstall
# downloads ripgrep v13.0.0-10 from GitHub. We pre-seed that download with Debian's rg instead.
ripgrep_pkg_version='1.15.11'
ripgrep_release='v13.0.0-10'

log() { printf 'e2e setup: %s\n' "$*" >&2; }

pinned_version() {
	node -p "require(process.argv[1]).dependencies['code-server']" "$pin_dir/package.json"
}

installed_version() {
	node -p "require(process.argv[1]).version" "$install_dir/node_modules/code-server/package.json" 2>/dev/null || true
}

ripgrep_target() {
	case "$(uname -m)" in
		x86_64) echo 'x86_64-unknown-linux-musl' ;;
		aarch64 | arm64) echo 'aarch64-unknown-linux-musl' ;;
		*) log "no ripgrep seed for $(uname -m); the install will try to download it"; echo '' ;;
	esac
}

install_code_server() {
	local want have
	want="$(pinned_version)"
	have="$(installed_version)"
	if [ "$have" = "$want" ] && [ -x "$install_dir/node_modules/.bin/code-server" ]; then
		log "code-server $want already installed in .cache/code-server"
		return
	fi
	local node_major
	node_major="$(node -p 'process.versions.node.split(".")[0]')"
	if [ "$node_major" != '20' ]; then
		log "warning: code-server $want supports Node 20; this is Node $(node --version)"
	fi
	log "installing code-server $want into .cache/code-server (about a minute)"

	# A TMPDIR of our own: @vscode/ripgrep looks for its cache in os.tmpdir().
	setup_tmp="$(mktemp -d "${TMPDIR:-/tmp}/tracemint-e2e-setup.XXXXXX")"
	trap 'rm -rf "$setup_tmp"' EXIT
	local tmp="$setup_tmp"
	local target
	target="$(ripgrep_target)"
	if [ -n "$target" ]; then
		local cache="$tmp/vscode-ripgrep-cache-$ripgrep_pkg_version"
		mkdir -p "$cache"
		tar czf "$cache/ripgrep-$ripgrep_release-$target.tar.gz" -C "$(dirname "$(command -v rg)")" rg
		log "seeded the ripgrep download cache with $(command -v rg)"
	fi

	rm -rf "$install_dir"
	mkdir -p "$install_dir"
	cp "$pin_dir/package.json" "$pin_dir/package-lock.json" "$install_dir/"
	# --unsafe-perm: code-server's postinstall refuses to run as root without it.
	# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which must not prompt.
	(
		cd "$install_dir"
		TMPDIR="$tmp" npm_config_yes=true npm ci --foreground-scripts --unsafe-perm --no-audit --no-fund >&2
	)
	# Read the version from disk: `code-server --version` would write a config file under $HOME.
	log "installed code-server $(installed_version) in .cache/code-server"
}

bash "$root/test/install-debian-packages.sh" chromium libkrb5-dev pkg-config ripgrep
install_code_server

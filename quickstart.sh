#!/bin/sh
# quickstart.sh - set up, build and run sockview, or its test suite.
#
#   ./quickstart.sh [ARGS...]      install what is missing, build, launch sockview ARGS
#   ./quickstart.sh check          install what is missing, build, run `make check`
#
# Idempotent: packages are installed only when missing, autoreconf and
# configure run only when their inputs changed, make rebuilds what changed.
set -eu

cd "$(dirname "$0")"

# Debian/Ubuntu packages needed to build, run and test sockview.
PKGS="gcc make autoconf automake autopoint gettext pkg-config libncurses-dev
libmnl-dev libcmocka-dev tmux python3 iproute2 util-linux procps netbase valgrind locales
bash-completion zsh debhelper dpkg-dev fakeroot lintian man-db"

say() { printf 'quickstart: %s\n' "$*" >&2; }

install_missing() {
	missing=""
	for p in $PKGS; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		say "missing packages:$missing (no apt-get here: install them by hand)"
		exit 1
	fi
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		sudo="sudo"
	fi
	say "installing:$missing"
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

newer_than() { # newer_than TARGET FILE... : true if TARGET is missing or older
	[ -e "$1" ] || return 0
	t=$1
	shift
	for f in "$@"; do
		[ "$f" -nt "$t" ] && return 0
	done
	return 1
}

build() {
	if newer_than configure configure.ac Makefile.am mk/*.am m4/sv_*.m4; then
		say "autoreconf"
		autoreconf -fi
	fi
	if newer_than config.status configure; then
		say "configure"
		./configure -q
	fi
	make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
}

install_missing
build

case "${1:-}" in
check)
	shift
	exec make -j"$(nproc 2>/dev/null || echo 2)" check VERBOSE=1 "$@"
	;;
*)
	exec ./src/sockview "$@"
	;;
esac

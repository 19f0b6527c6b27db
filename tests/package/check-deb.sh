#!/bin/sh
# check-deb.sh TARBALL - the Debian package, as a Debian 12 user gets it:
# built with dpkg-buildpackage from a clean copy (the release tarball,
# unpacked in a temporary directory), checked by lintian (no error; every
# warning printed), installed with dpkg, run, and purged without a trace.
# Installing needs root (CI is); as another user the test fails and says so.
# `make check-deb` runs it; CI runs that after distcheck.
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$tarball" ] || { echo "check-deb: no tarball $1" >&2; exit 1; }
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "check-deb: $tool is missing (quickstart.sh installs it)" >&2; exit 1; }
done
if [ "$(id -u)" != 0 ]; then
	echo "check-deb: installing the package needs root; run it as root (CI does)" >&2
	exit 1
fi
if dpkg-query -W -f='${Status}' sockview 2>/dev/null | grep -q 'ok installed'; then
	echo "check-deb: a sockview package is already installed: not touching it" >&2
	exit 1
fi
work=$(mktemp -d)
installed=0
cleanup() {
	[ "$installed" = 1 ] && dpkg --purge sockview >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
tar -xzf "$tarball" -C "$work"
src=$(echo "$work"/sockview-*)
# Build-Depends come from the list the set-up script installs: a package
# missing there would fail CI's clean machine, not just this build.
pkgs=$(sed -n '/^PKGS="/,/"$/p' "$src/quickstart.sh" | tr -d '"' | sed 's/^PKGS=//')
deps=$(sed -n '/^Build-Depends:/,/^[A-Z][A-Za-z-]*:/p' "$src/debian/control" |
	sed 's/^Build-Depends://; /^[A-Z][A-Za-z-]*:/d' | tr ',' '\n' |
	sed 's/(.*//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep . | grep -v '^debhelper-compat$')
for d in $deps; do
	echo " $pkgs " | tr '\n' ' ' | grep -q " $d " ||
		{ echo "check-deb: Build-Depends names $d, which quickstart.sh does not install" >&2; exit 1; }
done

echo "== dpkg-buildpackage -us -uc -b (in $src)"
(cd "$src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
	tail -40 "$work/build.log"
	echo "check-deb: dpkg-buildpackage failed" >&2
	exit 1
}
deb=$(echo "$work"/sockview_*_*.deb)
[ -f "$deb" ] || { echo "check-deb: no .deb built" >&2; exit 1; }

echo "== lintian"
lintian --fail-on error --display-info "$deb" "$work"/sockview_*.changes 2>&1 |
	grep -v 'running with root privileges' || true
lintian --fail-on error "$deb" >/dev/null 2>&1 || { echo "check-deb: lintian found errors" >&2; exit 1; }

echo "== the package's files"
files=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in ./usr/bin/sockview ./usr/share/man/man1/sockview.1.gz \
	./usr/share/bash-completion/completions/sockview \
	./usr/share/zsh/vendor-completions/_sockview \
	./usr/share/locale/fr/LC_MESSAGES/sockview.mo ./usr/share/doc/sockview/copyright; do
	echo "$files" | grep -qx "$f" || { echo "check-deb: $f is not in the package" >&2; exit 1; }
done

echo "== dpkg -i, run, dpkg --purge"
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
installed=1
version=$(dpkg-deb -f "$deb" Version)
[ "$(/usr/bin/sockview --version)" = "sockview $version" ] ||
	{ echo "check-deb: the installed sockview does not say its version" >&2; exit 1; }
/usr/bin/sockview --once --no-processes --format=json | python3 -c 'import json,sys; json.load(sys.stdin)' ||
	{ echo "check-deb: the installed sockview --once failed" >&2; exit 1; }
man -w sockview >/dev/null 2>&1 || { echo "check-deb: man sockview finds no page" >&2; exit 1; }
listed=$(dpkg -L sockview | sort)
dpkg --purge sockview >/dev/null
installed=0
for f in $listed; do
	case $f in /usr/bin/*|/usr/share/*/sockview*|/usr/share/*/_sockview)
		[ -e "$f" ] && { echo "check-deb: $f left after purge" >&2; exit 1; } ;;
	esac
done
if dpkg-query -W sockview >/dev/null 2>&1; then
	echo "check-deb: dpkg still knows sockview after purge" >&2
	exit 1
fi
echo "check-deb: PASS ($deb built, lint-clean of errors, installed, ran, purged)"

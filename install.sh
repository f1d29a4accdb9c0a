#!/bin/sh
# Installs lattice-link from a release, verified, without root:
#
#   curl -fsSL https://github.com/lattice-link/lattice-link/releases/latest/download/install.sh | sh
#   sh install.sh [--prefix DIR] [--version X.Y.Z] [--base-url URL]
#
# It downloads the release's checksums.txt, then the archive for this machine
# listed there, and installs only if the archive's sha256 is the one listed:
# a download that does not match, or an archive without a checksum, is
# refused and nothing is installed. The binary goes to PREFIX/bin (default
# ~/.local/bin) and the man page to PREFIX/share/man/man1.
#
# Environment, instead of the flags: LATTICE_LINK_PREFIX,
# LATTICE_LINK_VERSION, LATTICE_LINK_BASE_URL (a folder holding
# checksums.txt and the archives, e.g. a mirror; https, or http only to this
# machine).
set -eu

repo=https://github.com/lattice-link/lattice-link
prefix=${LATTICE_LINK_PREFIX:-${HOME:-}/.local}
version=${LATTICE_LINK_VERSION:-}
base=${LATTICE_LINK_BASE_URL:-}

say() { printf '%s\n' "$*"; }
fail() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

usage() {
  say "usage: sh install.sh [--prefix DIR] [--version X.Y.Z] [--base-url URL]"
  say "Installs lattice-link to DIR/bin (default ~/.local/bin), after checking the"
  say "archive against the release's checksums.txt."
}

while [ $# -gt 0 ]; do
  case $1 in
  --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder"; prefix=$2; shift 2 ;;
  --prefix=*) prefix=${1#*=}; shift ;;
  --version) [ $# -ge 2 ] || fail "--version needs a version, e.g. 1.2.3"; version=$2; shift 2 ;;
  --version=*) version=${1#*=}; shift ;;
  --base-url) [ $# -ge 2 ] || fail "--base-url needs a URL"; base=$2; shift 2 ;;
  --base-url=*) base=${1#*=}; shift ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; fail "unknown option: $1" ;;
  esac
done

[ -n "$prefix" ] || fail "no folder to install to: HOME is not set; give --prefix DIR"
if [ -z "$base" ]; then
  if [ -n "$version" ]; then
    base="$repo/releases/download/v${version#v}"
  else
    base="$repo/releases/latest/download"
  fi
fi
base=${base%/}
# The checksums are only worth what the connection is: plain http is for a
# server on this machine (a local mirror, the tests).
case $base in
https://*) ;;
http://127.0.0.1:* | http://127.0.0.1/* | http://localhost:* | http://localhost/* | http://\[::1\]:* | http://\[::1\]/*) ;;
*) fail "refusing $base: give an https:// URL (plain http only to 127.0.0.1, localhost or [::1])" ;;
esac

case $(uname -s) in
Linux) os=linux ;;
Darwin) os=darwin ;;
MINGW* | MSYS* | CYGWIN*) fail "on Windows, install with Scoop or winget (see $repo#install)" ;;
*) fail "no release for $(uname -s); build it with Go: go install github.com/lattice-link/lattice-link@latest" ;;
esac
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) fail "no release for $(uname -m) machines; build it with Go: go install github.com/lattice-link/lattice-link@latest" ;;
esac
# A shell under Rosetta reports x86_64 on an Apple silicon Mac: take the native build.
if [ "$os" = darwin ] && [ "$arch" = amd64 ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || true)" = 1 ]; then
  arch=arm64
fi

if command -v curl >/dev/null 2>&1; then
  fetch() { curl --fail --silent --show-error --location --output "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget --quiet --output-document="$2" "$1"; }
else
  fail "needs curl or wget to download lattice-link, and found neither on PATH.
Install one (e.g. apt-get install curl), or download the archive for $os/$arch and
checksums.txt from $base yourself and compare their sha256."
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
elif command -v openssl >/dev/null 2>&1; then
  sha256() { openssl dgst -sha256 "$1" | sed 's/.*= *//'; }
else
  fail "needs sha256sum, shasum or openssl to check the download, and found none: nothing installed"
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t lattice-link)
trap 'rm -rf "$tmp"' EXIT INT TERM

fetch "$base/checksums.txt" "$tmp/checksums.txt" ||
  fail "could not download $base/checksums.txt: without it the archive cannot be checked, so nothing was installed"

# The archive is the one checksums.txt lists for this machine: nothing that
# is not listed there is ever downloaded.
pattern="^[0-9a-f]{64}  lattice-link_[^ /]+_${os}_${arch}\\.tar\\.gz\$"
line=$(grep -E "$pattern" "$tmp/checksums.txt" || true)
[ -n "$line" ] ||
  fail "checksums.txt at $base lists no checksum for a $os/$arch archive: refusing to install anything unchecked"
[ "$(printf '%s\n' "$line" | wc -l)" -eq 1 ] ||
  fail "checksums.txt at $base lists more than one $os/$arch archive: refusing to guess"
want=${line%% *}
archive=${line##* }

fetch "$base/$archive" "$tmp/$archive" || fail "could not download $base/$archive: nothing installed"
got=$(sha256 "$tmp/$archive")
[ "$got" = "$want" ] || fail "checksum mismatch for $archive: nothing installed.
  checksums.txt says  $want
  the download is     $got
The file is not the one the release published (a broken download, or tampered with)."

mkdir "$tmp/x"
tar -xzf "$tmp/$archive" -C "$tmp/x" || fail "could not unpack $archive: nothing installed"
[ -f "$tmp/x/lattice-link" ] || fail "$archive holds no lattice-link binary: nothing installed"

bindir=$prefix/bin
mkdir -p "$bindir" || fail "cannot create $bindir: give a folder you can write with --prefix DIR"
# Copy beside the old binary, then rename over it: a running copy is never
# overwritten in place, and a failed copy leaves the old one.
if ! { cp "$tmp/x/lattice-link" "$bindir/.lattice-link.new" &&
  chmod 755 "$bindir/.lattice-link.new" &&
  mv -f "$bindir/.lattice-link.new" "$bindir/lattice-link"; }; then
  rm -f "$bindir/.lattice-link.new"
  fail "cannot write $bindir/lattice-link: give a folder you can write with --prefix DIR"
fi

release=${archive#lattice-link_}
release=${release%_"${os}"_"${arch}".tar.gz}
say "Installed lattice-link $release ($os/$arch) to $bindir/lattice-link"
say "  checked: sha256 $got, as listed in $base/checksums.txt"
if [ -f "$tmp/x/manpages/lattice-link.1.gz" ]; then
  mandir=$prefix/share/man/man1
  if mkdir -p "$mandir" && cp "$tmp/x/manpages/lattice-link.1.gz" "$mandir/"; then
    say "  man page: $mandir/lattice-link.1.gz"
  fi
fi
say "  shell completion: lattice-link completion --help says how"

case ":${PATH:-}:" in
*":$bindir:"*) say "Run: lattice-link" ;;
*)
  say ""
  say "$bindir is not on your PATH yet. Add it, then open a new terminal:"
  say "  bash, sh:  echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.profile"
  say "  zsh:       echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.zshrc"
  say "  fish:      fish_add_path $bindir"
  say "Or run it as $bindir/lattice-link"
  ;;
esac

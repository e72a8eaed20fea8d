#!/usr/bin/env bash
# Installs the pgvector extension into PostgreSQL 15 on Debian bookworm, which
# has no pgvector package: it builds Debian's own pgvector source package
# (from the trixie deb-src suite) against the local PostgreSQL 15.
#
# Usage: deploy/pgvector.sh          (as root; idempotent)
#
# Exits at once when vector.control and vector.so are already installed.
# Otherwise it installs the build dependencies, adds a deb-src-only entry for
# trixie main in its own apt sources file (never binary trixie packages, no
# pinning), runs apt-get update, fetches the source with apt-get source into
# a cache directory and runs make and make install.
#
# Environment:
#   PG_CONFIG               pg_config of the target server
#                           (default /usr/lib/postgresql/15/bin/pg_config)
#   BANBAN_PGVECTOR_CACHE   where the source is fetched and built
#                           (default /var/cache/banban/pgvector)
#   PGVECTOR_VERSION        upstream version to build (default 0.8.0); empty
#                           means whatever the source suite has
#   PGVECTOR_SUITE          Debian suite of the source (default trixie)
#   BANBAN_DEBIAN_MIRROR    Debian mirror for the deb-src entry (default: the
#                           mirror this machine already uses for Debian)
set -Eeuo pipefail

PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
CACHE="${BANBAN_PGVECTOR_CACHE:-/var/cache/banban/pgvector}"
WANT="${PGVECTOR_VERSION-0.8.0}"
SUITE="${PGVECTOR_SUITE:-trixie}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SRC_NAME="banban-${SUITE}-src"

log() { printf 'pgvector.sh: %s\n' "$*" >&2; }
die() {
  printf 'pgvector.sh: error: %s\n' "$*" >&2
  exit 1
}
trap 'die "command failed (line $LINENO): $BASH_COMMAND"' ERR

# run_logged NAME CMD... runs CMD with its output in $CACHE/logs/NAME.log and
# shows the end of that log when CMD fails.
run_logged() {
  local name="$1" logf="$CACHE/logs/$1.log"
  shift
  log "running: $* (log: $logf)"
  if ! "$@" >"$logf" 2>&1; then
    printf '%s\n' "---- last lines of $logf" >&2
    tail -n 40 "$logf" >&2
    die "$name failed: $*"
  fi
}

installed() {
  [ -x "$PG_CONFIG" ] || return 1
  local share lib
  share="$("$PG_CONFIG" --sharedir)" && lib="$("$PG_CONFIG" --pkglibdir)" || return 1
  [ -f "$share/extension/vector.control" ] && [ -f "$lib/vector.so" ]
}

installed_version() {
  sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" \
    "$("$PG_CONFIG" --sharedir)/extension/vector.control"
}

# debian_mirror prints the Debian mirror that apt already uses for the main
# archive of this release.
debian_mirror() {
  if [ -n "${BANBAN_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$BANBAN_DEBIAN_MIRROR"
    return
  fi
  local codename uri
  codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  uri="$(apt-get indextargets --format '$(CODENAME) $(REPO_URI)' 2>/dev/null |
    awk -v c="$codename" '$1 == c { print $2; exit }')"
  printf '%s\n' "${uri:-http://deb.debian.org/debian/}"
}

# add_source writes the deb-src entry in the format this machine uses:
# deb822 .sources files when it has any, else a one-line .list file.
add_source() {
  local mirror file content
  mirror="$(debian_mirror)"
  [ -r "$KEYRING" ] || die "$KEYRING is missing: install debian-archive-keyring"
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    file="/etc/apt/sources.list.d/$SRC_NAME.sources"
    content="# Added by banban deploy/pgvector.sh: Debian $SUITE source packages only
# (no binary packages), to build pgvector for the local PostgreSQL.
Types: deb-src
URIs: $mirror
Suites: $SUITE
Components: main
Signed-By: $KEYRING"
  else
    file="/etc/apt/sources.list.d/$SRC_NAME.list"
    content="# Added by banban deploy/pgvector.sh: Debian $SUITE source packages only
# (no binary packages), to build pgvector for the local PostgreSQL.
deb-src [signed-by=$KEYRING] $mirror $SUITE main"
  fi
  if [ -f "$file" ] && [ "$(cat "$file")" = "$content" ]; then
    log "apt source entry already present: $file"
    return
  fi
  log "adding apt source entry $file (deb-src $mirror $SUITE main)"
  printf '%s\n' "$content" >"$file"
}

# is_installed tells whether Debian package $1 is installed.
is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -F 'ok installed' >/dev/null
}

# install_build_deps installs the missing build dependencies (installed ones
# are left alone, not upgraded), taking the server headers of the installed
# server's exact version when the mirror still has it.
install_build_deps() {
  local pkgs=() p dev=postgresql-server-dev-15 ver
  for p in build-essential dpkg-dev; do
    is_installed "$p" || pkgs+=("$p")
  done
  if ! is_installed "$dev"; then
    ver="$(dpkg-query -W -f='${Version}' postgresql-15 2>/dev/null || true)"
    if [ -n "$ver" ] && apt-cache madison "$dev" | awk '{print $3}' | grep -xF "$ver" >/dev/null; then
      pkgs+=("$dev=$ver")
    else
      pkgs+=("$dev")
    fi
  fi
  if [ "${#pkgs[@]}" -eq 0 ]; then
    log "build dependencies already installed"
    return
  fi
  run_logged apt-install env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${pkgs[@]}"
}

# source_version prints the Debian version of the pgvector source to fetch.
source_version() {
  local versions v
  versions="$(apt-cache showsrc --only-source pgvector 2>/dev/null |
    awk '/^Version:/ { print $2 }' | sort -u)"
  [ -n "$versions" ] || die "no pgvector source package found in deb-src $SUITE (did apt-get update fail?)"
  for v in $versions; do
    local up="${v#*:}"
    up="${up%-*}"
    if [ -z "$WANT" ] || [ "$up" = "$WANT" ]; then
      printf '%s\n' "$v"
      return
    fi
  done
  die "pgvector $WANT not found in $SUITE (available: $(echo $versions)); set PGVECTOR_VERSION= to take it"
}

# fetch_source downloads and unpacks Debian version $1 into $CACHE/$1 once and
# prints the unpacked source directory.
fetch_source() {
  local ver="$1" dir="$CACHE/$1"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    # apt downloads as the _apt user when it can write the directory.
    if id _apt >/dev/null 2>&1; then chown _apt "$dir"; fi
    run_logged apt-source sh -c 'cd "$1" && apt-get source -q --only-source "pgvector=$2"' \
      sh "$dir" "$ver"
    touch "$dir/.complete"
  fi
  local src
  src="$(find "$dir" -mindepth 2 -maxdepth 2 -name Makefile -path '*/pgvector-*' | head -n 1)"
  [ -n "$src" ] || die "no unpacked pgvector source with a Makefile in $dir"
  dirname "$src"
}

# build compiles and installs the source in $1. OPTFLAGS is emptied, as in
# Debian's packaging, so the result does not depend on this machine's CPU.
build() {
  local src="$1"
  local -a mk=(make -C "$src" "PG_CONFIG=$PG_CONFIG" OPTFLAGS=)
  run_logged make-clean "${mk[@]}" clean
  run_logged make "${mk[@]}" -j "$(nproc)"
  run_logged make-install "${mk[@]}" install
}

main() {
  if installed; then
    log "pgvector $(installed_version) already installed for $("$PG_CONFIG" --version)"
    exit 0
  fi
  [ "$(id -u)" -eq 0 ] || die "pgvector is not installed and installing it needs root"
  [ -x "$PG_CONFIG" ] || die "$PG_CONFIG not found: install postgresql-15 first"
  mkdir -p "$CACHE/logs"
  exec 9>"$CACHE/.lock"
  flock 9
  if installed; then # another run finished while we waited for the lock
    log "pgvector $(installed_version) installed by a concurrent run"
    exit 0
  fi
  local start=$SECONDS ver src
  add_source
  run_logged apt-update apt-get update -q
  install_build_deps
  ver="$(source_version)"
  log "fetching pgvector source $ver from $SUITE into $CACHE/$ver"
  src="$(fetch_source "$ver")"
  log "building $src against $("$PG_CONFIG" --version)"
  build "$src"
  installed || die "make install finished but vector.control or vector.so is missing"
  log "pgvector $(installed_version) installed in $((SECONDS - start))s"
}

main "$@"

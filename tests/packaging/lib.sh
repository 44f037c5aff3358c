# Shared by the packaging tests: where the packages are, and how to fail.
# shellcheck shell=bash
#
# The tests get, from tests/packaging/CMakeLists.txt:
#   HANDOFF_BUILD_DIR      the build tree cpack packs
#   HANDOFF_DEB_DIR        where build-debs.sh leaves the .deb files
#   HANDOFF_APP_ID         the desktop app's id (desktop entry, AppStream)
#   HANDOFF_PACKAGES       the packages this build must produce

set -euo pipefail

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
note() { printf '%s\n' "$*" >&2; }

: "${HANDOFF_DEB_DIR:?}"

# The .deb file of package $1; fails when it was not built.
deb_of() {
    local package="$1" found=()
    shopt -s nullglob
    found=("$HANDOFF_DEB_DIR/${package}_"*.deb)
    shopt -u nullglob
    [ ${#found[@]} -eq 1 ] || fail "expected one ${package}_*.deb in $HANDOFF_DEB_DIR, found ${#found[@]}"
    printf '%s\n' "${found[0]}"
}

# Commands run when the test ends, last registered first (then temporary
# folders are removed).
HANDOFF_ON_EXIT=()
HANDOFF_TEMP_DIRS=()
on_exit() { HANDOFF_ON_EXIT+=("$*"); }
run_exit_handlers() {
    local i dir
    for ((i = ${#HANDOFF_ON_EXIT[@]} - 1; i >= 0; i--)); do
        eval "${HANDOFF_ON_EXIT[i]}" || true
    done
    for dir in "${HANDOFF_TEMP_DIRS[@]}"; do rm -rf "$dir"; done
}
trap run_exit_handlers EXIT

# A fresh temporary folder, removed when the test ends. Sets $REPLY (a command
# substitution would run in a subshell and forget the folder).
make_temp_dir() {
    REPLY="$(mktemp -d "${TMPDIR:-/tmp}/handoff-packaging.XXXXXX")"
    HANDOFF_TEMP_DIRS+=("$REPLY")
}

# Unpacks package $1 into folder $2, as dpkg would install its files.
extract_package() {
    dpkg-deb -x "$(deb_of "$1")" "$2"
}

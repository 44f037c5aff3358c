#!/usr/bin/env bash
# Fixture: builds the DEB packages of this build tree with CPack into
# $HANDOFF_DEB_DIR, and checks that every package this build should make is there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${HANDOFF_BUILD_DIR:?}" "${HANDOFF_PACKAGES:?}"

[ -f "$HANDOFF_BUILD_DIR/CPackConfig.cmake" ] \
    || fail "no CPackConfig.cmake in $HANDOFF_BUILD_DIR: is include(cmake/Packaging.cmake) in CMakeLists.txt?"

rm -rf "$HANDOFF_DEB_DIR"
mkdir -p "$HANDOFF_DEB_DIR"
cd "$HANDOFF_BUILD_DIR"
# Packages should not depend on who builds them: a usual umask, C locale.
umask 022
LC_ALL=C cpack -G DEB --config "$HANDOFF_BUILD_DIR/CPackConfig.cmake" -B "$HANDOFF_DEB_DIR" \
    || fail "cpack -G DEB failed"

for package in $HANDOFF_PACKAGES; do
    deb="$(deb_of "$package")"
    note "built $(basename "$deb")"
done
# Keep only the packages: the staging trees are large.
rm -rf "$HANDOFF_DEB_DIR/_CPack_Packages"

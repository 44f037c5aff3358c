#!/usr/bin/env bash
# lintian reports no error on package $1. Warnings and the rest are printed for
# people to read; an override is only allowed in the package's own
# installers/linux/<package>.lintian-overrides, each with its reason.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
package="${1:?package name}"
deb="$(deb_of "$package")"

set +e
output="$(lintian --fail-on error --display-info --tag-display-limit 0 "$deb" 2>&1)"
status=$?
set -e
printf '%s\n' "$output"
if printf '%s\n' "$output" | grep -q '^E: '; then
    fail "lintian reports errors on $package"
fi
[ $status -eq 0 ] || fail "lintian exited with $status on $package"
note "lintian: no errors on $package"

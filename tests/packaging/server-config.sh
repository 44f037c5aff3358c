#!/usr/bin/env bash
# The packaged handoff-server accepts the packaged /etc/handoff/server.conf: run
# from the unpacked package with that file (and a scratch data folder), it
# resolves the configuration, passes its crypto self-test, opens a new database
# and lists its (no) API keys.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
make_temp_dir
work="$REPLY"
root="$work/root"
extract_package handoff-server "$root"
config="$root/etc/handoff/server.conf"
[ -f "$config" ] || fail "no /etc/handoff/server.conf in the package"

export HOME="$work/home" XDG_DATA_HOME="$work/data-home" XDG_CONFIG_HOME="$work/config-home"
set +e
output="$(timeout 60 "$root/usr/bin/handoff-server" --config "$config" --data-dir "$work/data" keys list 2>&1)"
status=$?
set -e
printf '%s\n' "$output"
[ $status -eq 0 ] || fail "handoff-server --config server.conf keys list exited $status"
[ -n "$(find "$work/data" -type f 2>/dev/null)" ] || fail "no database was made in the data folder"
note "the packaged server accepts the packaged configuration"

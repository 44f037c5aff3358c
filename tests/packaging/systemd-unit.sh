#!/usr/bin/env bash
# The handoff-server systemd unit, as installed: `systemd-analyze verify` passes
# with nothing to remark, and its sandbox keeps the exposure score low.
# The unit is checked with its ExecStart moved into the unpacked package (the
# program is not installed on this machine) and the package's man pages on
# MANPATH (verify checks the Documentation= pages).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
make_temp_dir
work="$REPLY"
root="$work/root"
extract_package handoff-server "$root"
unit="$root/lib/systemd/system/handoff-server.service"
[ -f "$unit" ] || fail "no unit in the package"
[ -x "$root/usr/bin/handoff-server" ] || fail "no /usr/bin/handoff-server in the package"

grep -q '^ExecStart=/usr/bin/handoff-server ' "$unit" || fail "ExecStart does not run /usr/bin/handoff-server"
relocated="$work/handoff-server.service"
sed "s|^ExecStart=/usr/bin/handoff-server|ExecStart=$root/usr/bin/handoff-server|" "$unit" >"$relocated"

set +e
output="$(MANPATH="$root/usr/share/man" systemd-analyze verify "$relocated" 2>&1)"
status=$?
set -e
[ $status -eq 0 ] || fail "systemd-analyze verify exited $status: $output"
[ -z "$output" ] || fail "systemd-analyze verify has remarks: $output"

# The exposure score (0 = locked down, 10 = unprotected); ours is about 1.5.
score_line="$(systemd-analyze security --offline=yes "$relocated" 2>&1 | grep 'Overall exposure level')" || true
note "${score_line:-no exposure score}"
systemd-analyze security --offline=yes --threshold=20 "$relocated" >/dev/null 2>&1 \
    || fail "the unit's exposure score is above 2.0: $score_line"

# Runs as its own user, made by sysusers.d, with a state directory.
grep -qx 'User=handoff' "$unit" || fail "the unit does not run as user handoff"
# systemd-sysusers, as the postinst calls it, makes that user (here in a scratch root).
mkdir -p "$work/sysroot/etc"
systemd-sysusers --root="$work/sysroot" "$root/usr/lib/sysusers.d/handoff-server.conf" >/dev/null 2>&1 \
    || fail "systemd-sysusers rejects the package's sysusers.d file"
grep -q '^handoff:x:[0-9]*:[0-9]*:[^:]*:/var/lib/handoff:/usr/sbin/nologin$' "$work/sysroot/etc/passwd" \
    || fail "systemd-sysusers did not make a system user handoff: $(cat "$work/sysroot/etc/passwd")"
grep -qx 'StateDirectory=handoff' "$unit" || fail "no StateDirectory=handoff"
note "systemd unit: verified"

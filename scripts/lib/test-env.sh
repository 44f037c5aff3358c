#!/usr/bin/env bash
# Runs a command inside the environment the test suites need, made fresh each time:
#   - a fresh, private HOME and XDG folders (no state leaks in or out),
#   - an Xvfb display with a system-tray host (trayer), so QSystemTrayIcon works,
#   - a D-Bus session bus with an unlocked gnome-keyring, so QtKeychain reaches a
#     real Secret Service.
# Everything it starts ends when the command ends.
#
#   scripts/lib/test-env.sh <command> [args...]
set -euo pipefail

if [ -z "${HANDOFF_TEST_ENV_INNER:-}" ]; then
    workdir="$(mktemp -d "${TMPDIR:-/tmp}/handoff-test-env.XXXXXX")"
    mkdir -p "$workdir/home" "$workdir/runtime"
    chmod 700 "$workdir/runtime"
    cleanup() {
        [ -n "${tray_pid:-}" ] && kill "$tray_pid" 2>/dev/null || true
        [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
        wait 2>/dev/null || true
        rm -rf "$workdir"
    }
    trap cleanup EXIT

    # Xvfb picks a free display number itself and tells us which one.
    exec 5<> <(:)
    Xvfb -displayfd 5 -screen 0 1920x1080x24 -nolisten tcp >"$workdir/xvfb.log" 2>&1 5>&5 &
    xvfb_pid=$!
    display=""
    # Up to 30 s: on a loaded two-core machine it has once taken longer than 10.
    for _ in $(seq 1 300); do
        if read -r -t 0.1 display <&5 && [ -n "$display" ]; then break; fi
    done
    [ -n "$display" ] || { cat "$workdir/xvfb.log" >&2; echo "error: Xvfb did not start" >&2; exit 1; }
    export DISPLAY=":$display"

    export HOME="$workdir/home"
    export XDG_RUNTIME_DIR="$workdir/runtime"
    export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
    mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

    trayer --edge bottom --align right --widthtype pixel --width 200 --height 32 >"$workdir/trayer.log" 2>&1 &
    tray_pid=$!

    export HANDOFF_TEST_ENV_INNER=1
    set +e
    dbus-run-session -- "$0" "$@"
    status=$?
    set -e
    exit $status
fi

# Inside the D-Bus session: an unlocked login keyring for the Secret Service.
eval "$(printf 'handoff-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
exec "$@"

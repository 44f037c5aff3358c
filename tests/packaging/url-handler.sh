#!/usr/bin/env bash
# handoff:// links reach the packaged app. The handoff package is unpacked into
# a temporary root, as dpkg would install it, and looked at from a fresh desktop
# session of our own (temporary HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, runtime
# folder; no desktop environment, so xdg-utils use the freedesktop.org files):
#
#   1. after the desktop database update that dpkg triggers on install,
#      `xdg-mime query default x-scheme-handler/handoff` names our desktop entry;
#   2. `xdg-open handoff://s/sess_...?server=...#t=...` starts the packaged
#      /usr/bin/handoff with exactly that link, and the app receives it: its log
#      (QT_LOGGING_RULES="handoff.*=true") names the link's session;
#   3. a second `xdg-open` of another link starts a second process, which hands
#      the link to the first through the single-instance channel and exits 0;
#      the first one's log names the second session;
#   4. the log never holds a viewer token.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${HANDOFF_APP_ID:?}"
make_temp_dir
work="$REPLY"
root="$work/root"
extract_package handoff "$root"
binary="$(realpath "$root/usr/bin/handoff")"
[ -x "$binary" ] || fail "the package has no /usr/bin/handoff"

# What desktop-file-utils' dpkg trigger does when a package adds a desktop entry.
update-desktop-database "$root/usr/share/applications"

export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work/runtime"
export XDG_CONFIG_DIRS="$work/etc-xdg" XDG_DATA_DIRS="$root/usr/share:/usr/share"
export TMPDIR="$work/tmp"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" \
         "$XDG_RUNTIME_DIR" "$XDG_CONFIG_DIRS" "$TMPDIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset XDG_CURRENT_DESKTOP XDG_SESSION_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION KDE_SESSION_VERSION \
      GNOME_DESKTOP_SESSION_ID MATE_DESKTOP_SESSION_ID XDG_MENU_PREFIX BROWSER HANDOFF_INSTANCE_DIR
export PATH="$root/usr/bin:$PATH"
# xdg-open hands a link to a scheme handler only when it sees a display. The test
# command provides Xvfb; run by hand without one, the app draws offscreen.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    export DISPLAY=":handoff-test-no-display" QT_QPA_PLATFORM=offscreen
fi

# 1. The desktop entry is the default handler.
default="$(xdg-mime query default x-scheme-handler/handoff)"
[ "$default" = "$HANDOFF_APP_ID.desktop" ] \
    || fail "xdg-mime query default x-scheme-handler/handoff says '$default', not $HANDOFF_APP_ID.desktop"
note "default handler of x-scheme-handler/handoff: $default"

random_base62() {
    local alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" out="" i
    for ((i = 0; i < $1; i++)); do out+="${alphabet:SRANDOM % 62:1}"; done
    printf '%s' "$out"
}
session1="sess_$(random_base62 24)"
session2="sess_$(random_base62 24)"
token1="$(random_base62 32)"
token2="$(random_base62 32)"
# A server on loopback where nothing listens: the app has not seen it before, so
# it asks whether to trust it and connects nowhere.
server="http%3A%2F%2F127.0.0.1%3A9"
link1="handoff://s/$session1?server=$server#t=$token1"
link2="handoff://s/$session2?server=$server#t=$token2"

log="$work/app.log"
export QT_LOGGING_RULES="handoff.*=true"

# 2. xdg-open starts the packaged app with the link. xdg-open waits for the app,
# so it runs in the background, in a process group of its own that ends with the test.
setsid xdg-open "$link1" >"$log" 2>&1 </dev/null &
opener=$!
on_exit "kill -TERM -- -$opener 2>/dev/null; sleep 1; kill -KILL -- -$opener 2>/dev/null; wait $opener 2>/dev/null"

app_pid=""
for _ in $(seq 1 300); do
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/exe" 2>/dev/null)" = "$binary" ] || continue
        mapfile -d '' -t argv <"$proc/cmdline" 2>/dev/null || continue
        if [ "${#argv[@]}" -eq 2 ] && [ "${argv[1]}" = "$link1" ]; then
            app_pid="${proc#/proc/}"
            break 2
        fi
    done
    kill -0 "$opener" 2>/dev/null || break
    sleep 0.1
done
[ -n "$app_pid" ] || { cat "$log" >&2; fail "xdg-open did not start $binary with the link"; }
note "xdg-open started the packaged app (pid $app_pid) with the link as its one argument"

received() { grep -qF "$1" "$log"; }
for _ in $(seq 1 300); do
    received "$session1" && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.1
done
received "$session1" || { cat "$log" >&2; fail "the app's log does not show that it received $session1"; }
kill -0 "$app_pid" 2>/dev/null || { cat "$log" >&2; fail "the app exited after receiving the link"; }
note "the app received the link"

# 3. A second link goes to the running app through the single-instance channel.
set +e
timeout 60 xdg-open "$link2" >"$work/second.log" 2>&1 </dev/null
status=$?
set -e
[ $status -eq 0 ] || { cat "$log" "$work/second.log" >&2; fail "the second xdg-open exited $status, not 0"; }
for _ in $(seq 1 100); do
    received "$session2" && break
    sleep 0.1
done
received "$session2" || { cat "$log" "$work/second.log" >&2; fail "the running app's log does not show the second link"; }
kill -0 "$app_pid" 2>/dev/null || fail "the first instance is gone"
note "the second link reached the running app"

# 4. Tokens stay out of logs.
if grep -qF -e "$token1" -e "$token2" "$log" "$work/second.log"; then
    fail "the app's log holds a viewer token"
fi
note "the log holds no token"

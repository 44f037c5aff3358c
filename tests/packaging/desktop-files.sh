#!/usr/bin/env bash
# The desktop entry and AppStream metainfo of the handoff package, as installed:
# desktop-file-validate and appstreamcli validate --no-net pass without a
# warning, the entry opens handoff:// links with the app, and the icon it names
# is installed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${HANDOFF_APP_ID:?}"
make_temp_dir
root="$REPLY/root"
extract_package handoff "$root"

desktop="$root/usr/share/applications/$HANDOFF_APP_ID.desktop"
metainfo="$root/usr/share/metainfo/$HANDOFF_APP_ID.metainfo.xml"
[ -f "$desktop" ] || fail "no desktop entry $HANDOFF_APP_ID.desktop"
[ -f "$metainfo" ] || fail "no metainfo $HANDOFF_APP_ID.metainfo.xml"

output="$(desktop-file-validate "$desktop" 2>&1)" || fail "desktop-file-validate: $output"
[ -z "$output" ] || fail "desktop-file-validate has remarks: $output"

appstreamcli validate --no-net --explain "$metainfo" || fail "appstreamcli validate failed"

key() { sed -n "s/^$1=//p" "$desktop"; }
[ "$(key Exec)" = "handoff %u" ] || fail "Exec is '$(key Exec)', not 'handoff %u'"
case ";$(key MimeType);" in
    *";x-scheme-handler/handoff;"*) ;;
    *) fail "MimeType '$(key MimeType)' lacks x-scheme-handler/handoff" ;;
esac
icon="$(key Icon)"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "the icon '$icon' is not installed"
grep -q "<launchable type=\"desktop-id\">$HANDOFF_APP_ID.desktop</launchable>" "$metainfo" \
    || fail "the metainfo does not launch $HANDOFF_APP_ID.desktop"
note "desktop entry and metainfo: valid"

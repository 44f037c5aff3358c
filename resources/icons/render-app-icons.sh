#!/usr/bin/env bash
# Renders the PNGs the desktop app embeds (handoff.qrc) from their SVG sources in
# this folder: the app and tray icon from handoff.svg, the lock and warning marks
# from lock.svg and warning.svg, each at 1x and 2x for HiDPI screens. The PNGs are
# committed, so a build needs no SVG renderer (Qt's SVG module is not required);
# run this again (apt-get install librsvg2-bin) whenever an SVG changes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/png"
mkdir -p "$out"
command -v rsvg-convert >/dev/null || { echo "error: rsvg-convert missing (apt-get install librsvg2-bin)" >&2; exit 1; }

for size in 16 22 24 32 48 64 128 256; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$here/handoff.svg" --output "$out/handoff-$size.png"
done
for name in lock warning; do
    rsvg-convert --width 16 --height 16 "$here/$name.svg" --output "$out/$name.png"
    rsvg-convert --width 32 --height 32 "$here/$name.svg" --output "$out/$name@2x.png"
done
echo "wrote $(ls "$out" | wc -l) PNGs into $out"

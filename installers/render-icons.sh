#!/usr/bin/env bash
# Renders the Windows and macOS icon files from the one SVG source,
# resources/icons/handoff.svg, into resources/icons/handoff.ico and handoff.icns.
# Those two are committed, so that a Windows or macOS build needs no SVG renderer;
# run this again (on Linux, with librsvg2-bin, imagemagick and python3) whenever the
# SVG changes. The Linux PNG sizes are rendered at build time (cmake/Packaging.cmake).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
svg="$root/resources/icons/handoff.svg"
out="$root/resources/icons"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v rsvg-convert >/dev/null || { echo "error: rsvg-convert missing (apt-get install librsvg2-bin)" >&2; exit 1; }
command -v convert >/dev/null || { echo "error: convert missing (apt-get install imagemagick)" >&2; exit 1; }

for size in 16 24 32 48 64 128 256 512 1024; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$svg" --output "$work/$size.png"
done

# Windows: one .ico holding the sizes the shell asks for (256 is stored as PNG).
convert "$work/16.png" "$work/24.png" "$work/32.png" "$work/48.png" "$work/64.png" "$work/256.png" "$out/handoff.ico"

# macOS: an .icns is a list of (four-character type, length, PNG data) entries.
python3 - "$work" "$out/handoff.icns" <<'PY'
import struct, sys
work, target = sys.argv[1], sys.argv[2]
# type -> pixel size of the PNG it holds (the @2x types reuse the larger renderings)
entries = [(b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
           (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512)]
body = b""
for kind, size in entries:
    with open(f"{work}/{size}.png", "rb") as f:
        data = f.read()
    body += kind + struct.pack(">I", len(data) + 8) + data
with open(target, "wb") as f:
    f.write(b"icns" + struct.pack(">I", len(body) + 8) + body)
PY
echo "wrote $out/handoff.ico and $out/handoff.icns"

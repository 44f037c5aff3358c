#!/usr/bin/env bash
# What package $1 holds and declares, checked against what Debian and this
# project promise: the program (stripped, 0755), its man page, copyright and
# changelog; root-owned files with standard modes; a Depends field naming the
# package of every shared library the program links (found by dpkg-shlibdeps);
# and each package's own files (desktop entry, icons, metainfo; systemd unit,
# sysusers entry, conffile, maintainer scripts).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
package="${1:?package name}"
deb="$(deb_of "$package")"
make_temp_dir
root="$REPLY/root"
control="$REPLY/control"
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$control"

errors=0
problem() { printf 'problem: %s\n' "$*" >&2; errors=$((errors + 1)); }
need_file() { [ -f "$root$1" ] || problem "$package lacks $1"; }

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "$package" ] || problem "Package field is '$(field Package)'"
depends="$(field Depends)"
note "Depends: $depends"

# Ownership and modes: root:root; directories 0755; files 0644, programs and
# maintainer scripts 0755.
while read -r mode owner _size _date _time path; do
    [ "$owner" = "root/root" ] || problem "$path is owned by $owner"
    case "$mode" in
        d*) [ "$mode" = "drwxr-xr-x" ] || problem "directory $path has mode $mode" ;;
        -*) case "$path" in
                ./usr/bin/*) [ "$mode" = "-rwxr-xr-x" ] || problem "$path has mode $mode" ;;
                *) [ "$mode" = "-rw-r--r--" ] || problem "$path has mode $mode" ;;
            esac ;;
        *) problem "$path is neither a file nor a directory ($mode)" ;;
    esac
done < <(dpkg-deb -c "$deb")

# The program: present, stripped, and every library it links is depended on.
program="/usr/bin/$package"
need_file "$program"
if [ -f "$root$program" ]; then
    file -b "$root$program" | grep -q ', stripped' || problem "$program is not stripped: $(file -b "$root$program")"
    missing="$(ldd "$root$program" | grep 'not found' || true)"
    [ -z "$missing" ] || problem "$program needs libraries this system lacks: $missing"
    # Each library it links directly, where the dynamic linker finds it, and the
    # package that holds it.
    while read -r soname path; do
        owner="$( (dpkg -S "$path" || dpkg -S "$(realpath "$path")") 2>/dev/null | head -n 1 | cut -d: -f1 || true)"
        [ -n "$owner" ] || { problem "no installed package holds $soname ($path)"; continue; }
        printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//;s/ .*//;s/|.*//' | grep -qx "$owner" \
            || problem "$program links $soname (package $owner) but Depends does not name $owner"
    done < <(ldd "$root$program" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' \
             | grep -F -f <(readelf -d "$root$program" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'))
fi

# Documentation every Debian package carries.
need_file "/usr/share/doc/$package/copyright"
changelog="$root/usr/share/doc/$package/changelog.Debian.gz"
if [ -f "$changelog" ]; then
    version="$(field Version)"
    head_line="$(gzip -dc "$changelog" | head -n 1)"
    case "$head_line" in
        "$package ($version) "*) ;;
        *) problem "changelog.Debian.gz starts '$head_line', not '$package ($version) ...'" ;;
    esac
else
    problem "$package lacks /usr/share/doc/$package/changelog.Debian.gz"
fi
shopt -s nullglob
pages=("$root"/usr/share/man/man[18]/"$package".[18].gz)
shopt -u nullglob
[ ${#pages[@]} -eq 1 ] || problem "$package has no man page $package.1.gz or $package.8.gz"

case "$package" in
handoff)
    need_file "/usr/share/applications/$HANDOFF_APP_ID.desktop"
    need_file "/usr/share/metainfo/$HANDOFF_APP_ID.metainfo.xml"
    need_file "/usr/share/icons/hicolor/scalable/apps/handoff.svg"
    for size in 16 22 24 32 48 64 128 256 512; do
        png="/usr/share/icons/hicolor/${size}x${size}/apps/handoff.png"
        need_file "$png"
        [ -f "$root$png" ] && { file -b "$root$png" | grep -q "PNG image data, $size x $size," \
            || problem "$png is $(file -b "$root$png")"; }
    done
    for library in libqt6widgets6 libqt6network6; do
        printf '%s\n' "$depends" | grep -q "$library" || problem "Depends lacks $library"
    done
    ;;
handoff-server)
    need_file /lib/systemd/system/handoff-server.service
    need_file /usr/lib/sysusers.d/handoff-server.conf
    need_file /etc/handoff/server.conf
    grep -qx /etc/handoff/server.conf "$control/conffiles" 2>/dev/null || problem "server.conf is not a conffile"
    for script in postinst prerm postrm; do
        [ -x "$control/$script" ] || problem "no executable $script"
        sh -n "$control/$script" || problem "$script is not valid sh"
    done
    printf '%s\n' "$depends" | grep -q 'libqt6sql6-sqlite' || problem "Depends lacks libqt6sql6-sqlite (the SQLite plugin)"
    ;;
handoff-agent) ;;
*) fail "unknown package $package" ;;
esac

printf '%s\n' "$depends" | grep -q 'libqt6core6' || problem "Depends lacks libqt6core6"
printf '%s\n' "$depends" | grep -q 'libssl3' || problem "Depends lacks libssl3 (libcrypto)"

[ $errors -eq 0 ] || fail "$errors problem(s) in $package"
note "contents of $package: as expected"

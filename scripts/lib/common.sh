# Shared by the scripts/ commands: where things are, and how to install what is missing.
# shellcheck shell=bash

HANDOFF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export HANDOFF_ROOT

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "installing packages needs root or sudo: run as root, or install: ${*: -1}"
    fi
}

# The Debian packages every part of Handoff needs to build, test and run its demo.
HANDOFF_DEBIAN_PACKAGES=(
    build-essential cmake ninja-build pkg-config git ccache libbenchmark-dev
    clang libclang-rt-14-dev
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev qtkeychain-qt6-dev
    libqt6sql6-sqlite libssl-dev libturbojpeg0-dev
    nodejs npm
    xvfb xauth x11-utils trayer dbus dbus-x11 gnome-keyring libsecret-tools
    chromium imagemagick procps curl python3
    lintian desktop-file-utils appstream xdg-utils systemd librsvg2-bin dpkg-dev fakeroot file
)

# Installs the packages of the list above that are not installed yet. Idempotent:
# when everything is there it asks nothing of apt.
ensure_debian_packages() {
    local missing=()
    local package
    for package in "${HANDOFF_DEBIAN_PACKAGES[@]}"; do
        if [ "$package" = nodejs ] || [ "$package" = npm ]; then
            # Node may come from elsewhere (nvm, NodeSource); any Node >= 20 will do.
            if command -v node >/dev/null 2>&1 && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
                continue
            fi
        fi
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    say "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# npm packages for the interop tests, into tests/interop/node_modules (never global),
# at the versions package-lock.json pins.
ensure_npm_packages() {
    local dir="$HANDOFF_ROOT/tests/interop"
    [ -f "$dir/package.json" ] || return 0
    if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
        return 0
    fi
    say "Installing npm packages for the interop tests into tests/interop/node_modules"
    (cd "$dir" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
}

# Configures and builds into $1 with the extra CMake arguments that follow.
build_tree() {
    local build_dir="$1"
    shift
    local launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    say "Configuring $build_dir"
    cmake -S "$HANDOFF_ROOT" -B "$build_dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
    say "Building $build_dir"
    cmake --build "$build_dir" --parallel "$(nproc)"
}

# The test tree in $1 (scripts/test, and scripts/fuzz seeds), with the extra CMake
# arguments that follow: sanitizers, warnings as errors, the tests. Line tables
# only (-g1): all a sanitizer report needs for file:line, and a tenth off the
# compile of a cold tree; build a tree of your own for a debugger.
build_test_tree() {
    local build_dir="$1"
    shift
    build_tree "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
        -DHANDOFF_SANITIZE=ON -DHANDOFF_WERROR=ON -DHANDOFF_BUILD_TESTS=ON "$@"
}

# The libFuzzer targets of fuzz/ in a clang tree of their own (only the sources the
# parsers need), shared by scripts/fuzz and scripts/test. Prints nothing; the
# programs land in "$(fuzz_build_dir)/bin".
fuzz_build_dir() {
    printf '%s\n' "${HANDOFF_FUZZ_BUILD_DIR:-$HANDOFF_ROOT/build/fuzz}"
}
build_fuzz_tree() {
    command -v clang++ >/dev/null 2>&1 || die "clang++ is missing (Debian package clang)"
    build_tree "$(fuzz_build_dir)" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DHANDOFF_BUILD_FUZZ=ON \
        -DHANDOFF_BUILD_TESTS=OFF
}

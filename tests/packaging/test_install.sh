#!/usr/bin/env bash
# make install into a temporary staging directory, then use the installed
# copy the way a user would: pkg-config finds it, examples/c/quickstart.c
# builds against it (shared, then static with pkg-config --static) and runs,
# and the shared library carries its soname and exports only cs_* symbols.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=/opt/compushady-test
stage="$tmp/stage"
libdir="$stage$prefix/lib"
passed=0

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; passed=$((passed + 1)); }

make -s install PREFIX="$prefix" DESTDIR="$stage" >/dev/null

for f in include/compushady.h lib/libcompushady.a lib/pkgconfig/compushady.pc \
        lib/libcompushady.so lib/libcompushady.so.0; do
    [ -e "$stage$prefix/$f" ] || fail "make install did not install $f"
done
[ -L "$libdir/libcompushady.so" ] && [ -L "$libdir/libcompushady.so.0" ] ||
    fail "libcompushady.so and .so.0 should be links to the versioned file"
real=$(readlink -f "$libdir/libcompushady.so")
[[ "$(basename "$real")" =~ ^libcompushady\.so\.[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    fail "libcompushady.so resolves to $(basename "$real")"
ok "installed files and links ($(basename "$real"))"

soname=$(readelf -d "$real" | grep SONAME || true)
echo "$soname" | grep -q '\[libcompushady\.so\.0\]' ||
    fail "soname: got '$soname', expected libcompushady.so.0"
ok "soname libcompushady.so.0"

others=$(nm -D --defined-only "$real" | awk '$2 ~ /[TDBRVW]/ && $3 !~ /^cs_/ \
    && $3 !~ /^_(init|fini|edata|end|_bss_start)$/ { print $3 }' | head -n 5)
[ -z "$others" ] || fail "exports symbols besides cs_*: $others"
ok "exports only cs_* symbols"

export PKG_CONFIG_PATH="$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
version=$(pkg-config --modversion compushady)
header_version=$(awk '/define CS_VERSION_(MAJOR|MINOR|PATCH)/ \
    { v = v (v == "" ? "" : ".") $3 } END { print v }' include/compushady.h)
[ "$version" = "$header_version" ] ||
    fail "pkg-config version $version, header $header_version"
flags=$(echo $(pkg-config --cflags --libs compushady))
[ "$flags" = "-I$stage$prefix/include -L$libdir -lcompushady" ] ||
    fail "pkg-config --cflags --libs: $flags"
ok "pkg-config compushady $version: $flags"

# shared: the installed header and library only (not include/ or build/)
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror examples/c/quickstart.c -o "$tmp/quickstart" \
    $(pkg-config --cflags --libs compushady)
readelf -d "$tmp/quickstart" | grep NEEDED | grep -q 'libcompushady\.so\.0' ||
    fail "quickstart does not need libcompushady.so.0"
output=$(LD_LIBRARY_PATH="$libdir" "$tmp/quickstart")
echo "$output" | grep -q "0 1 4 9 16 25 36 49" ||
    fail "quickstart (shared) printed: $output"
ok "quickstart built with pkg-config against the shared library runs"

# static: libcompushady.a plus Libs.private
static_libs=$(pkg-config --static --libs-only-l compushady | sed 's/-lcompushady //')
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror examples/c/quickstart.c \
    -o "$tmp/quickstart-static" $(pkg-config --cflags compushady) \
    $(pkg-config --static --libs-only-L compushady) \
    -Wl,-Bstatic -lcompushady -Wl,-Bdynamic $static_libs
if readelf -d "$tmp/quickstart-static" | grep NEEDED | grep -q compushady; then
    fail "the static quickstart still needs libcompushady.so"
fi
output=$(env -u LD_LIBRARY_PATH "$tmp/quickstart-static")
echo "$output" | grep -q "0 1 4 9 16 25 36 49" ||
    fail "quickstart (static) printed: $output"
ok "quickstart linked statically with pkg-config --static runs"

echo "$passed passed, 0 failed"

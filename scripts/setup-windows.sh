#!/usr/bin/env bash
# Installs what the Windows build and its tests need on Debian: MinGW-w64
# (the win32 thread model: the library has its own threads layer), Wine
# (64-bit) and Xvfb. Safe to run again: it installs only what is missing.
set -euo pipefail

APT_PACKAGES=(gcc-mingw-w64-x86-64-win32 mingw-w64-x86-64-dev
    binutils-mingw-w64-x86-64 wine wine64 xvfb)

missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
        grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup-windows: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
fi

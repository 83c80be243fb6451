#!/usr/bin/env bash
# Installs what the Windows build and its tests need on Debian: MinGW-w64
# (the win32 thread model: the library has its own threads layer), Wine
# (64-bit) and Xvfb. Safe to run again: it installs only what is missing.
set -euo pipefail
# shellcheck source=scripts/apt-install-missing.sh
. "$(dirname "$0")/apt-install-missing.sh"

APT_PACKAGES=(gcc-mingw-w64-x86-64-win32 mingw-w64-x86-64-dev
    binutils-mingw-w64-x86-64 wine wine64 xvfb)

apt_install_missing setup-windows "${APT_PACKAGES[@]}"

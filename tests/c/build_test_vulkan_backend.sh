#!/bin/sh
# Builds the Vulkan backend's direct test with ASan+UBSan into build/.
# Run from the repository root.
set -e
mkdir -p build
gcc -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=address,undefined \
    -fno-omit-frame-pointer -Iinclude src/backends/vulkan/*.c \
    src/core/errors.c tests/c/test_vulkan_backend.c -lvulkan -lpthread \
    -o build/test_vulkan_backend

#!/usr/bin/env bash
# The Python suite's backend-neutral files again on the OpenGL backend
# (llvmpipe here, through EGL), with GL debug output collected as the
# validation messages are on Vulkan: a GL error fails the test. Tests of
# heaps skip on the device's supports_heaps (GL has none). Left to the
# Vulkan pass: files that test Vulkan itself (its loader, pipeline cache,
# swapchains) and the slow packaging, fork and stress runs. Deselected
# below: formats GL has no image unit or buffer texture for (RGB32, sRGB
# and BGRA images; SNORM, packed 10-bit, sRGB and BGRA texel buffers),
# whose creation raises a clear error instead, and two cases about
# llvmpipe's behaviour. Then the C tests that are not about heaps, sparse
# resources or Vulkan (tests/c/harness.h opens the backend
# COMPUSHADY_BACKEND names), and the original compushady's suite without
# its heap, sparse and bindless tests. About 30 s on llvmpipe.
set -euo pipefail
cd "$(dirname "$0")/.."
export COMPUSHADY_BACKEND=opengl
FILES=(opengl opengl_glsl compute buffer buffer_formats copy copy_rules sampler
    texture1d texture2d texture3d texture_regions texture_formats
    typed_buffer batch batch_threads threads numpy layout shaders
    glsl_dialects hlsl_wave input_mutation memory_bounds device
    reflect_names fuzz_api wgsl device_lost heap sparse leaks pickle
    bad_input kernels bindless shader_formats shader_limits backends cli
    native_arguments signatures cross_compile fork)
args=()
for file in "${FILES[@]}"; do args+=("tests/python/test_$file.py"); done
deselect=(
    "test_texture_formats.py::test_uav_write_every_format[R32G32B32_FLOAT]"
    "test_texture_formats.py::test_uav_write_every_format[R32G32B32_UINT]"
    "test_texture_formats.py::test_uav_write_every_format[R32G32B32_SINT]"
    "test_texture_formats.py::test_uav_write_every_format[R8G8B8A8_UNORM_SRGB]"
    "test_texture_formats.py::test_uav_write_every_format[B8G8R8A8_UNORM]"
    "test_texture_formats.py::test_uav_write_every_format[B8G8R8A8_UNORM_SRGB]"
    "test_texture_formats.py::test_uav_without_format_write_works_read_fails_clearly"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R16G16B16A16_SNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R10G10B10A2_UNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R10G10B10A2_UINT]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R8G8B8A8_SNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R16G16_SNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R8G8_SNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R16_SNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[R8_SNORM]"
    "test_typed_buffer.py::test_typed_buffer_roundtrip[B8G8R8A8_UNORM]"
    "test_typed_buffer.py::test_no_spirv_format_uav"
    "test_typed_buffer.py::test_read_only_typed_buffer[B8G8R8A8_UNORM]"
    "test_typed_buffer.py::test_read_only_typed_buffer[B8G8R8A8_UNORM_SRGB]"
    "test_typed_buffer.py::test_read_only_typed_buffer[R8G8B8A8_UNORM_SRGB]"
    "test_wgsl.py::test_bgra8unorm_storage_texture_writes_in_bgra_order"
    # llvmpipe's GL runs a dispatch to its end inside the call: nothing is
    # left running for a wait timeout to interrupt
    "test_device_lost.py::test_wait_timeout_raises_quickly"
    "test_shader_limits.py::test_texture_uav_and_typed_buffer_component_types[R32G32B32_FLOAT-float]"
    "test_shader_limits.py::test_texture_uav_and_typed_buffer_component_types[R32G32B32_UINT-uint]"
    "test_shader_limits.py::test_texture_uav_and_typed_buffer_component_types[R32G32B32_SINT-int]"
    "test_shader_limits.py::test_texture_uav_and_typed_buffer_component_types[R8G8B8A8_UNORM_SRGB-float]"
    "test_shader_limits.py::test_texture_uav_and_typed_buffer_component_types[B8G8R8A8_UNORM-float]"
    "test_shader_limits.py::test_texture_uav_and_typed_buffer_component_types[B8G8R8A8_UNORM_SRGB-float]"
    # llvmpipe's GL has R32G32B32 buffer textures, the case expects a
    # device without them
    "test_bad_input.py::test_bad_input[buffer-format-unsupported]"
)
for test in "${deselect[@]}"; do args+=(--deselect "tests/python/$test"); done
.venv/bin/python -m pytest -q "${args[@]}" "$@"

echo "== C tests on the OpenGL backend (those not about heaps, sparse, Vulkan)"
make -s -j2 build/tests/test_command_list build/tests/test_host_copy \
    build/tests/test_fork
for test in command_list host_copy fork; do
    echo "== build/tests/test_$test (opengl)"
    "build/tests/test_$test"
done
echo "== the original's suite on the OpenGL backend (GL has no heaps, sparse"
echo "   resources nor bindless: those tests are left out)"
tests/compat/run_original_head_suite.sh -k "not sparse and not bindless and not HeapTests"

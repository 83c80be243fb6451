"""Shader formats: each device says which it takes (Device.shader_formats,
the backend's own), the backend module reports it as the original's
SHADER_BINARY_TYPE_*, and a Compute's code may be SPIR-V or source the
library compiles (native create_compute(format=...)); on a device without
SPIR-V, Compute() passes non-SPIR-V bytes on as GLSL."""

import struct
import types

import pytest

import compushady
from compushady import _native
from compushady.shaders import hlsl

SOURCE_HLSL = """
RWStructuredBuffer<uint> output : register(u0);
[numthreads(8, 1, 1)]
void main(uint3 id : SV_DispatchThreadID) { output[id.x] = id.x * 5 + 2; }
"""
SOURCE_GLSL = """#version 450
layout(local_size_x = 8) in;
layout(std430, binding = 2048) buffer Output { uint output_[]; };
void main() { uint i = gl_GlobalInvocationID.x; output_[i] = i * 5u + 2u; }
"""
SOURCE_WGSL = """
@group(0) @binding(0) var<storage, read_write> output: array<u32>;
@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) { output[id.x] = id.x * 5u + 2u; }
"""
FORMATS = {
    "spirv": _native.SHADER_FORMAT_SPIRV,
    "glsl": _native.SHADER_FORMAT_GLSL,
    "hlsl": _native.SHADER_FORMAT_HLSL,
    "msl": _native.SHADER_FORMAT_MSL,
    "wgsl": _native.SHADER_FORMAT_WGSL,
}
COUNT = 32


def run_native(code, shader_format):
    device = compushady.get_current_device()
    output = compushady.Buffer(COUNT * 4, compushady.HEAP_DEFAULT, stride=4)
    readback = compushady.Buffer(COUNT * 4, compushady.HEAP_READBACK)
    compute = device.handle.create_compute(code, uav=[output.handle], format=shader_format)
    compute.dispatch(COUNT // 8, 1, 1)
    output.copy_to(readback)
    return list(struct.unpack("{0}I".format(COUNT), readback.readback(COUNT * 4)))


def test_formats_are_distinct_bits():
    values = list(FORMATS.values())
    assert all(value and value & (value - 1) == 0 for value in values)
    assert len(set(values)) == len(values)


def test_each_device_takes_a_format():
    for device in compushady.get_discovered_devices():
        assert device.shader_formats != 0
        if device.instance.backend_name == "vulkan":
            assert device.shader_formats == _native.SHADER_FORMAT_SPIRV


def test_backend_reports_what_the_device_takes():
    backend = compushady.get_backend()
    expected = backend.shader_binary_type_of(compushady.get_current_device().handle)
    assert backend.get_shader_binary_type() == expected
    if compushady.get_current_device().shader_formats & _native.SHADER_FORMAT_SPIRV:
        assert expected == compushady.SHADER_BINARY_TYPE_SPIRV


@pytest.mark.parametrize("formats, binary_type", [
    (FORMATS["spirv"], compushady.SHADER_BINARY_TYPE_SPIRV),
    (FORMATS["spirv"] | FORMATS["glsl"], compushady.SHADER_BINARY_TYPE_SPIRV),
    (FORMATS["glsl"], compushady.SHADER_BINARY_TYPE_GLSL),
    (FORMATS["glsl"] | FORMATS["msl"], compushady.SHADER_BINARY_TYPE_GLSL),
    (FORMATS["msl"], compushady.SHADER_BINARY_TYPE_MSL),
])
def test_binary_type_of_the_formats(formats, binary_type):
    device = types.SimpleNamespace(shader_formats=formats)
    assert compushady.get_backend().shader_binary_type_of(device) == binary_type


@pytest.mark.parametrize("code, shader_format", [
    (SOURCE_GLSL.encode(), FORMATS["glsl"]),
    (SOURCE_HLSL.encode(), FORMATS["hlsl"]),
    (SOURCE_WGSL.encode(), FORMATS["wgsl"]),
    (hlsl.compile(SOURCE_HLSL), FORMATS["spirv"]),
])
def test_compute_from_each_format(code, shader_format):
    assert run_native(code, shader_format) == [i * 5 + 2 for i in range(COUNT)]


def test_msl_and_unknown_formats_are_refused():
    device = compushady.get_current_device()
    output = compushady.Buffer(COUNT * 4, compushady.HEAP_DEFAULT, stride=4)
    with pytest.raises(compushady.ComputeException, match="cannot compile MSL"):
        device.handle.create_compute(b"kernel void main0() {}", uav=[output.handle],
                                     format=FORMATS["msl"])
    with pytest.raises(compushady.ComputeException, match="unknown shader format 64"):
        device.handle.create_compute(SOURCE_HLSL.encode(), uav=[output.handle], format=64)


def test_compute_on_a_device_without_spirv_passes_source_as_glsl():
    spirv = hlsl.compile(SOURCE_HLSL)
    glsl_only = types.SimpleNamespace(shader_formats=FORMATS["glsl"])
    msl_only = types.SimpleNamespace(shader_formats=FORMATS["msl"])
    spirv_device = compushady.get_current_device().handle
    assert compushady._shader_format(spirv, glsl_only) == FORMATS["spirv"]
    assert compushady._shader_format(bytearray(spirv), glsl_only) == FORMATS["spirv"]
    assert compushady._shader_format(SOURCE_GLSL.encode(), glsl_only) == FORMATS["glsl"]
    assert compushady._shader_format(SOURCE_GLSL.encode(), msl_only) == FORMATS["spirv"]
    assert compushady._shader_format(SOURCE_GLSL.encode(), spirv_device) == FORMATS["spirv"]
    assert compushady._shader_format(object(), glsl_only) == FORMATS["spirv"]

"""Shaders over the device's limits and resources whose texel type the
shader does not declare are refused at Compute() with a ComputeException
that names the limit or both types, before anything reaches the driver
(the validation layer, on in the suite, would report them otherwise); what
is within the limits runs and gives the right results.

Generated inputs: workgroup sizes around each limit, groupshared arrays
around maxComputeSharedMemorySize, every format x every HLSL component type
for textures (SRV, UAV) and typed buffers, every format x filter for
samplers.
"""

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import compushady as C
from compushady import formats as F
from compushady.shaders import hlsl

from helpers import read_buffer

DEVICE = C.get_current_device()
MAX_SIZE = DEVICE.max_compute_workgroup_size
MAX_THREADS = DEVICE.max_compute_workgroup_invocations
MAX_SHARED = DEVICE.max_compute_shared_memory_size

FORMATS = sorted(getattr(F, n) for n in dir(F)
                 if n.isupper() and isinstance(getattr(F, n), int) and F.get_pixel_size(getattr(F, n)))
NAMES = {getattr(F, n): n for n in dir(F) if n.isupper() and isinstance(getattr(F, n), int)}


def kind_of(fmt):
    suffix = NAMES[fmt].split("_", 1)[1]
    return {"UINT": "uint", "SINT": "int"}.get(suffix, "float")


def components(fmt):
    return sum(1 for c in NAMES[fmt].split("_")[0] if c in "RGBA")


def test_device_reports_the_limits():
    assert MAX_THREADS >= 128 and MAX_SHARED >= 16384
    assert all(size >= 1 for size in MAX_SIZE)


WORKGROUP = """
RWStructuredBuffer<uint> d : register(u0);
[numthreads({0}, {1}, {2})]
void main(uint index : SV_GroupIndex) {{ if (index == 0) d[0] = {0} * {1} * {2}; }}
"""


@settings(deadline=None, max_examples=12)
@given(st.tuples(st.integers(1, 2048), st.integers(1, 1100), st.integers(1, 80)))
def test_workgroup_size_against_the_limits(size):
    x, y, z = size
    out = C.Buffer(4, stride=4)
    shader = hlsl.compile(WORKGROUP.format(x, y, z))
    if any(n > limit for n, limit in zip(size, MAX_SIZE)):
        axis = "xyz"[[n > limit for n, limit in zip(size, MAX_SIZE)].index(True)]
        with pytest.raises(C.ComputeException,
                           match=r"workgroup is {0}x{1}x{2} threads .* in {3} exceeds the limit "
                                 r"of \d+ of device .*maxComputeWorkGroupSize".format(x, y, z, axis)):
            C.Compute(shader, uav=[out])
    elif x * y * z > MAX_THREADS:
        with pytest.raises(C.ComputeException,
                           match=r"workgroup is {0}x{1}x{2} = {3} threads .* more than the limit of "
                                 r"{4} .*maxComputeWorkGroupInvocations".format(x, y, z, x * y * z, MAX_THREADS)):
            C.Compute(shader, uav=[out])
    else:
        C.Compute(shader, uav=[out]).dispatch(1, 1, 1)
        assert struct.unpack("<I", read_buffer(out, 4))[0] == x * y * z


@pytest.mark.parametrize("size", [(1025, 1, 1), (64, 64, 4), (MAX_SIZE[0], 2, 1), (1, 1, MAX_SIZE[2] + 1)])
def test_issue_workgroups_are_refused(size):
    with pytest.raises(C.ComputeException, match=r"workgroup is {0}x{1}x{2}".format(*size)):
        C.Compute(hlsl.compile(WORKGROUP.format(*size)), uav=[C.Buffer(4, stride=4)])


SHARED = """
RWStructuredBuffer<uint> d : register(u0);
groupshared uint s[{0}];
groupshared uint t[{1}];
[numthreads(1, 1, 1)]
void main() {{ s[{0} - 1] = 7; t[{1} - 1] = 5; GroupMemoryBarrierWithGroupSync(); d[0] = s[{0} - 1] + t[{1} - 1]; }}
"""


@pytest.mark.parametrize("words", [1, MAX_SHARED // 8, MAX_SHARED // 4 - 1, MAX_SHARED // 4, 65536,
                                   MAX_SHARED // 4 + 1, 1 << 24])
def test_groupshared_memory_against_the_limit(words):
    out = C.Buffer(4, stride=4)
    shader = hlsl.compile(SHARED.format(words, 1))
    total = 4 * (words + 1)
    if total > MAX_SHARED:
        with pytest.raises(C.ComputeException,
                           match=r"the shader declares {0} bytes of groupshared .* limit of {1} "
                                 r"bytes .*maxComputeSharedMemorySize".format(total, MAX_SHARED)):
            C.Compute(shader, uav=[out])
    else:
        C.Compute(shader, uav=[out]).dispatch(1, 1, 1)
        assert struct.unpack("<I", read_buffer(out, 4))[0] == 12


def _support(fmt):
    return C.get_current_device().get_format_support(fmt)


def _texture(fmt):
    if not _support(fmt) & (C.FORMAT_SUPPORT_TEXTURE_SRV | C.FORMAT_SUPPORT_TEXTURE_UAV):
        pytest.skip("the device has no texture of {0} (get_format_support)".format(NAMES[fmt]))
    return C.Texture2D(2, 2, fmt)


def _typed_buffer(fmt):
    if not _support(fmt) & (C.FORMAT_SUPPORT_BUFFER_SRV | C.FORMAT_SUPPORT_BUFFER_UAV):
        pytest.skip("the device has no typed buffer of {0} (get_format_support)".format(NAMES[fmt]))
    return C.Buffer(64, format=fmt)


def _matches(declared, fmt):
    return declared == kind_of(fmt)


@pytest.mark.parametrize("declared", ["float", "int", "uint"])
@pytest.mark.parametrize("fmt", FORMATS, ids=[NAMES[f] for f in FORMATS])
def test_texture_srv_component_types(fmt, declared):
    texture = _texture(fmt)
    out = C.Buffer(16, stride=4)
    shader = hlsl.compile("""
        Texture2D<{0}4> t : register(t0);
        RWStructuredBuffer<{0}> d : register(u0);
        [numthreads(1, 1, 1)] void main() {{ d[0] = t.Load(int3(0, 0, 0)).x; }}
    """.format(declared))
    if not _matches(declared, fmt):
        with pytest.raises(C.ComputeException,
                           match=r"register t0\b.* format {0}; the shader's texels are {1}, the "
                                 r"format's are {2}: Vulkan needs them to agree".format(
                                     NAMES[fmt], declared, kind_of(fmt))):
            C.Compute(shader, srv=[texture], uav=[out])
        return
    if not _support(fmt) & C.FORMAT_SUPPORT_TEXTURE_SRV:
        with pytest.raises(C.ComputeException,
                           match=r"register t0: format {0} is not supported as a read-only texture".format(NAMES[fmt])):
            C.Compute(shader, srv=[texture], uav=[out])
        pytest.skip("the device cannot read {0} textures (get_format_support)".format(NAMES[fmt]))
    C.Compute(shader, srv=[texture], uav=[out]).dispatch(1, 1, 1)


@pytest.mark.parametrize("declared", ["float", "int", "uint"])
@pytest.mark.parametrize("fmt", FORMATS, ids=[NAMES[f] for f in FORMATS])
def test_texture_uav_and_typed_buffer_component_types(fmt, declared):
    n = components(fmt)
    vector = declared + (str(n) if n > 1 else "")
    for resource, template, bit, use in (
            (lambda: _texture(fmt), "RWTexture2D<{0}> t : register(u0); "
             "[numthreads(1, 1, 1)] void main() {{ t[uint2(1, 1)] = ({0})1; }}",
             C.FORMAT_SUPPORT_TEXTURE_UAV, "read-write texture"),
            (lambda: _typed_buffer(fmt), "RWBuffer<{0}> t : register(u0); "
             "[numthreads(1, 1, 1)] void main() {{ t[1] = ({0})1; }}",
             C.FORMAT_SUPPORT_BUFFER_UAV, "read-write typed buffer")):
        target = resource()
        zeros = C.Buffer(target.size, C.HEAP_UPLOAD)  # device memory starts undefined
        zeros.upload(b"\0" * target.size)
        zeros.copy_to(target)
        shader = hlsl.compile(template.format(vector))
        if not _matches(declared, fmt):
            with pytest.raises(C.ComputeException,
                               match=r"register u0\b.* the shader's texels are {0}, the format's are {1}"
                                     .format(declared, kind_of(fmt))):
                C.Compute(shader, uav=[target])
            continue
        if not _support(fmt) & bit:
            with pytest.raises(C.ComputeException,
                               match=r"register u0: format {0} is not supported as a {1}".format(NAMES[fmt], use)):
                C.Compute(shader, uav=[target])
            continue
        C.Compute(shader, uav=[target]).dispatch(1, 1, 1)
        data = read_buffer(target)
        texel = F.get_pixel_size(fmt)
        at = (2 + 1) * texel if target.width == 2 else texel  # texel (1, 1) / element 1
        assert data[at:at + texel] != b"\0" * texel  # the write landed
        assert data[:texel] == b"\0" * texel


@pytest.mark.parametrize("written", [1, 2, 3])
def test_writes_with_fewer_components_than_the_format_are_refused(written):
    texture = C.Texture2D(2, 2, F.R8G8B8A8_UNORM)
    vector = "float" + (str(written) if written > 1 else "")
    shader = hlsl.compile("RWTexture2D<{0}> t : register(u0); [numthreads(1, 1, 1)] "
                          "void main() {{ t[uint2(0, 0)] = ({0})1; }}".format(vector))
    with pytest.raises(C.ComputeException,
                       match=r"register u0\b.* the shader writes {0} component.*, the format has 4".format(written)):
        C.Compute(shader, uav=[texture])


SAMPLE = """
Texture2D<{0}4> t : register(t0);
SamplerState s : register(s0);
RWStructuredBuffer<{0}> d : register(u0);
[numthreads(1, 1, 1)] void main() {{ d[0] = t.SampleLevel(s, float2(0.5, 0.5), 0).x; }}
"""

LOAD_ONLY = """
Texture2D<{0}4> t : register(t0);
Texture2D<float4> f : register(t1);
SamplerState s : register(s0);
RWStructuredBuffer<{0}> d : register(u0);
[numthreads(1, 1, 1)] void main() {{ d[0] = t.Load(int3(0, 0, 0)).x + ({0})f.SampleLevel(s, float2(0.5, 0.5), 0).x; }}
"""


@pytest.mark.parametrize("linear", [False, True])
@pytest.mark.parametrize("fmt", FORMATS, ids=[NAMES[f] for f in FORMATS])
def test_linear_samplers_only_sample_filterable_formats(fmt, linear):
    texture = _texture(fmt)
    filt = C.SAMPLER_FILTER_LINEAR if linear else C.SAMPLER_FILTER_POINT
    sampler = C.Sampler(filter_min=filt, filter_mag=filt)
    out = C.Buffer(16, stride=4)
    declared = kind_of(fmt)
    shader = hlsl.compile(SAMPLE.format(declared))
    try:
        compute = C.Compute(shader, srv=[texture], uav=[out], samplers=[sampler])
    except C.ComputeException as error:
        if "does not support it" in str(error):
            pytest.skip(str(error))
        assert linear, error
        assert "register t0: the shader samples it with sampler s0, whose filter is LINEAR, but device" in str(error)
        assert "cannot filter format {0} linearly".format(NAMES[fmt]) in str(error)
        if declared != "float":
            assert "(integer formats never filter)" in str(error)
        return
    assert not linear or declared == "float"
    compute.dispatch(1, 1, 1)
    # the same integer texture read with Load next to a sampled float
    # texture: only the sampled one meets the sampler
    if declared != "float":
        other = C.Texture2D(2, 2, F.R32G32B32A32_FLOAT)
        C.Compute(hlsl.compile(LOAD_ONLY.format(declared)), srv=[texture, other],
                  uav=[out], samplers=[sampler]).dispatch(1, 1, 1)

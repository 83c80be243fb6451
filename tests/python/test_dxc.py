"""HLSL through DXC (compiler="dxc") where a DXC library can be loaded:
the same bindings, layouts and results as glslang, and the HLSL that only
DXC accepts. The library comes from COMPUSHADY_DXC, or from the original
compushady 0.17.5 source distribution (fetched into build/compat like
tests/compat/run_original_suite.sh does; never committed)."""

import os
import struct
import subprocess
import sys
import tarfile

import pytest

from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute, Texture2D
from compushady.formats import R32G32B32A32_UINT
from compushady.shaders import hlsl
import compushady._native as native

from helpers import read_buffer, upload_buffer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMPAT = os.path.join(ROOT, "build", "compat")
SDIST_LIBRARY = os.path.join(
    COMPAT, "compushady-0.17.5", "compushady", "backends",
    "libdxcompiler_x86_64.so.3.7",
)


def find_dxc():
    if os.environ.get("COMPUSHADY_DXC"):
        return os.environ["COMPUSHADY_DXC"]
    if not os.path.exists(SDIST_LIBRARY):
        if sys.platform != "linux" or os.uname().machine != "x86_64":
            return None
        os.makedirs(COMPAT, exist_ok=True)
        archive = os.path.join(COMPAT, "compushady-0.17.5.tar.gz")
        if not os.path.exists(archive):
            fetched = subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                 "--no-binary=:all:", "compushady==0.17.5", "-d", COMPAT],
                capture_output=True, timeout=300,
            )
            if fetched.returncode != 0 or not os.path.exists(archive):
                return None
        with tarfile.open(archive) as tar:
            tar.extractall(COMPAT)
    return SDIST_LIBRARY if os.path.exists(SDIST_LIBRARY) else None


@pytest.fixture(scope="module", autouse=True)
def dxc_library():
    path = find_dxc()
    if path is None:
        pytest.skip(
            "no DXC library: COMPUSHADY_DXC is unset and the compushady "
            "0.17.5 source distribution (which holds one) could not be "
            "downloaded"
        )
    saved = os.environ.get("COMPUSHADY_DXC")
    os.environ["COMPUSHADY_DXC"] = path
    assert hlsl.dxc_available(), path
    yield path
    if saved is None:
        del os.environ["COMPUSHADY_DXC"]
    else:
        os.environ["COMPUSHADY_DXC"] = saved


BOTH = pytest.mark.parametrize("compiler", ["glslang", "dxc"])


def generator(spirv):
    return struct.unpack_from("<I", spirv, 8)[0] >> 16


def read_texture(texture):
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    return readback.readback2d(texture.row_pitch, texture.width, texture.height, 16)


def run(source, compiler, groups=(1, 1, 1), **bindings):
    compute = Compute(hlsl.compile(source, compiler=compiler), **bindings)
    compute.dispatch(*groups)
    return compute


# >>the switch


def test_dxc_output_is_dxc_and_default_stays_glslang(monkeypatch):
    source = """RWStructuredBuffer<uint> o : register(u0);
        [numthreads(1, 1, 1)] void main() { o[0] = 1; }"""
    monkeypatch.delenv("COMPUSHADY_HLSL_COMPILER", raising=False)
    assert generator(hlsl.compile(source)) == 13  # Google shaderc (glslang)
    dxc = hlsl.compile(source, compiler="dxc")
    assert generator(dxc) == 14  # Google spiregg (DXC)
    monkeypatch.setenv("COMPUSHADY_HLSL_COMPILER", "dxc")
    assert hlsl.compile(source) == dxc
    assert generator(hlsl.compile(source, compiler="glslang")) == 13
    with pytest.raises(ValueError):
        hlsl.compile(source, compiler="fxc")
    with pytest.raises(ValueError):
        native.compile_shader("void main() {}", language="glsl", compiler="dxc")


def test_dxc_missing_library_is_a_clear_error():
    code = (
        "from compushady.shaders import hlsl\n"
        "assert not hlsl.dxc_available()\n"
        "try:\n"
        "    hlsl.compile('[numthreads(1,1,1)] void main() {}', compiler='dxc')\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    env = dict(os.environ, COMPUSHADY_DXC="/nonexistent/libdxcompiler.so")
    out = subprocess.run([sys.executable, "-c", code], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("ShaderCompileError DXC library not found")
    assert "COMPUSHADY_DXC" in out


def test_dxc_compile_errors_have_line_numbers():
    with pytest.raises(Exception) as error:
        hlsl.compile("RWStructuredBuffer<uint> o : register(u0);\n"
                     "[numthreads(1, 1, 1)] void main() { o[0] = 1 }\n",
                     compiler="dxc")
    assert type(error.value).__name__ == "ShaderCompileError"
    assert "shader:2:" in str(error.value)
    with pytest.raises(Exception, match="entry point"):
        hlsl.compile("[numthreads(1, 1, 1)] void main() {}",
                     entry_point="other", compiler="dxc")


def test_dxc_and_glslang_are_cached_apart():
    source = """RWStructuredBuffer<uint> o : register(u0);
        [numthreads(2, 1, 1)] void main(uint3 t : SV_DispatchThreadID)
        { o[t.x] = t.x + 7; }"""
    for _ in range(2):
        assert generator(hlsl.compile(source, compiler="dxc")) == 14
        assert generator(hlsl.compile(source, compiler="glslang")) == 13


# >>the suite's main cases, with both compilers


@BOTH
def test_rwbuffer_and_typed_srv(compiler):
    data = upload_buffer(struct.pack("<8f", *range(8)), format=2)  # R32G32B32A32_FLOAT
    out = Buffer(16 * 2, format=R32G32B32A32_UINT)
    run("""Buffer<float4> src : register(t0);
        RWBuffer<uint4> dst : register(u0);
        [numthreads(2, 1, 1)] void main(uint3 t : SV_DispatchThreadID)
        { dst[t.x] = uint4(src[t.x] * 2); }""", compiler, srv=[data], uav=[out])
    assert struct.unpack("<8I", read_buffer(out)) == tuple(2 * i for i in range(8))


@BOTH
def test_structured_byte_address_and_groups(compiler):
    source = upload_buffer(struct.pack("<16I", *range(16)), stride=4)
    raw = Buffer(64)
    items = Buffer(16 * 32, stride=16)
    run("""struct Item { uint a; float b; uint2 c; };
        StructuredBuffer<uint> src : register(t0);
        RWByteAddressBuffer raw : register(u0);
        RWStructuredBuffer<Item> items : register(u1);
        [numthreads(2, 2, 1)]
        void main(uint3 t : SV_DispatchThreadID, uint3 g : SV_GroupID)
        {
            uint i = t.y * 4 + t.x;
            raw.Store(i * 4, src[i] * 3);
            Item item; item.a = i; item.b = i * 0.5; item.c = uint2(g.x, g.y);
            items[i] = item;
        }""", compiler, groups=(2, 2, 1), srv=[source], uav=[raw, items])
    assert struct.unpack("<16I", read_buffer(raw)) == tuple(3 * i for i in range(16))
    got = read_buffer(items, 16 * 16)
    for i in range(16):
        a, b, cx, cy = struct.unpack_from("<IfII", got, 16 * i)
        assert (a, b, cx, cy) == (i, i * 0.5, (i % 4) // 2, (i // 4) // 2)


@BOTH
def test_several_cbuffers_and_texture(compiler):
    first = Buffer(16, HEAP_UPLOAD)
    first.upload(struct.pack("<4I", 1, 2, 3, 4))
    second = Buffer(16, HEAP_UPLOAD)
    second.upload(struct.pack("<4I", 10, 20, 30, 40))
    texture = Texture2D(4, 4, R32G32B32A32_UINT)
    run("""cbuffer A : register(b0) { uint4 a; };
        cbuffer B : register(b1) { uint4 b; };
        RWTexture2D<uint4> texture : register(u0);
        [numthreads(4, 4, 1)] void main(uint3 t : SV_DispatchThreadID)
        { texture[t.xy] = a * b + t.x + t.y * 4; }""",
        compiler, cbv=[first, second], uav=[texture])
    values = struct.unpack("<64I", read_texture(texture))
    for i in range(16):
        assert values[4 * i:4 * i + 4] == tuple(v + i for v in (10, 40, 90, 160))


@BOTH
def test_push_constants(compiler):
    out = Buffer(8, stride=4)
    compute = Compute(hlsl.compile("""
        struct P { float ka[2]; float kb; };
        [[vk::push_constant]] ConstantBuffer<P> p;
        RWStructuredBuffer<float> o : register(u0);
        [numthreads(1, 1, 1)] void main() { o[0] = p.ka[1]; o[1] = p.kb; }
        """, compiler=compiler), uav=[out], push_size=12)
    compute.dispatch(1, 1, 1, struct.pack("<3f", 1.0, 2.0, 3.0))
    assert struct.unpack("<2f", read_buffer(out)) == (2.0, 3.0)


# >>layouts: the same bytes mean the same values


@BOTH
def test_structured_strides_read_back(compiler):
    f3 = Buffer(24, stride=12)
    oa = Buffer(32, stride=16)
    ob = Buffer(32, stride=16)
    oc = Buffer(80, stride=40)
    od = Buffer(32, stride=16)
    run("""struct A { float3 a; float b; };
        struct B { float a; float3 b; };
        struct C { float3 v[2]; float2x2 m; };
        struct D { double d; float f; };
        RWStructuredBuffer<float3> f3 : register(u0);
        RWStructuredBuffer<A> oa : register(u1);
        RWStructuredBuffer<B> ob : register(u2);
        RWStructuredBuffer<C> oc : register(u3);
        RWStructuredBuffer<D> od : register(u4);
        [numthreads(1, 1, 1)] void main()
        {
            f3[1] = float3(1, 2, 3);
            oa[1].b = 4; ob[1].b = float3(5, 6, 7);
            oc[1].v[1] = float3(8, 9, 10); oc[1].m[1][1] = 11; od[1].f = 12;
        }""", compiler, uav=[f3, oa, ob, oc, od])
    assert struct.unpack_from("<3f", read_buffer(f3), 12) == (1, 2, 3)
    assert struct.unpack_from("<f", read_buffer(oa), 16 + 12) == (4,)
    assert struct.unpack_from("<3f", read_buffer(ob), 16 + 4) == (5, 6, 7)
    c = read_buffer(oc)
    assert struct.unpack_from("<3f", c, 40 + 12) == (8, 9, 10)
    assert struct.unpack_from("<f", c, 40 + 24 + 12) == (11,)
    assert struct.unpack_from("<f", read_buffer(od), 16 + 8) == (12,)


CBUFFER_CASES = [
    # members, expression, offset of each value written
    ("uint h[2]; uint i;", "float(h[1]), float(i)", (16, 20)),
    ("float3 ka[2]; float kb;", "ka[1].z, kb", (24, 28)),
    ("float3 a; float b; float2 c; float2 d;", "b, d.y", (12, 28)),
    ("float e; float3 f;", "e, f.z", (0, 12)),
    ("float2 g; float3 h;", "g.y, h.x", (4, 16)),
    ("struct S { float4 p; float q; }; S s; float t; S sa[2]; float u;",
     "s.q, t, sa[1].q, u", (16, 20, 80, 84)),
    ("float3x3 m; float x;", "m[2][2], x", (40, 44)),
]


@BOTH
@pytest.mark.parametrize("members, expression, offsets", CBUFFER_CASES)
def test_cbuffer_packing(compiler, members, expression, offsets):
    count = len(offsets)
    struct_decl = ""
    if members.startswith("struct"):
        struct_decl, members = members.split("};", 1)
        struct_decl += "};"
    constants = bytearray(256)
    for i, offset in enumerate(offsets):
        struct.pack_into("<f", constants, offset, i + 1.5)
    cbv = Buffer(256, HEAP_UPLOAD)
    cbv.upload(bytes(constants))
    out = Buffer(4 * count, stride=4)
    values = expression.split(", ")
    stores = " ".join("o[%d] = %s;" % (i, v) for i, v in enumerate(values))
    source = """%s
        cbuffer C : register(b0) { %s };
        RWStructuredBuffer<float> o : register(u0);
        [numthreads(1, 1, 1)] void main() { %s }""" % (struct_decl, members, stores)
    if "h[2]" in members:
        # uint members hold the float's bits
        stores = "o[0] = asfloat(h[1]); o[1] = asfloat(i);"
        source = source.replace(
            "o[0] = float(h[1]); o[1] = float(i);", stores)
    run(source, compiler, cbv=[cbv], uav=[out])
    got = struct.unpack("<%df" % count, read_buffer(out))
    assert got == tuple(i + 1.5 for i in range(count))


# >>docs/hlsl-differences.md, each row with both compilers


def compiles(source, compiler, **kwargs):
    try:
        hlsl.compile(source, compiler=compiler, **kwargs)
        return True
    except Exception as error:
        assert type(error).__name__ == "ShaderCompileError", error
        return False


NAME = """RWStructuredBuffer<float> o : register(u0);
    [numthreads(1, 1, 1)] void main() { float %s = 1; o[0] = %s; }"""


@pytest.mark.parametrize("word, with_dxc", [
    ("sampler", True), ("precise", True), ("globallycoherent", True),
    ("vector", False), ("matrix", False), ("linear", False),
    ("centroid", False), ("nointerpolation", False), ("noperspective", False),
    ("point", False), ("line", False), ("lineadj", False),
    ("triangle", False), ("triangleadj", False),
])
def test_reserved_words_as_names(word, with_dxc):
    assert compiles(NAME % (word, word), "glslang")  # renamed first
    assert compiles(NAME % (word, word), "dxc") == with_dxc


@BOTH
def test_texture_as_a_resource_name(compiler):
    texture = Texture2D(2, 2, R32G32B32A32_UINT)
    run("""RWTexture2D<uint4> texture : register(u0);
        [numthreads(2, 2, 1)] void main(uint3 t : SV_DispatchThreadID)
        { texture[t.xy] = uint4(t.x, t.y, 7, 9); }""", compiler, uav=[texture])
    assert struct.unpack_from("<4I", read_texture(texture), 16) == (1, 0, 7, 9)


def bindings(source, compiler):
    spirv = hlsl.compile(source, compiler=compiler)
    return [(b["binding"], b["type"])
            for b in native.reflect_shader(spirv)["bindings"]]


@BOTH
def test_unbounded_resource_arrays(compiler):
    """`textures[]` is a runtime descriptor array (array_size 0, sized by
    max_bindless) with both compilers, declared with descriptor indexing."""
    source = """struct P { uint4 v; };
        ConstantBuffer<P> params[] : register(b0);
        Texture2D<float4> textures[] : register(t0);
        RWBuffer<uint> buffers[] : register(u1);
        RWStructuredBuffer<float4> o : register(u0);
        [numthreads(4, 1, 1)] void main(uint3 t : SV_DispatchThreadID) {
            uint i = NonUniformResourceIndex(t.x);
            o[t.x] = textures[i].Load(int3(0, 0, 0)) + float4(params[i].v);
            buffers[i][0] = 1;
        }"""
    spirv = hlsl.compile(source, compiler=compiler)
    sizes = {b["binding"]: b["array_size"] for b in native.reflect_shader(spirv)["bindings"]}
    assert sizes == {0: 0, 1024: 0, 2049: 0, 2048: 1}
    words = struct.unpack("<%dI" % (len(spirv) // 4), spirv)
    capabilities = set()
    at = 5
    while at < len(words):
        if words[at] & 0xFFFF == 17:  # OpCapability
            capabilities.add(words[at + 1])
        at += words[at] >> 16
    assert 5302 in capabilities  # RuntimeDescriptorArray
    assert 5301 in capabilities  # ShaderNonUniform


@BOTH
def test_byte_address_get_dimensions_in_bytes(compiler):
    out = Buffer(16)
    run("""RWByteAddressBuffer b : register(u0);
        ByteAddressBuffer r : register(t0);
        RWStructuredBuffer<uint> s : register(u1);
        [numthreads(1, 1, 1)] void main() {
            uint n, m, count, stride;
            b.GetDimensions(n); r.GetDimensions(m); s.GetDimensions(count, stride);
            b.Store(0, n); b.Store(4, m); b.Store(8, count);
        }""", compiler, srv=[Buffer(32)], uav=[out, Buffer(48, stride=4)])
    readback = Buffer(12, HEAP_READBACK)
    out.copy_to(readback, 12)
    assert struct.unpack("<3I", readback.readback()) == (16, 32, 12)


def test_implicit_registers():
    main = "[numthreads(1, 1, 1)] void main() { o[0] = k + i[0]; }"
    first = "cbuffer C { float k; }; RWStructuredBuffer<float> o; StructuredBuffer<float> i;"
    after = "RWStructuredBuffer<float> o; StructuredBuffer<float> i; cbuffer C { float k; };"
    expected = [(0, "cbv"), (1024, "storage_buffer"), (2048, "storage_buffer")]
    assert bindings(first + main, "glslang") == expected
    assert bindings(first + main, "dxc") == expected
    assert bindings(after + main, "glslang") == expected
    # DXC numbers implicit resources of every class from one counter:
    # after u0 (binding 0 before the shift) the cbuffer gets 1
    assert bindings(after + main, "dxc") == [(1, "cbv")] + expected[1:]


def test_packoffset():
    in_order = """cbuffer C : register(b0)
        { float a : packoffset(c0.x); float b : packoffset(c1.y); };
        RWStructuredBuffer<float> o : register(u0);
        [numthreads(1, 1, 1)] void main() { o[0] = a; o[1] = b; }"""
    constants = bytearray(32)
    struct.pack_into("<f", constants, 0, 3.0)
    struct.pack_into("<f", constants, 20, 4.0)
    for compiler in ("glslang", "dxc"):
        cbv = Buffer(32, HEAP_UPLOAD)
        cbv.upload(bytes(constants))
        out = Buffer(8, stride=4)
        run(in_order, compiler, cbv=[cbv], uav=[out])
        assert struct.unpack("<2f", read_buffer(out)) == (3.0, 4.0)
    out_of_order = in_order.replace("c0.x", "c2.x")
    assert compiles(out_of_order, "glslang")
    assert not compiles(out_of_order, "dxc")  # "packoffset caused overlap"


def test_row_major_matrix_then_scalar():
    source = """cbuffer C : register(b0) { row_major float2x3 m; float x; };
        RWStructuredBuffer<float> o : register(u0);
        [numthreads(1, 1, 1)] void main() { o[0] = m[0][0] + x; }"""
    assert compiles(source, "glslang")  # x at m + 32
    assert not compiles(source, "dxc")  # x at m + 28: its own SPIR-V check fails


def test_targets_and_entry_points():
    source = """RWStructuredBuffer<uint> o : register(u0);
        [numthreads(1, 1, 1)] void other() { o[0] = 1; }"""
    for target in ("cs_5_0", "cs_6_0", "cs_6_6"):
        assert compiles(source, "dxc", entry_point="other", target=target)
    with pytest.raises(ValueError):
        hlsl.compile(source, entry_point="other", target="ps_6_0", compiler="dxc")


# >>HLSL that only DXC compiles


def test_templates_with_dxc():
    out = Buffer(16, stride=4)
    source = """template<typename T> T twice(T v) { return v * 2; }
        RWStructuredBuffer<uint> o : register(u0);
        [numthreads(4, 1, 1)] void main(uint3 t : SV_DispatchThreadID)
        { o[t.x] = twice(t.x) + 1; }"""
    assert not compiles(source, "glslang")
    run(source, "dxc", uav=[out])
    assert struct.unpack("<4I", read_buffer(out)) == (1, 3, 5, 7)


def test_wave_ops_with_dxc():
    out = Buffer(16, stride=4)
    run("""RWStructuredBuffer<uint> o : register(u0);
        [numthreads(4, 1, 1)] void main(uint3 t : SV_DispatchThreadID)
        { o[t.x] = WaveActiveSum(t.x + 1) + WaveGetLaneIndex() * 0; }""",
        "dxc", uav=[out])
    assert struct.unpack("<4I", read_buffer(out)) == (10, 10, 10, 10)

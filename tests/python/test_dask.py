"""compushady.dask.map_blocks in this process (synchronous and threaded
schedulers): results against numpy over arrays of many blocks, the block
geometry the shader sees, the caches, and the errors for what does not fit.
The clusters (LocalCluster, `dask scheduler`/`dask worker`) are in
test_dask_cluster.py."""

import os
import pickle
import re
import subprocess
import sys

import numpy
import pytest

dask = pytest.importorskip("dask", reason="compushady.dask needs dask: scripts/setup.sh installs it")
import dask.array as da  # noqa: E402
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import compushady  # noqa: E402
import compushady.dask as cdask  # noqa: E402
from compushady import ShaderCompileError  # noqa: E402
from compushady.shaders import hlsl  # noqa: E402

# Every element's global coordinates, from the push-constant block info.
GEOMETRY = """
StructuredBuffer<float> a : register(t0);
RWStructuredBuffer<uint> o : register(u0);
struct Block { uint3 size; uint count; uint3 origin; uint block; };
[[vk::push_constant]] ConstantBuffer<Block> blk;
[numthreads(4, 4, 2)]
void main(uint3 id : SV_DispatchThreadID)
{
    if (any(id >= blk.size)) return;
    uint i = (id.z * blk.size.y + id.y) * blk.size.x + id.x;
    uint3 g = id + blk.origin;
    o[i] = g.x + 1000 * g.y + 1000000 * g.z;
}
"""

# The block's index and element count.
BLOCK_ID = """
StructuredBuffer<float> a : register(t0);
RWStructuredBuffer<uint> o : register(u0);
struct Block { uint3 size; uint count; uint3 origin; uint block; };
[[vk::push_constant]] ConstantBuffer<Block> blk;
[numthreads(32, 1, 1)]
void main(uint3 id : SV_DispatchThreadID)
{
    if (any(id >= blk.size)) return;
    o[(id.z * blk.size.y + id.y) * blk.size.x + id.x] = blk.block * 65536 + blk.count;
}
"""

# Two inputs of different dtypes and constants; no push constants, no
# bounds check: threads past the block's end write into padding.
AXPB = """
cbuffer Params : register(b0) { float scale; int offset; };
StructuredBuffer<float> a : register(t0);
StructuredBuffer<int> b : register(t1);
RWStructuredBuffer<float> o : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 id : SV_DispatchThreadID)
{
    o[id.x] = a[id.x] * scale + float(b[id.x] + offset);
}
"""

PARAMS = numpy.dtype([("scale", "<f4"), ("offset", "<i4")])


def expected_geometry(shape):
    index = numpy.indices(shape, dtype=numpy.uint32)[::-1]  # x first
    code = numpy.zeros(shape, numpy.uint32)
    for axis, weight in zip(index, (1, 1000, 1000000)):
        code += axis * weight
    return code


def expected_block_ids(chunks):
    numblocks = tuple(len(c) for c in chunks)
    grid = numpy.empty(numblocks, dtype=object)
    for flat, position in enumerate(numpy.ndindex(*numblocks)):
        shape = tuple(c[i] for c, i in zip(chunks, position))
        count = int(numpy.prod(shape))
        grid[position] = numpy.full(shape, flat * 65536 + count, numpy.uint32)
    return numpy.block(grid.tolist())


# 1D, 2D and 3D, regular and ragged last chunks, each of 10 blocks or more
SHAPES = [
    ((1000,), (97,)),
    ((100, 70), (30, 25)),
    ((64, 64), (16, 16)),
    ((7, 300), (7, 29)),
    ((6, 10, 12), (2, 4, 5)),
]


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
@pytest.mark.parametrize("shape, chunks", SHAPES)
def test_geometry_and_block_info(scheduler, shape, chunks):
    x = da.zeros(shape, chunks=chunks, dtype=numpy.float32)
    assert x.npartitions >= 10
    result = cdask.map_blocks(GEOMETRY, x, dtype=numpy.uint32)
    assert result.chunks == x.chunks and result.dtype == numpy.uint32
    numpy.testing.assert_array_equal(
        result.compute(scheduler=scheduler), expected_geometry(shape)
    )
    ids = cdask.map_blocks(BLOCK_ID, x, dtype=numpy.uint32)
    numpy.testing.assert_array_equal(
        ids.compute(scheduler=scheduler), expected_block_ids(x.chunks)
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_shapes_and_chunks(data):
    ndim = data.draw(st.integers(1, 3), label="ndim")
    shape = tuple(data.draw(st.lists(st.integers(1, 40), min_size=ndim, max_size=ndim)))
    chunks = tuple(data.draw(st.integers(1, size)) for size in shape)
    x = da.from_array(numpy.zeros(shape, numpy.float32), chunks=chunks)
    result = cdask.map_blocks(GEOMETRY, x, dtype=numpy.uint32)
    numpy.testing.assert_array_equal(
        result.compute(scheduler="threads"), expected_geometry(shape)
    )


@pytest.mark.parametrize("cbv", [
    numpy.array((2.5, -7), dtype=PARAMS)[()],  # a numpy.void
    numpy.array((2.5, -7), dtype=PARAMS).tobytes(),
    bytearray(numpy.array((2.5, -7), dtype=PARAMS).tobytes()),
])
def test_two_inputs_and_constants(cbv):
    rng = numpy.random.default_rng(1)
    a = rng.random(5000, dtype=numpy.float32)
    b = rng.integers(-1000, 1000, 5000, dtype=numpy.int32)
    result = cdask.map_blocks(
        AXPB, da.from_array(a, chunks=450), da.from_array(b, chunks=450),
        dtype=numpy.float32, cbv=cbv,
    )
    numpy.testing.assert_allclose(
        result.compute(scheduler="threads"), a * 2.5 + (b - 7), rtol=1e-6
    )


@pytest.fixture(params=["host buffers bound", "device buffers and copies"])
def both_paths(request, monkeypatch):
    """Runs a test over both ways of moving blocks: CPU devices bind the
    host-visible buffers directly; GPUs copy through device-local buffers
    in one CommandList per block (forced here on lavapipe)."""
    monkeypatch.setattr(cdask, "_BIND_HOST_BUFFERS_ON_CPU_DEVICES",
                        request.param == "host buffers bound")
    # layouts made for the other path are not reused
    monkeypatch.setattr(cdask, "_idle", type(cdask._idle)())
    monkeypatch.setattr(cdask, "_idle_count", 0)
    return request.param


@pytest.mark.parametrize("shape, chunks", SHAPES[:2] + SHAPES[-1:])
def test_both_paths_give_the_same_results(both_paths, shape, chunks):
    rng = numpy.random.default_rng(8)
    a = rng.random(shape, dtype=numpy.float32)
    b = rng.integers(-100, 100, shape, dtype=numpy.int32)
    x, y = da.from_array(a, chunks=chunks), da.from_array(b, chunks=chunks)
    result = cdask.map_blocks(AXPB, x, y, dtype=numpy.float32,
                              cbv=numpy.array((1.5, 3), dtype=PARAMS)[()])
    # a GPU may fuse the multiply-add (one rounding, not two): near zero the
    # relative difference can exceed rtol, the absolute stays under ~100 ulp
    numpy.testing.assert_allclose(result.compute(scheduler="threads"), a * 1.5 + (b + 3),
                                  rtol=1e-6, atol=1e-5)
    geometry = cdask.map_blocks(GEOMETRY, x, dtype=numpy.uint32).compute(scheduler="threads")
    numpy.testing.assert_array_equal(geometry, expected_geometry(shape))


@pytest.mark.parametrize("path", ["host buffers bound", "device buffers and copies"])
def test_constants_past_cbv_read_zero(path, monkeypatch):
    monkeypatch.setattr(cdask, "_BIND_HOST_BUFFERS_ON_CPU_DEVICES", path == "host buffers bound")
    monkeypatch.setattr(cdask, "_idle", type(cdask._idle)())
    monkeypatch.setattr(cdask, "_idle_count", 0)
    source = """
    cbuffer P : register(b0) { float4 a; float4 b; float4 c[8]; };
    StructuredBuffer<float> x : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    [numthreads(64, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID) { o[id.x] = x[id.x] + a.x + a.y + b.y + c[7].w; }
    """
    x = da.ones(1000, chunks=100, dtype=numpy.float32)
    result = cdask.map_blocks(source, x, dtype=numpy.float32, cbv=numpy.float32(2))
    numpy.testing.assert_array_equal(result.compute(scheduler="sync"), numpy.full(1000, 3.0))


def test_eight_byte_and_record_dtypes():
    record = numpy.dtype([("x", "<f4"), ("y", "<f4")])
    source = """
    struct P { float x; float y; };
    StructuredBuffer<P> p : register(t0);
    StructuredBuffer<double> d : register(t1);
    StructuredBuffer<uint64_t> u : register(t2);
    RWStructuredBuffer<double> o : register(u0);
    [numthreads(64, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID)
    {
        o[id.x] = double(p[id.x].x * p[id.x].y) + d[id.x] * 3.0 + double(u[id.x]);
    }
    """
    rng = numpy.random.default_rng(2)
    points = numpy.zeros(3000, record)
    points["x"], points["y"] = rng.random(3000), rng.random(3000)
    doubles = rng.random(3000)
    big = rng.integers(0, 2**40, 3000, dtype=numpy.uint64)
    arrays = [da.from_array(v, chunks=250) for v in (points, doubles, big)]
    result = cdask.map_blocks(source, *arrays, dtype=numpy.float64).compute()
    expected = (points["x"] * points["y"]).astype(numpy.float64) + doubles * 3.0 + big
    numpy.testing.assert_allclose(result, expected, rtol=1e-12)


def test_big_endian_and_non_contiguous_inputs():
    base = numpy.arange(40 * 30, dtype=">f4").reshape(40, 30)
    x = da.from_array(base, chunks=(9, 8)).T  # transposed blocks
    source = """
    StructuredBuffer<float> a : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    [numthreads(64, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID) { o[id.x] = a[id.x] + 0.5; }
    """
    # a 2D block with a 1D shader: groups y = rows of the block
    flat = """
    StructuredBuffer<float> a : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    struct Block { uint width; };
    [[vk::push_constant]] ConstantBuffer<Block> blk;
    [numthreads(64, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID)
    {
        if (id.x < blk.width) o[id.y * blk.width + id.x] = a[id.y * blk.width + id.x] + 0.5;
    }
    """
    numpy.testing.assert_array_equal(
        cdask.map_blocks(flat, x, dtype=">f4").compute(), base.T + 0.5
    )
    one_d = da.from_array(numpy.arange(1000, dtype=">f4"), chunks=101)
    numpy.testing.assert_array_equal(
        cdask.map_blocks(source, one_d[::-1], dtype=numpy.float32).compute(),
        numpy.arange(1000, dtype=numpy.float32)[::-1] + 0.5,
    )


@pytest.mark.parametrize("numthreads", ["64, 1, 1", "4, 4, 2"])
@pytest.mark.parametrize("shape, chunks", SHAPES)
def test_elementwise_shader_without_block_info_on_any_shape(numthreads, shape, chunks):
    # no push constants: each block is one run of elements along x
    source = """
    StructuredBuffer<float> a : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    [numthreads({0})]
    void main(uint3 id : SV_DispatchThreadID) {{ o[id.x] = a[id.x] * a[id.x] + 1; }}
    """.format(numthreads)
    values = numpy.random.default_rng(6).random(shape, dtype=numpy.float32)
    x = da.from_array(values, chunks=chunks)
    result = cdask.map_blocks(source, x, dtype=numpy.float32).compute(scheduler="threads")
    numpy.testing.assert_allclose(result, values * values + 1, rtol=1e-6)


def test_spirv_and_bytes_sources():
    x = da.from_array(numpy.arange(500, dtype=numpy.float32), chunks=50)
    source = """
    StructuredBuffer<float> a : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    [numthreads(16, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID) { o[id.x] = a[id.x] * a[id.x]; }
    """
    expected = numpy.arange(500, dtype=numpy.float32) ** 2
    for shader in (hlsl.compile(source), source.encode(), bytearray(hlsl.compile(source))):
        numpy.testing.assert_array_equal(
            cdask.map_blocks(shader, x, dtype=numpy.float32).compute(), expected
        )


def test_empty_blocks():
    x = da.from_array(numpy.zeros((0, 5), numpy.float32), chunks=(2, 2))
    result = cdask.map_blocks(GEOMETRY, x, dtype=numpy.uint32).compute()
    assert result.shape == (0, 5) and result.dtype == numpy.uint32
    y = da.concatenate([da.zeros(3, chunks=3), da.zeros(0, chunks=0), da.zeros(4, chunks=2)])
    numpy.testing.assert_array_equal(
        cdask.map_blocks(GEOMETRY, y.astype(numpy.float32), dtype=numpy.uint32).compute(),
        [0, 1, 2, 3, 4, 5, 6],
    )


def test_compile_once_and_computes_per_layout():
    source = GEOMETRY + "// cache test\n"
    x = da.zeros((100, 70), chunks=(30, 25), dtype=numpy.float32)  # 4 block shapes
    before = cdask.cache_info()
    cdask.map_blocks(source, x, dtype=numpy.uint32).compute(scheduler="sync")
    middle = cdask.cache_info()
    assert middle["shaders_compiled"] == before["shaders_compiled"] + 1
    assert middle["computes_created"] == before["computes_created"] + 4
    assert middle["blocks"] == before["blocks"] + 12
    # the same source again, and again over the same layouts: nothing new
    cdask.map_blocks(source, x + 1, dtype=numpy.uint32).compute(scheduler="sync")
    after = cdask.cache_info()
    assert after["shaders_compiled"] == middle["shaders_compiled"]
    assert after["computes_created"] == middle["computes_created"]
    assert after["idle_computes"] <= cdask.MAX_IDLE_COMPUTES


def test_the_graph_pickles_without_device_objects():
    x = da.from_array(numpy.arange(100, dtype=numpy.float32), chunks=10)
    result = cdask.map_blocks(GEOMETRY, x, dtype=numpy.uint32)
    restored = pickle.loads(pickle.dumps(result))
    numpy.testing.assert_array_equal(restored.compute(), numpy.arange(100))
    # the same call twice gives the same keys (deterministic tokens)
    assert cdask.map_blocks(GEOMETRY, x, dtype=numpy.uint32).name == result.name


def test_worker_device_outside_a_cluster_is_the_current_device():
    assert cdask.worker_device() is compushady.get_current_device()
    assert cdask.worker_rank() is None


def test_rank_spreads_over_devices_of_the_best_kind(monkeypatch):
    class Fake:
        def __init__(self, name, hardware, discrete):
            self.name, self.is_hardware, self.is_discrete = name, hardware, discrete

    devices = [Fake("lavapipe", False, False), Fake("gpu0", True, True),
               Fake("igpu", True, False), Fake("gpu1", True, True)]
    monkeypatch.setattr(compushady, "get_discovered_devices", lambda: devices)
    assert [d.name for d in cdask._rank_devices()] == ["gpu0", "gpu1"]
    monkeypatch.setattr(compushady, "get_discovered_devices", lambda: devices[:1])
    assert [d.name for d in cdask._rank_devices()] == ["lavapipe"]


def test_device_rule_gives_each_worker_the_device_of_its_rank(tmp_path, monkeypatch):
    class Fake:
        def __init__(self, name, hardware):
            self.name, self.is_hardware, self.is_discrete = name, hardware, hardware

    class FakeWorker:  # what distributed.get_worker() returns in a task
        pass

    devices = [Fake("gpu0", True), Fake("lavapipe", False), Fake("gpu1", True)]
    monkeypatch.setattr(compushady, "get_discovered_devices", lambda: devices)
    monkeypatch.setenv("COMPUSHADY_DASK_SLOT_DIR", str(tmp_path))
    monkeypatch.delenv("COMPUSHADY_DEVICE", raising=False)
    workers = [FakeWorker() for _ in range(3)]
    current = {}
    monkeypatch.setattr(cdask, "_current_worker", lambda: current.get("worker"))
    chosen = []
    for worker in workers:
        current["worker"] = worker
        chosen.append((cdask.worker_rank(), cdask.worker_device().name))
        assert cdask.worker_device().name == chosen[-1][1]  # kept per worker
    assert chosen == [(0, "gpu0"), (1, "gpu1"), (2, "gpu0")]
    # a worker that goes away frees its rank for the next one
    del workers[1], current["worker"]
    import gc
    gc.collect()
    current["worker"] = FakeWorker()
    assert (cdask.worker_rank(), cdask.worker_device().name) == (1, "gpu1")
    # COMPUSHADY_DEVICE wins over the rank
    monkeypatch.setenv("COMPUSHADY_DEVICE", "0")
    monkeypatch.setattr(compushady, "get_current_device", lambda: devices[1])
    current["worker"] = FakeWorker()
    assert (cdask.worker_rank(), cdask.worker_device().name) == (None, "lavapipe")
    del current["worker"], workers
    gc.collect()


def test_slots_are_the_lowest_free_and_freed_with_their_holder(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPUSHADY_DASK_SLOT_DIR", str(tmp_path))
    first, fd0 = cdask._claim_slot()
    second, fd1 = cdask._claim_slot()
    assert (first, second) == (0, 1)
    # another process sees both taken
    probe = ("import compushady.dask as c; s, fd = c._claim_slot(); print(s)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, env=dict(os.environ))
    assert out.stdout.strip() == "2", out.stderr
    os.close(fd0)  # slot 0 is free again
    third, fd2 = cdask._claim_slot()
    assert third == 0
    os.close(fd1)
    os.close(fd2)


def test_import_compushady_does_not_import_dask():
    code = ("import sys, compushady; compushady.get_current_device(); "
            "print(sorted(m for m in ('dask', 'distributed', 'compushady.dask') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


# >>what does not fit ---------------------------------------------------------

ONE = da.zeros(100, chunks=10, dtype=numpy.float32)
COPY = """
StructuredBuffer<float> a : register(t0);
RWStructuredBuffer<float> o : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 id : SV_DispatchThreadID) { o[id.x] = a[id.x]; }
"""


def shader_with(declarations, body="o[id.x] = 0;"):
    return (declarations + "\n[numthreads(64, 1, 1)]\n"
            "void main(uint3 id : SV_DispatchThreadID) { " + body + " }")


BAD_CALLS = [
    # (id, callable, exception, message)
    ("no-arrays", lambda: cdask.map_blocks(COPY, dtype=numpy.float32), TypeError,
     r"map_blocks needs at least one input array"),
    ("numpy-input", lambda: cdask.map_blocks(COPY, numpy.zeros(4), dtype=numpy.float32),
     TypeError, r"input 0 must be a dask\.array\.Array, got ndarray: wrap it with "
     r"dask\.array\.from_array"),
    ("buffer-input", lambda: cdask.map_blocks(COPY, ONE, compushady.Buffer(16),
                                              dtype=numpy.float32),
     TypeError, r"input 1 is a compushady\.Buffer: map_blocks takes dask arrays"),
    ("unequal-chunks", lambda: cdask.map_blocks(COPY, ONE, ONE.rechunk(25),
                                                dtype=numpy.float32),
     ValueError, r"input 1 is chunked \(\(25, 25, 25, 25\),\), input 0 \(\(10, .*"
     r"needs equal chunks \(use x\.rechunk\(first\.chunks\)\)"),
    ("unequal-shapes", lambda: cdask.map_blocks(COPY, ONE, ONE[:50], dtype=numpy.float32),
     ValueError, r"input 1 has shape \(50,\), input 0 has \(100,\): map_blocks needs "
     r"inputs of one shape"),
    ("zero-dims", lambda: cdask.map_blocks(COPY, da.zeros((), dtype=numpy.float32),
                                           dtype=numpy.float32),
     ValueError, r"input 0 has 0 dimension\(s\): compushady\.dask maps blocks of 1 to 3"),
    ("four-dims", lambda: cdask.map_blocks(COPY, da.zeros((2, 2, 2, 2), dtype=numpy.float32),
                                           dtype=numpy.float32),
     ValueError, r"input 0 has 4 dimension\(s\)"),
    ("unknown-chunks", lambda: cdask.map_blocks(COPY, ONE[ONE > 0], dtype=numpy.float32),
     ValueError, r"unknown chunk sizes: call compute_chunk_sizes\(\) first"),
    ("shader-type", lambda: cdask.map_blocks(42, ONE, dtype=numpy.float32), TypeError,
     r"shader must be HLSL source \(str\) or SPIR-V \(bytes\), got int"),
    ("shader-bytes", lambda: cdask.map_blocks(b"\xff\xfe\x00garbage", ONE, dtype=numpy.float32),
     TypeError, r"shader bytes are neither SPIR-V .* nor UTF-8 HLSL source"),
    ("bad-spirv", lambda: cdask.map_blocks(b"\x03\x02\x23\x07" + bytes(16), ONE,
                                           dtype=numpy.float32),
     ValueError, r"the shader is not valid SPIR-V compushady can reflect"),
    ("compile-error", lambda: cdask.map_blocks("this is not hlsl", ONE, dtype=numpy.float32),
     ShaderCompileError, r"shader:1: error"),
    ("no-u0", lambda: cdask.map_blocks(
        shader_with("StructuredBuffer<float> a : register(t0);\n"
                    "RWStructuredBuffer<float> o : register(u1);"), ONE, dtype=numpy.float32),
     ValueError, r"the shader declares u1, which compushady\.dask does not bind: it binds "
     r"t0\.\.t0 \(the inputs\), u0 \(the output\) and b0 \(cbv\)"),
    ("only-reads", lambda: cdask.map_blocks(
        shader_with("StructuredBuffer<float> a : register(t0);\n"
                    "groupshared float g[64];", "g[id.x] = a[id.x];"), ONE, dtype=numpy.float32),
     ValueError, r"the shader declares no u0: compushady\.dask writes the output block to "
     r"RWStructuredBuffer<T> u0"),
    ("u0-texture", lambda: cdask.map_blocks(
        shader_with("RWTexture2D<float4> o : register(u0);",
                    "o[id.xy] = float4(0, 0, 0, 0);"), ONE, dtype=numpy.float32),
     ValueError, r"the shader's u0 is a storage_image: compushady\.dask writes the output "
     r"block to a RWStructuredBuffer<T> u0"),
    ("t0-texture", lambda: cdask.map_blocks(
        shader_with("Texture2D<float4> a : register(t0);\n"
                    "RWStructuredBuffer<float> o : register(u0);",
                    "o[id.x] = a.Load(int3(id.x, 0, 0)).x;"), ONE, dtype=numpy.float32),
     ValueError, r"the shader's t0 is a sampled_image: compushady\.dask binds input 0 as a "
     r"StructuredBuffer<T>"),
    ("t-beyond-inputs", lambda: cdask.map_blocks(
        shader_with("StructuredBuffer<float> a : register(t2);\n"
                    "RWStructuredBuffer<float> o : register(u0);", "o[id.x] = a[id.x];"),
        ONE, ONE, dtype=numpy.float32),
     ValueError, r"the shader reads t2 but map_blocks got 2 input array\(s\): it binds "
     r"t0\.\.t1"),
    ("b0-without-cbv", lambda: cdask.map_blocks(AXPB, ONE, ONE.astype(numpy.int32),
                                                dtype=numpy.float32),
     ValueError, r"the shader declares the constant buffer b0 but cbv is None"),
    ("b1", lambda: cdask.map_blocks(
        shader_with("cbuffer P : register(b1) { float k; };\n"
                    "RWStructuredBuffer<float> o : register(u0);", "o[id.x] = k;"),
        ONE, dtype=numpy.float32, cbv=b"1234"),
     ValueError, r"the shader declares b1, which compushady\.dask does not bind"),
    ("sampler", lambda: cdask.map_blocks(
        shader_with("SamplerState s : register(s0); Texture2D<float> t : register(t0);\n"
                    "RWStructuredBuffer<float> o : register(u0);",
                    "o[id.x] = t.SampleLevel(s, float2(0, 0), 0);"), ONE, dtype=numpy.float32),
     ValueError, r"the shader's t0 is a sampled_image"),
    ("push-too-big", lambda: cdask.map_blocks(
        shader_with("struct P { uint4 a; uint4 b; uint c; };\n"
                    "[[vk::push_constant]] ConstantBuffer<P> p;\n"
                    "RWStructuredBuffer<uint> o : register(u0);", "o[id.x] = p.c;"),
        ONE, dtype=numpy.uint32),
     ValueError, r"the shader declares 36 bytes of push constants; compushady\.dask fills "
     r"at most 32 \(the block info: width, height, depth, count, x0, y0, z0, block\)"),
    ("cbv-type", lambda: cdask.map_blocks(AXPB, ONE, ONE.astype(numpy.int32),
                                          dtype=numpy.float32, cbv=2.5),
     TypeError, r"cbv must be bytes or a numpy scalar \(a structured numpy\.void for "
     r"several constants\), got float"),
    ("cbv-empty", lambda: cdask.map_blocks(AXPB, ONE, ONE.astype(numpy.int32),
                                           dtype=numpy.float32, cbv=b""),
     ValueError, r"cbv is empty"),
    ("record-odd-size", lambda: cdask.map_blocks(COPY, ONE, dtype=[("a", "<f4"), ("b", "u1")]),
     TypeError, r"dtype field 'b' uint8 is not supported"),
    ("dtype-none", lambda: cdask.map_blocks(COPY, ONE, dtype=None),
     TypeError, r"dtype must be the output's numpy dtype, got None"),
    ("dtype-not-dtype", lambda: cdask.map_blocks(COPY, ONE, dtype="not a dtype"),
     TypeError, r"dtype is not a numpy dtype"),
]


@pytest.mark.parametrize("call, exception, message", [c[1:] for c in BAD_CALLS],
                         ids=[c[0] for c in BAD_CALLS])
def test_what_does_not_fit(call, exception, message):
    with pytest.raises(exception, match=message):
        call()


UNSUPPORTED = ["bool", "int8", "uint8", "int16", "uint16", "float16", "complex64",
               "complex128", "object", "U3", "datetime64[s]", "longdouble"]


@pytest.mark.parametrize("dtype", UNSUPPORTED)
def test_unsupported_dtypes(dtype):
    supported = r"float32, int32, uint32, float64, int64, uint64"
    with pytest.raises(TypeError, match=r"dtype {0} is not supported by compushady\.dask: "
                       r"a StructuredBuffer element is one of {1}".format(
                           re.escape(str(numpy.dtype(dtype))), supported)):
        cdask.map_blocks(COPY, ONE, dtype=dtype)
    if dtype in ("object", "U3", "datetime64[s]"):
        source = da.from_array(numpy.zeros(100, dtype=dtype), chunks=10)
    else:
        source = ONE.astype(dtype)
    with pytest.raises(TypeError, match=r"input 0's dtype {0} is not supported".format(
            re.escape(str(numpy.dtype(dtype))))):
        cdask.map_blocks(COPY, source, dtype=numpy.float32)


def test_too_many_groups_for_the_device():
    limit = compushady.get_current_device().max_compute_workgroup_count[0]
    tiny = """
    StructuredBuffer<float> a : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    [numthreads(1, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID) { o[id.x] = a[id.x]; }
    """
    x = da.zeros(limit + 1, chunks=limit + 1, dtype=numpy.float32)
    result = cdask.map_blocks(tiny, x, dtype=numpy.float32)
    with pytest.raises(ValueError, match=r"a block of shape \({0},\) needs {0} groups of "
                       r"numthreads 1 along x, more than the .* device's limit of {1}: use "
                       r"smaller chunks or a larger numthreads".format(limit + 1, limit)):
        result.compute()


# >>docs/dask.md ------------------------------------------------------------------

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "docs", "dask.md")


def doc_examples():
    with open(DOCS, encoding="utf-8") as f:
        text = f.read()
    pattern = re.compile(re.escape("<!-- tested -->") + r"\s*\n```python\n(.*?)\n```", re.S)
    return [(text[: m.start()].count("\n") + 3, m.group(1)) for m in pattern.finditer(text)]


def test_docs_have_tested_examples():
    assert len(doc_examples()) >= 2


@pytest.mark.parametrize("line, code", doc_examples(),
                         ids=["line{0}".format(line) for line, _ in doc_examples()])
def test_docs_example(line, code):
    assert "assert " in code
    source = "\n" * (line - 1) + code  # tracebacks show docs/dask.md's lines
    exec(compile(source, DOCS, "exec"), {"__name__": "docs_example"})

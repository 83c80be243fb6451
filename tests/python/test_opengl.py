"""What is particular to the OpenGL backend: bindings renumbered per GL kind
(and refused past the device's limits), push constants through a uniform
block, the context shared by many threads, and the clear refusals of what GL
cannot do. Runs in the OpenGL pass (COMPUSHADY_BACKEND=opengl, see
scripts/test.sh)."""

import struct
import threading
import time

import pytest

import compushady
from compushady import HEAP_UPLOAD, Buffer, Compute, Heap, Sampler, Texture2D
from compushady.formats import R32_UINT, R32G32B32A32_FLOAT
from compushady.shaders import hlsl

from helpers import read_buffer, upload_buffer

pytestmark = pytest.mark.skipif(
    compushady.get_backend().name != "opengl",
    reason="OpenGL backend only: run with COMPUSHADY_BACKEND=opengl",
)


def test_every_register_class_reaches_its_gl_binding_point():
    # t3/u5/b2 would be bindings 1027/2053/2 in the SPIR-V: GL must see
    # each at its own kind's point, or reads give zeros silently
    source = """
    cbuffer A : register(b0) { uint a; };
    cbuffer B : register(b1) { uint b; };
    cbuffer C : register(b2) { uint c; };
    StructuredBuffer<uint> t[4] : register(t0);
    Buffer<uint> typed : register(t4);
    Texture2D<float4> image : register(t5);
    RWStructuredBuffer<uint> out0 : register(u0);
    RWStructuredBuffer<uint> outs[4] : register(u1);
    [numthreads(1, 1, 1)] void main() {
        out0[0] = a + b * 10 + c * 100;
        out0[1] = t[0][0] + t[1][0] + t[2][0] + t[3][0];
        out0[2] = typed[0];
        out0[3] = uint(image.Load(int3(0, 0, 0)).x);
    }
    """
    # descriptor arrays need bindless: use single declarations instead
    source = source.replace(
        "StructuredBuffer<uint> t[4] : register(t0);",
        "".join(
            "StructuredBuffer<uint> t%d : register(t%d);" % (i, i) for i in range(4)
        ),
    ).replace("t[0][0] + t[1][0] + t[2][0] + t[3][0]", "t0[0] + t1[0] + t2[0] + t3[0]")
    source = source.replace("RWStructuredBuffer<uint> outs[4] : register(u1);", "")
    cbs = [upload_buffer(struct.pack("<4I", v, 0, 0, 0), HEAP_UPLOAD) for v in (1, 2, 3)]
    srvs = [upload_buffer(struct.pack("<I", 1000 * (i + 1)), stride=4) for i in range(4)]
    typed = upload_buffer(struct.pack("<I", 77), format=R32_UINT)
    texture = Texture2D(1, 1, R32G32B32A32_FLOAT)
    upload_buffer(struct.pack("<4f", 9, 0, 0, 0), HEAP_UPLOAD).copy_to(texture)
    out = Buffer(16, stride=4)
    compute = Compute(
        hlsl.compile(source), cbv=cbs, srv=srvs + [typed, texture], uav=[out]
    )
    compute.dispatch(1, 1, 1)
    assert struct.unpack("<4I", read_buffer(out)) == (321, 10000, 77, 9)


def test_bindings_past_the_device_limit_are_refused():
    # GL ignores a binding it has no point for (nothing written, no error):
    # the backend refuses the shader instead, naming the limit
    count = 40
    source = "".join(
        "RWStructuredBuffer<uint> o%d : register(u%d);" % (i, i) for i in range(count)
    )
    source += "[numthreads(1, 1, 1)] void main() {%s}" % "".join(
        "o%d[0] = %d;" % (i, i) for i in range(count)
    )
    outs = [Buffer(4, stride=4) for _ in range(count)]
    with pytest.raises(
        compushady.ComputeException,
        match=r"the shader needs 40 shader storage buffers .* more than the \d+ "
        r"device '.*' offers to a compute shader in OpenGL",
    ):
        Compute(hlsl.compile(source), uav=outs)


@pytest.mark.parametrize("values", [(0, 0, 0.0), (1, 2, 3.5), (7, 99, -1.25)])
def test_push_constants_keep_cbuffer_offsets(values):
    # a float3 then a float: D3D packs them into one 16-byte row; the
    # uniform block the push constants become keeps the offsets
    source = """
    struct Push { float3 v; uint k; float2 w; uint j; };
    [[vk::push_constant]] ConstantBuffer<Push> p;
    RWStructuredBuffer<float> o : register(u0);
    [numthreads(1, 1, 1)] void main() {
        o[0] = p.v.z; o[1] = float(p.k); o[2] = p.w.y; o[3] = float(p.j);
    }
    """
    a, b, c = values
    out = Buffer(16, stride=4)
    compute = Compute(hlsl.compile(source), uav=[out], push_size=32)
    compute.dispatch(1, 1, 1, push=struct.pack("<3fI2fI4x", 0, 0, c, a, 0, c * 2, b))
    assert struct.unpack("<4f", read_buffer(out)) == (c, a, c * 2, b)


def test_many_threads_share_the_device_context():
    source = """
    struct Push { uint x; };
    [[vk::push_constant]] ConstantBuffer<Push> p;
    RWStructuredBuffer<uint> o : register(u0);
    [numthreads(64, 1, 1)] void main(uint3 id : SV_DispatchThreadID) {
        o[id.x] = id.x * p.x;
    }
    """
    spirv = hlsl.compile(source)
    errors = []

    def work(index):
        try:
            out = Buffer(256 * 4, stride=4)
            compute = Compute(spirv, uav=[out], push_size=4)
            for round in range(5):
                compute.dispatch(4, 1, 1, push=struct.pack("<I", index + round))
                got = struct.unpack("<256I", read_buffer(out))
                assert got == tuple(i * (index + round) for i in range(256))
        except Exception as problem:  # reported by the main thread
            errors.append(problem)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_failures_on_the_device_thread_reach_the_thread_that_called():
    # the work runs on the device's own thread; each caller must get its own
    # call's exception and message, also when many fail at once
    def source(count):
        bindings = "".join(
            "RWStructuredBuffer<uint> o%d : register(u%d);" % (i, i)
            for i in range(count)
        )
        body = "".join("o%d[0] = %d;" % (i, i) for i in range(count))
        return bindings + "[numthreads(1, 1, 1)] void main() {%s}" % body

    counts = list(range(40, 48))
    modules = {count: hlsl.compile(source(count)) for count in counts}
    outs = [Buffer(4, stride=4) for _ in range(max(counts))]
    messages, errors = {}, []
    start = threading.Barrier(len(counts))

    def work(count):
        try:
            start.wait()
            for _ in range(3):
                try:
                    Compute(modules[count], uav=outs[:count])
                except compushady.ComputeException as refusal:
                    messages.setdefault(count, set()).add(str(refusal))
                else:
                    raise AssertionError("not refused")
        except Exception as problem:  # reported by the main thread
            errors.append(problem)

    threads = [threading.Thread(target=work, args=(count,)) for count in counts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for count in counts:
        (message,) = messages[count]
        assert "the shader needs %d shader storage buffers" % count in message


def test_calls_after_the_device_thread_went_idle():
    # the device's thread sleeps after 200 us without work, and wakes
    # for the next call
    source = """
    struct Push { uint x; };
    [[vk::push_constant]] ConstantBuffer<Push> p;
    RWStructuredBuffer<uint> o : register(u0);
    [numthreads(64, 1, 1)] void main(uint3 id : SV_DispatchThreadID) {
        o[id.x] = id.x + p.x;
    }
    """
    out = Buffer(64 * 4, stride=4)
    compute = Compute(hlsl.compile(source), uav=[out], push_size=4)
    for round, pause in enumerate([0, 0.001, 0.01, 0, 0.05, 0.002]):
        time.sleep(pause)
        compute.dispatch(1, 1, 1, push=struct.pack("<I", round * 1000))
        got = struct.unpack("<64I", read_buffer(out))
        assert got == tuple(i + round * 1000 for i in range(64))


def test_heaps_are_refused_clearly():
    with pytest.raises(
        compushady.HeapException, match="not supported by the OpenGL backend"
    ):
        Heap(compushady.HEAP_DEFAULT, 65536)


def test_device_reports_what_gl_lacks():
    device = compushady.get_current_device()
    assert device.supports_sparse is False
    assert device.supports_bindless is False
    assert device.supports_heaps is False
    # what it offers, read from GL and the machine
    assert device.dedicated_video_memory + device.shared_system_memory > 0
    assert device.max_push_constants_size >= 128
    assert all(count >= 65535 for count in device.max_compute_workgroup_count)
    assert device.max_compute_workgroup_invocations >= 1024


def test_a_texture_with_two_samplers_is_refused():
    source = """
    Texture2D<float4> t : register(t0);
    SamplerState s0 : register(s0);
    SamplerState s1 : register(s1);
    RWStructuredBuffer<float4> o : register(u0);
    [numthreads(1, 1, 1)] void main() {
        o[0] = t.SampleLevel(s0, float2(0, 0), 0) + t.SampleLevel(s1, float2(0, 0), 0);
    }
    """
    texture = Texture2D(1, 1, R32G32B32A32_FLOAT)
    with pytest.raises(
        compushady.ComputeException,
        match="register t0 is sampled with two samplers.*not supported by the "
        "OpenGL backend",
    ):
        Compute(
            hlsl.compile(source),
            srv=[texture],
            uav=[Buffer(16, stride=16)],
            samplers=[Sampler(), Sampler()],
        )


def _words_of(path):
    with open(path, "rb") as dumped:
        data = dumped.read()
    return struct.unpack("<%dI" % (len(data) // 4), data)


def _instructions(words):
    at = 5
    while at < len(words):
        count = words[at] >> 16
        yield words[at] & 0xFFFF, words[at + 1 : at + count]
        at += count


@pytest.mark.parametrize("registers", [(0, 0, 0), (3, 7, 2), (0, 1023, 9)])
def test_the_module_gl_gets_has_gl_bindings(tmp_path, monkeypatch, registers):
    # the rewritten words (COMPUSHADY_GL_DUMP_SPIRV): no descriptor set, no
    # binding of the convention's ranges (t0 = 1024 ...), push constants a
    # uniform block, each kind numbered from 0
    t, u, b = registers
    source = """
    struct Push { uint k; };
    [[vk::push_constant]] ConstantBuffer<Push> p;
    cbuffer C : register(b%d) { uint c; };
    StructuredBuffer<uint> i : register(t%d);
    RWStructuredBuffer<uint> o : register(u%d);
    [numthreads(1, 1, 1)] void main() { o[0] = i[0] + c + p.k; }
    """ % (b, t, u)
    cbv = [upload_buffer(struct.pack("<4I", 1, 0, 0, 0), HEAP_UPLOAD)] * (b + 1)
    srv = [upload_buffer(struct.pack("<I", 10), stride=4)] * (t + 1)
    out = Buffer(4, stride=4)
    path = tmp_path / "module.spv"
    monkeypatch.setenv("COMPUSHADY_GL_DUMP_SPIRV", str(path))
    compute = Compute(hlsl.compile(source), cbv=cbv, srv=srv, uav=[Buffer(4, stride=4)] * u + [out], push_size=4)
    monkeypatch.delenv("COMPUSHADY_GL_DUMP_SPIRV")
    compute.dispatch(1, 1, 1, push=struct.pack("<I", 100))
    assert struct.unpack("<I", read_buffer(out)) == (111,)
    OP_DECORATE, OP_VARIABLE, OP_TYPE_POINTER = 71, 59, 32
    DESCRIPTOR_SET, BINDING = 34, 33
    PUSH_CONSTANT = 9
    bindings = []
    for opcode, operands in _instructions(_words_of(path)):
        if opcode == OP_DECORATE:
            assert operands[1] != DESCRIPTOR_SET
            if operands[1] == BINDING:
                bindings.append(operands[2])
        if opcode == OP_VARIABLE:
            assert operands[2] != PUSH_CONSTANT
        if opcode == OP_TYPE_POINTER:
            assert operands[1] != PUSH_CONSTANT
    # cbuffer -> uniform block 0, push constants -> uniform block 1, the
    # structured buffers -> storage blocks 0 and 1
    assert sorted(bindings) == [0, 0, 1, 1]

"""Property-based test: random sequences of API calls (create buffers of
random heaps and sizes, uploads/readbacks at random offsets and sizes,
copies with random arguments, dispatches of a small fixed shader with random
group counts and push data, indirect dispatches, drops), run at once or
recorded in `with compushady.batch():` blocks.

Every call either raises the documented exception or succeeds, and a shadow
model in Python (the bytes of every buffer, with a mask of the bytes whose
value is known) must match what the device returns on every readback.

CI runs a few dozen examples; COMPUSHADY_FUZZ_EXAMPLES=2000 for a long run.
"""

import os
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import compushady as C
from compushady.shaders import hlsl

EXAMPLES = int(os.environ.get("COMPUSHADY_FUZZ_EXAMPLES", "60"))

SOURCE = """
RWStructuredBuffer<uint> output : register(u0);
struct Push { uint a; uint b; };
[[vk::push_constant]] ConstantBuffer<Push> push;
[numthreads(1, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint count, stride;
    output.GetDimensions(count, stride);
    if (tid.x < count)
        output[tid.x] = push.a + tid.x * push.b;
}
"""

_shader = None


def shader():
    global _shader
    if _shader is None:
        _shader = hlsl.compile(SOURCE)
    return _shader


HEAPS = [C.HEAP_DEFAULT, C.HEAP_UPLOAD, C.HEAP_READBACK]
STATS = {"calls": 0, "errors": 0, "examples": 0, "batched": 0, "kinds": {}}


class Shadow:
    """A buffer and what we know of its bytes."""

    def __init__(self, buffer, heap, size):
        self.buffer = buffer
        self.heap = heap
        self.size = size
        self.data = bytearray(size)
        self.known = bytearray(size)  # 1 where data holds the real value
        self.compute = None

    def write(self, offset, data):
        self.data[offset:offset + len(data)] = data
        self.known[offset:offset + len(data)] = b"\1" * len(data)

    def check(self, offset, got):
        for i, value in enumerate(got):
            if self.known[offset + i]:
                assert value == self.data[offset + i], (
                    "byte {0} of a {1}-byte heap-{2} buffer: device {3}, model "
                    "{4}".format(offset + i, self.size, self.heap, value,
                                 self.data[offset + i]))


def expect_error(call, exception):
    try:
        call()
    except exception:
        STATS["errors"] += 1
        return
    raise AssertionError("expected {0}".format(exception.__name__))


sizes = st.integers(0, 300)
offsets = st.one_of(st.integers(0, 300), st.sampled_from([2**32, 2**63, 2**64 - 1]))
index = st.integers(0, 7)
# Recorded GPU work and drops: what a `with compushady.batch():` block may
# hold besides creations, and the model can follow (the commands of a block
# run in order at its end). Uploads and readbacks run on the host at once,
# so they stay outside blocks.
gpu_ops = [
    st.tuples(st.just("copy"), index, index, st.integers(0, 300), offsets, offsets),
    st.tuples(st.just("dispatch"), index, st.integers(0, 80), st.binary(max_size=12)),
    st.tuples(st.just("indirect"), index, st.integers(0, 40), st.integers(0, 24)),
    st.tuples(st.just("drop"), index),
]
ops = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(HEAPS + [3]), st.integers(0, 260)),
    st.tuples(st.just("upload"), index, offsets, sizes, st.integers(0, 255)),
    st.tuples(st.just("readback"), index, offsets, sizes),
    st.tuples(st.just("readback_into"), index, offsets, sizes),
    *gpu_ops,
)
batched_ops = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(HEAPS), st.integers(1, 260)),
    *gpu_ops,
)


def run_op(buffers, op):
    STATS["calls"] += 1
    kind = op[0]
    STATS["kinds"][kind] = STATS["kinds"].get(kind, 0) + 1
    if kind == "create":
        _, heap, size = op
        if heap not in HEAPS or size == 0:
            expect_error(lambda: C.Buffer(size, heap), C.BufferException)
            return
        buffers.append(Shadow(C.Buffer(size, heap), heap, size))
        return
    if not buffers:
        return
    target = buffers[op[1] % len(buffers)]
    if kind == "upload":
        _, _, offset, length, seed = op
        data = bytes((seed + i * 7) & 0xFF for i in range(length))
        if target.heap == C.HEAP_DEFAULT or offset + length > target.size:
            expect_error(lambda: target.buffer.upload(data, offset), C.BufferException)
        else:
            target.buffer.upload(data, offset)
            target.write(offset, data)
    elif kind in ("readback", "readback_into"):
        _, _, offset, length = op
        if kind == "readback":
            n = length if length else target.size - offset
            bad = offset > target.size or offset + n > target.size
            call = lambda: target.buffer.readback(length, offset)  # noqa: E731
        else:
            n = length
            out = bytearray(length)
            bad = offset + n > target.size
            call = lambda: target.buffer.readback(out, offset)  # noqa: E731
        if target.heap == C.HEAP_DEFAULT or bad:
            expect_error(call, C.BufferException)
            return
        got = call()
        if kind == "readback_into":
            assert got is None
            got = bytes(out)
        assert len(got) == n
        target.check(offset, got)
    elif kind == "copy":
        _, _, dst_index, size, src_offset, dst_offset = op
        src, dst = target, buffers[dst_index % len(buffers)]
        n = size if size else src.size - src_offset
        bad = (src_offset > src.size or n > src.size - src_offset
               or dst_offset > dst.size or n > dst.size - dst_offset)
        overlap = (src is dst and n > 0 and src_offset < dst_offset + n
                   and dst_offset < src_offset + n)

        def call():
            src.buffer.copy_to(dst.buffer, size, src_offset, dst_offset)

        if bad or overlap:
            expect_error(call, C.BufferException)
            return
        call()
        dst.data[dst_offset:dst_offset + n] = src.data[src_offset:src_offset + n]
        dst.known[dst_offset:dst_offset + n] = src.known[src_offset:src_offset + n]
    elif kind in ("dispatch", "indirect"):
        if target.compute is None:
            target.compute = C.Compute(shader(), uav=[target.buffer], push_size=8)
        if kind == "dispatch":
            _, _, groups, push = op
            if len(push) > 8:
                expect_error(lambda: target.compute.dispatch(groups, 1, 1, push),
                             C.ComputeException)
                return
            target.compute.dispatch(groups, 1, 1, push)
        else:
            _, _, groups, offset = op
            push = b"\x05\0\0\0\x03\0\0\0"
            counts = C.Buffer(36, C.HEAP_UPLOAD)
            if offset + 12 <= 36:
                counts.upload(bytes([groups, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]), offset)
            if offset % 4 or offset + 12 > 36:
                expect_error(lambda: target.compute.dispatch_indirect(counts, offset, push),
                             C.ComputeException)
                return
            target.compute.dispatch_indirect(counts, offset, push)
        padded = push.ljust(8, b"\0")
        a = int.from_bytes(padded[:4], "little")
        b = int.from_bytes(padded[4:], "little")
        for t in range(groups):
            if 4 * t + 4 <= target.size:
                target.write(4 * t, ((a + t * b) & 0xFFFFFFFF).to_bytes(4, "little"))
    elif kind == "drop":
        buffers.remove(target)


def verify_all(buffers):
    for shadow in buffers:
        if shadow.heap == C.HEAP_DEFAULT:
            out = C.Buffer(shadow.size, C.HEAP_READBACK)
            shadow.buffer.copy_to(out)
            shadow.check(0, out.readback())
        else:
            shadow.check(0, shadow.buffer.readback())


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(ops, min_size=4, max_size=40))
def test_random_api_sequences(sequence):
    STATS["examples"] += 1
    buffers = []
    for op in sequence:
        run_op(buffers, op)
    verify_all(buffers)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(ops, st.lists(batched_ops, min_size=1, max_size=12)),
                min_size=4, max_size=30))
def test_random_batched_sequences(sequence):
    """The same model with runs of GPU work recorded in batches: the
    commands of a block run in order at its end, with the barriers between
    dependent ones (synchronization validation is on), and a buffer dropped
    inside the block stays alive until its recorded work has run."""
    STATS["examples"] += 1
    buffers = []
    for step in sequence:
        if isinstance(step, list):
            with C.batch():
                for op in step:
                    STATS["batched"] += 1
                    run_op(buffers, op)
        else:
            run_op(buffers, step)
    verify_all(buffers)


def test_byte_address_buffer_get_dimensions():
    """(RW)ByteAddressBuffer.GetDimensions returns bytes, as with DXC:
    glslang returns 4-byte words, which hlsl_compat.c scales; a structured
    buffer's count stays in elements."""
    compute_source = """
RWByteAddressBuffer output : register(u0);
ByteAddressBuffer input : register(t0);
RWStructuredBuffer<uint> elements : register(u1);
[numthreads(1, 1, 1)]
void main()
{
    uint size, input_size, count, stride;
    output.GetDimensions(size);
    if (size > 0) input.GetDimensions(input_size);
    elements.GetDimensions(count, stride);
    output.Store(0, size);
    output.Store(4, input_size);
    output.Store(8, count);
}
"""
    buffer = C.Buffer(64)
    C.Compute(hlsl.compile(compute_source), srv=[C.Buffer(32)], uav=[buffer, C.Buffer(48, stride=4)]).dispatch(1, 1, 1)
    out = C.Buffer(12, C.HEAP_READBACK)
    buffer.copy_to(out, 12)
    assert struct.unpack("<3I", out.readback()) == (64, 32, 12)


def test_fuzz_reached_every_kind_of_call():
    """The property tests above reached every kind of call, expected errors
    and batched commands included: a strategy that stopped producing one
    would let them pass without testing it. Prints the counts (-s)."""
    if STATS["examples"] == 0:
        pytest.skip("counts the property tests of this file: run them first")
    print("\nfuzz: {examples} examples, {calls} calls, {errors} expected "
          "errors, {batched} calls in batches; by kind: {kinds}".format(
              **STATS))
    assert STATS["errors"] > 0
    assert STATS["batched"] > 0
    assert set(STATS["kinds"]) == {
        "create", "upload", "readback", "readback_into", "copy", "dispatch",
        "indirect", "drop"}

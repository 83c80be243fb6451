"""Inputs changed by another thread while a call uses them (issue 12, item 2).

Every bytes-like input that is validated and then used without the GIL is
either copied first (SPIR-V given to Compute(), shader sources, SPIR-V given
to reflection) or used in one pass where any mix of old and new bytes is a
valid input (uploads, push constants, readback targets). A thread rewrites
the caller's bytearray in a loop while the call runs; the call must give a
correct result or a clean error, never a crash or a validation message.
"""

import random
import struct
import threading
import time

import pytest

import compushady
from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

from helpers import read_buffer

WRITE_VALUE = """
RWStructuredBuffer<uint> output : register(u0);
[numthreads(1, 1, 1)]
void main() { output[0] = 0x12345678; }
"""

PUSH_VALUE = """
struct Push { uint value; };
[[vk::push_constant]] ConstantBuffer<Push> push;
RWStructuredBuffer<uint> output : register(u0);
[numthreads(1, 1, 1)]
void main() { output[0] = push.value; }
"""


class Mutator:
    """A thread that assigns each of versions to target in turn (whole
    slices: the length never changes) until stopped."""

    def __init__(self, target, versions):
        self.target = target
        self.versions = versions
        self.rounds = 0
        self._stop = threading.Event()
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for version in self.versions:
                self.target[:] = version
            self.rounds += 1
            self._running.set()

    def __enter__(self):
        # the calls start once the thread really runs (under load, a short
        # test could otherwise end before it was ever scheduled)
        self._thread.start()
        assert self._running.wait(10)
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(10)
        assert not self._thread.is_alive()


def instruction_starts(spirv):
    """The word index of every instruction after the 5-word header."""
    words = struct.unpack("<{0}I".format(len(spirv) // 4), spirv)
    at, starts = 5, []
    while at < len(words):
        starts.append(at)
        at += max(words[at] >> 16, 1)
    return starts


def corrupted_modules(spirv, count, seed):
    """Copies of spirv with one instruction's first word replaced: word
    counts that run past the end or are 0, unknown opcodes, random words."""
    rng = random.Random(seed)
    word_count = len(spirv) // 4
    starts = instruction_starts(spirv)
    modules = []
    for _ in range(count):
        words = list(struct.unpack("<{0}I".format(word_count), spirv))
        at = rng.choice(starts)
        words[at] = rng.choice(
            [
                0xFFFF0000 | (words[at] & 0xFFFF),
                (words[at] & 0xFFFF),
                (words[at] & 0xFFFF0000) | 0xFFFF,
                rng.getrandbits(32),
            ]
        )
        modules.append(struct.pack("<{0}I".format(word_count), *words))
    return modules


def test_compute_from_a_changing_spirv_bytearray():
    output = Buffer(4, stride=4)
    built = failed = rounds = 0
    deadline = time.monotonic() + 2.5
    for index in range(64):
        # a module of its own each time: nothing comes from a cache
        good = hlsl.compile(WRITE_VALUE.replace("0x12345678", str(1000 + index)))
        shader = bytearray(good)
        with Mutator(shader, [good] + corrupted_modules(good, 7, seed=index)) as m:
            for _ in range(8):
                try:
                    compute = Compute(shader, uav=[output])
                except (compushady.ComputeException, compushady.BackendError):
                    failed += 1
                    continue
                # what was copied was validated and built as a whole: a
                # compute that exists comes from one version, and runs
                compute.dispatch(1, 1, 1)
                built += 1
        rounds += m.rounds
        # the good module, once the buffer is still, gives its value
        shader[:] = good
        Compute(shader, uav=[output]).dispatch(1, 1, 1)
        assert struct.unpack("<I", read_buffer(output, 4)) == (1000 + index,)
        if time.monotonic() > deadline:
            break
    assert rounds > 0 and built + failed > 0


def test_reflect_and_compile_from_changing_bytearrays():
    from compushady import _native

    good = hlsl.compile(WRITE_VALUE)
    spirv = bytearray(good)
    with Mutator(spirv, [good] + corrupted_modules(good, 3, seed=7)):
        for _ in range(200):
            try:
                reflection = _native.reflect_shader(spirv)
            except compushady.ComputeException:
                continue
            assert reflection["entry_point"]

    valid = WRITE_VALUE.encode()
    broken = valid.replace(b"0x12345678;", b"0x12345678 ")
    source = bytearray(valid)
    results = set()
    with Mutator(source, [valid, broken]):
        for _ in range(10):
            try:
                results.add(hlsl.compile(source))
            except compushady.ShaderCompileError:
                results.add("error")
    assert results <= {good, "error"}


@pytest.mark.parametrize("size", [256, 256 * 1024])
def test_upload_from_a_changing_bytearray(size):
    # small uploads run with the GIL held (the copy sees one version);
    # large ones without it, where the copy may see a mix: every byte is
    # still one of the versions' bytes, and nothing else can happen
    buffer = Buffer(size, HEAP_UPLOAD)
    readback = Buffer(size, HEAP_READBACK)
    data = bytearray(b"\x11" * size)
    with Mutator(data, [b"\x11" * size, b"\x22" * size]) as mutator:
        for _ in range(20):
            buffer.upload(data)
            buffer.upload2d(data, 64, 16, size // 64, 4)
            buffer.upload_chunked(data[: size // 2], 4, b"\x22\x11\x22\x11")
            buffer.copy_to(readback)
            assert set(readback.readback()) <= {0x11, 0x22}
    assert mutator.rounds > 0


def test_dispatch_with_changing_push_constants():
    compute_output = Buffer(4, stride=4)
    compute = Compute(hlsl.compile(PUSH_VALUE), uav=[compute_output], push_size=4)
    push = bytearray(b"\x11" * 4)
    seen = set()
    with Mutator(push, [b"\x11" * 4, b"\x22" * 4]):
        for _ in range(30):
            compute.dispatch(1, 1, 1, push)
            seen.update(read_buffer(compute_output, 4))
    assert seen <= {0x11, 0x22}


def test_readback_into_a_bytearray_changed_meanwhile():
    size = 256 * 1024
    buffer = Buffer(size, HEAP_UPLOAD)
    buffer.upload(b"\x33" * size)
    readback = Buffer(size, HEAP_READBACK)
    buffer.copy_to(readback)
    target = bytearray(size)
    with Mutator(target, [b"\x00" * size, b"\x44" * size]):
        for _ in range(20):
            readback.readback(target)
            assert len(target) == size
    readback.readback(target)
    assert target == b"\x33" * size


def test_readback_target_resized_meanwhile():
    # the export pins the target's size: a resize during the call is
    # refused (BufferError in the resizing thread), one between calls works
    size = 256 * 1024
    readback = Buffer(size, HEAP_READBACK)
    target = bytearray(size)
    outcomes = {"resized": 0, "refused": 0}
    stop = threading.Event()

    def resize():
        while not stop.is_set():
            try:
                target.extend(b"\0" * 16)
                del target[size:]
                outcomes["resized"] += 1
            except BufferError:
                outcomes["refused"] += 1

    thread = threading.Thread(target=resize, daemon=True)
    thread.start()
    try:
        for _ in range(50):
            try:
                readback.readback(target)
            except compushady.BufferException as error:
                # the target was longer than the buffer at that moment
                assert "does not fit" in str(error)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert outcomes["resized"] > 0
    del target[size:]
    assert len(target) == size

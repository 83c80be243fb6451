"""Command lists, batch(), fences and GPU timing (zero validation messages,
sync validation included, checked by conftest)."""

import gc
import struct

import pytest

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

ADD_ONE = """
RWStructuredBuffer<uint> counter : register(u0);
[numthreads(1, 1, 1)]
void main() { counter[0] += 1; }
"""

TWICE = """
RWStructuredBuffer<uint> data : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID) { data[tid.x] = data[tid.x] * 2 + 1; }
"""

ADD_PUSH = """
struct P { uint add; };
[[vk::push_constant]] ConstantBuffer<P> push;
RWStructuredBuffer<uint> counter : register(u0);
[numthreads(1, 1, 1)]
void main() { counter[0] += push.add; }
"""


def zeroed(size, stride=4):
    buffer = Buffer(size, HEAP_DEFAULT, stride=stride)
    upload = Buffer(size, HEAP_UPLOAD)
    upload.upload(b"\0" * size)
    upload.copy_to(buffer)
    return buffer


def read_u32(buffer, count=1):
    readback = Buffer(4 * count, HEAP_READBACK)
    buffer.copy_to(readback, size=4 * count)
    return list(struct.unpack("<%dI" % count, readback.readback(4 * count)))


@pytest.fixture(scope="module")
def add_one():
    return hlsl.compile(ADD_ONE)


@pytest.fixture(scope="module")
def twice():
    return hlsl.compile(TWICE)


def test_1000_dependent_dispatches(add_one):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    commands = compushady.CommandList()
    for _ in range(1000):
        commands.dispatch(compute, 1, 1, 1)
    assert len(commands) == 1000
    fence = commands.submit()
    assert fence.done and fence.wait(0)
    assert fence.gpu_time is None
    assert read_u32(counter) == [1000]


def test_batch_records_dispatches_and_copies(add_one):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    readback = Buffer(4, HEAP_READBACK)
    with compushady.batch() as commands:
        for _ in range(1000):
            compute.dispatch(1, 1, 1)
        counter.copy_to(readback)
        # nothing ran yet: the readback is on the host, now
        assert len(commands) == 1001
    assert struct.unpack("<I", readback.readback(4)) == (1000,)
    # outside the block, dispatch runs at once again
    compute.dispatch(1, 1, 1)
    assert read_u32(counter) == [1001]


def test_mixed_copies_and_dispatches_in_order(twice):
    upload = Buffer(256, HEAP_UPLOAD)
    upload.upload(struct.pack("<64I", *range(64)))
    a = Buffer(256, HEAP_DEFAULT, stride=4)
    b = Buffer(256, HEAP_DEFAULT, stride=4)
    readback = Buffer(512, HEAP_READBACK)
    twice_a = Compute(twice, uav=[a])
    twice_b = Compute(twice, uav=[b])
    commands = compushady.CommandList()
    commands.copy(upload, a)
    commands.dispatch(twice_a, 1, 1, 1)
    commands.copy(a, b)
    commands.dispatch(twice_b, 1, 1, 1)
    commands.dispatch(twice_a, 1, 1, 1)
    commands.copy(a, readback)
    commands.copy(b, readback, dst_offset=256)
    commands.submit()
    out = struct.unpack("<128I", readback.readback())
    expected = [(i * 2 + 1) * 2 + 1 for i in range(64)]
    assert list(out[:64]) == expected and list(out[64:]) == expected


def test_async_submit_then_wait(add_one):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    commands = compushady.CommandList()
    for _ in range(500):
        commands.dispatch(compute, 1, 1, 1)
    fence = commands.submit(wait=False)
    # other work meanwhile
    other = zeroed(16)
    assert read_u32(other, 4) == [0, 0, 0, 0]
    assert fence.wait(0) in (True, False)
    assert fence.wait(timeout=60.0) is True
    assert fence.done
    assert read_u32(counter) == [500]


def test_list_reuse_and_reset(add_one):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    push_compute = Compute(hlsl.compile(ADD_PUSH), uav=[counter], push_size=4)
    commands = compushady.CommandList()
    for _ in range(10):
        commands.dispatch(compute, 1, 1, 1)
    commands.submit()
    commands.submit()
    assert read_u32(counter) == [20]
    with pytest.raises(compushady.ComputeException, match="reset it"):
        commands.dispatch(compute, 1, 1, 1)
    commands.reset()
    assert len(commands) == 0
    commands.dispatch(push_compute, 1, 1, 1, struct.pack("<I", 100))
    commands.submit()
    assert read_u32(counter) == [120]


def test_in_flight_list_keeps_resources_alive(twice):
    readback = Buffer(256, HEAP_READBACK)
    commands = compushady.CommandList()
    data = Buffer(256, HEAP_DEFAULT, stride=4)
    upload = Buffer(256, HEAP_UPLOAD)
    upload.upload(struct.pack("<64I", *range(64)))
    compute = Compute(twice, uav=[data])
    commands.copy(upload, data)
    for _ in range(20):
        commands.dispatch(compute, 1, 1, 1)
    commands.copy(data, readback)
    fence = commands.submit(wait=False)
    del compute, data, upload, commands
    gc.collect()
    assert fence.wait()
    expected = []
    for i in range(64):
        value = i
        for _ in range(20):
            value = (value * 2 + 1) & 0xFFFFFFFF
        expected.append(value)
    assert list(struct.unpack("<64I", readback.readback())) == expected
    del fence
    gc.collect()


def test_gpu_time(add_one):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    try:
        commands = compushady.CommandList(timestamps=True)
    except compushady.ComputeException as error:
        pytest.skip(str(error))
    for _ in range(100):
        commands.dispatch(compute, 1, 1, 1)
    fence = commands.submit(wait=False)
    assert fence.gpu_time > 0
    times = fence.gpu_times
    assert len(times) == 100 and all(t >= 0 for t in times)
    assert abs(sum(times) - fence.gpu_time) < 1e-6
    with compushady.batch(timestamps=True) as recording:
        compute.dispatch(1, 1, 1)
    assert recording.timestamps
    timed = Compute(add_one, uav=[counter], timestamps=True)
    assert timed.last_gpu_time is None
    timed.dispatch(1, 1, 1)
    assert timed.last_gpu_time > 0
    assert compute.dispatch_timed(1, 1, 1) > 0
    assert read_u32(counter) == [103]


def test_errors_with_messages(add_one):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    commands = compushady.CommandList()
    small = Buffer(4, HEAP_DEFAULT)
    readback = Buffer(4, HEAP_READBACK)
    with pytest.raises(compushady.BufferException, match="exceed the 4-byte source"):
        commands.copy(small, readback, size=8)
    with pytest.raises(compushady.BufferException, match="must be >= 0"):
        commands.copy(small, readback, size=-1)
    with pytest.raises(TypeError, match="must be a Buffer or a Texture"):
        commands.copy(small, "nope")
    with pytest.raises(TypeError, match="compushady.Compute"):
        commands.dispatch(object(), 1, 1, 1)
    with pytest.raises(compushady.ComputeException, match="push data is 4 bytes"):
        commands.dispatch(compute, 1, 1, 1, b"1234")
    with pytest.raises(compushady.ComputeException, match="do not fit"):
        commands.dispatch_indirect(compute, small)
    with pytest.raises(compushady.BufferException, match="exceed the 4-byte source"):
        with compushady.batch():
            small.copy_to(readback, size=8)
    assert len(commands) == 0
    # a compute of another device (another instance's)
    other = compushady._native.create_instance(debug=False).devices()[0]
    far = other.create_buffer(HEAP_DEFAULT, 4, stride=4)
    far_compute = other.create_compute(add_one, uav=[far])
    with pytest.raises(compushady.ComputeException, match="belongs to device"):
        commands.handle.dispatch(far_compute, 1, 1, 1)
    commands.submit()


@pytest.mark.parametrize("repeat", [1, 2, 17, 1000])
def test_dispatch_repeat_records_dependent_dispatches(add_one, repeat):
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    commands = compushady.CommandList()
    commands.dispatch(compute, 1, 1, 1, repeat=repeat)
    commands.dispatch(compute, 1, 1, 1)
    assert len(commands) == repeat + 1
    commands.submit()
    commands.submit()  # submitted again: the same dispatches again
    assert read_u32(counter) == [2 * (repeat + 1)]


def test_dispatch_repeat_with_push(twice):
    add_push = hlsl.compile(ADD_PUSH)
    counter = zeroed(4)
    compute = Compute(add_push, uav=[counter], push_size=4)
    commands = compushady.CommandList()
    commands.dispatch(compute, 1, 1, 1, struct.pack("<I", 3), repeat=5)
    commands.submit()
    assert read_u32(counter) == [15]


@pytest.mark.parametrize("repeat, message", [
    (0, "repeat must be at least 1, got 0"),
    (-5, "repeat must be at least 1, got -5"),
    (-(1 << 70), "repeat must be at least 1, got -1180591620717411303424"),
    (1 << 32, "repeat 4294967296 does not fit in 32 bits"),
])
def test_dispatch_repeat_bad_values(add_one, repeat, message):
    compute = Compute(add_one, uav=[zeroed(4)])
    commands = compushady.CommandList()
    with pytest.raises(compushady.ComputeException, match=message):
        commands.dispatch(compute, 1, 1, 1, repeat=repeat)
    with pytest.raises(TypeError, match="repeat must be an int, got str"):
        commands.dispatch(compute, 1, 1, 1, repeat="3")
        commands.dispatch(compute, 1, 1, 1, repeat=repeat)
    assert len(commands) == 0


def _bind_like_python(args, kwargs):
    """What Python's own binding of CommandList.dispatch says of a call:
    None when it binds, else the TypeError's message."""
    import inspect

    signature = inspect.signature(compushady.CommandList.dispatch)
    try:
        signature.bind(None, *args, **kwargs)
    except TypeError as error:
        return str(error)
    return None


def _argument_cases():
    """Every split of dispatch's arguments between positions and keywords,
    with arguments left out, repeated, or unknown."""
    names = ["compute", "x", "y", "z", "push", "repeat"]
    cases = []
    for positional in range(0, 8):
        for mask in range(0, 1 << 6):
            keywords = [names[i] for i in range(6) if mask >> i & 1]
            cases.append((positional, tuple(keywords)))
    cases += [(4, ("bogus",)), (6, ("repeat",)), (3, ("z", "x")), (7, ())]
    return cases


def test_dispatch_arguments_bind_as_python_binds_them(add_one):
    """The native method behind CommandList.dispatch parses its arguments
    itself (for speed): every way of passing them must be accepted or
    refused exactly as Python's own binding of the documented signature
    would, recording one dispatch per accepted call."""
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    values = {"compute": compute, "x": 1, "y": 1, "z": 1, "push": None,
              "repeat": 1, "bogus": 0}
    order = ["compute", "x", "y", "z", "push", "repeat", "extra"]
    commands = compushady.CommandList()
    accepted = 0
    for positional, keywords in _argument_cases():
        args = [values.get(order[i], 1) for i in range(positional)]
        kwargs = {name: values[name] for name in keywords}
        expected = _bind_like_python(args, kwargs)
        before = len(commands)
        if expected is None:
            commands.dispatch(*args, **kwargs)
            assert len(commands) == before + 1
            accepted += 1
        else:
            with pytest.raises(TypeError):
                commands.dispatch(*args, **kwargs)
            assert len(commands) == before
    assert accepted > 10
    commands.submit()
    assert read_u32(counter) == [accepted]


@pytest.mark.parametrize("kwargs, message", [
    ({"bogus": 1}, "dispatch\\(\\) got an unexpected keyword argument 'bogus'"),
    ({"x": 1}, "dispatch\\(\\) got multiple values for argument 'x'"),
])
def test_dispatch_argument_messages(add_one, kwargs, message):
    compute = Compute(add_one, uav=[zeroed(4)])
    commands = compushady.CommandList()
    with pytest.raises(TypeError, match=message):
        commands.dispatch(compute, 1, 1, 1, **kwargs)
    with pytest.raises(TypeError, match="missing required argument 'z'"):
        commands.dispatch(compute, 1, 1)
    with pytest.raises(TypeError, match="takes at most 6 arguments \\(7 given\\)"):
        commands.dispatch(compute, 1, 1, 1, None, 1, 5)
    assert len(commands) == 0


def test_lists_and_dispatches_share_recycled_command_buffers(add_one):
    """Command lists take their command buffers from the device's free list
    that single dispatches use, and give them back: lists made and dropped
    between dispatches, recorded or not, submitted or not, with timestamps
    or without, never see another's recording (the validation layer checks
    the buffers' states) and every count is exact."""
    counter = zeroed(4)
    compute = Compute(add_one, uav=[counter])
    expected = 0
    for i in range(60):
        commands = compushady.CommandList(timestamps=i % 3 == 0)
        recorded = i % 4
        if recorded:
            commands.dispatch(compute, 1, 1, 1, repeat=recorded)
        if i % 5 != 4:  # some lists are dropped without being submitted
            commands.submit()
            expected += recorded
        del commands
        compute.dispatch(1, 1, 1)
        expected += 1
        if i % 7 == 0:
            gc.collect()
    assert read_u32(counter) == [expected]

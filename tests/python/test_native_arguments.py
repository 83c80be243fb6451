"""The extension module's own argument checks (bindings/python/arguments.c).

The public API checks types before it reaches compushady._native, so these
messages are only seen by code that uses the native module directly; they
must still be clean exceptions naming the argument, never a crash.
"""

import pytest

import compushady as C
from compushady import _native
from compushady.shaders import hlsl

SHADER = b"""
RWStructuredBuffer<uint> counter : register(u0);
[numthreads(1, 1, 1)]
void main() { counter[0] += 1; }
"""


@pytest.fixture(scope="module")
def native():
    """A native UAV buffer, a Compute over it and a CommandList."""
    buffer = C.Buffer(64, C.HEAP_DEFAULT, stride=4)
    compute = C.Compute(hlsl.compile(SHADER), uav=[buffer])
    command_list = _native.create_command_list(C.get_current_device().handle)
    return buffer.handle, compute.handle, command_list


@pytest.mark.parametrize(
    "call, exception, message",
    [
        (lambda b, c, cl: c.dispatch_indirect(5), TypeError,
         "buffer must be a compushady resource, got int"),
        (lambda b, c, cl: cl.dispatch_indirect(c, "x"), TypeError,
         "buffer must be a compushady resource, got str"),
        (lambda b, c, cl: b.copy_to(b"abc"), TypeError,
         "destination must be a compushady resource, got bytes"),
        (lambda b, c, cl: c.dispatch(1, 1, 1, push=3), TypeError,
         "push must be a bytes-like object, got int"),
        (lambda b, c, cl: cl.dispatch(c, 1, 1, 1, push=[1]), TypeError,
         "push must be a bytes-like object, got list"),
        (lambda b, c, cl: c.dispatch_indirect(b, offset=-4), C.ComputeException,
         "offset must be >= 0, got -4"),
        (lambda b, c, cl: c.dispatch(1, 2**32, 1), C.ComputeException,
         "y 4294967296 does not fit in 32 bits"),
    ],
    ids=["compute-indirect-buffer", "list-indirect-buffer", "copy-destination",
         "compute-push", "list-push", "indirect-offset-negative", "group-count-wide"],
)
def test_native_argument_errors(native, call, exception, message):
    buffer, compute, command_list = native
    with pytest.raises(exception) as info:
        call(buffer, compute, command_list)
    assert str(info.value) == message


def test_native_calls_still_work_after_errors(native):
    """A refused call leaves nothing behind: the same objects then run."""
    buffer, compute, command_list = native
    for bad in (5, "x", None):
        with pytest.raises(TypeError):
            compute.dispatch_indirect(bad)
    readback = C.Buffer(4, C.HEAP_READBACK)
    zero = C.Buffer(4, C.HEAP_UPLOAD)
    zero.upload(b"\0" * 4)
    zero.handle.copy_to(buffer, size=4)
    compute.dispatch(1, 1, 1)
    command_list.dispatch(compute, 1, 1, 1)
    command_list.submit()
    buffer.copy_to(readback.handle, size=4)
    assert int.from_bytes(readback.readback(4), "little") == 2

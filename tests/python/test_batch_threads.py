"""batch() belongs to the thread that entered it (issue 12, item 8).

Exiting it on another thread, out of order, twice or without entering
raises RuntimeError and changes nothing: the entering thread keeps
recording into its batch, which is submitted when that thread exits it.
Every case checks the values the GPU computed.
"""

import struct
import threading

import pytest

import compushady
from compushady import Compute
from compushady.shaders import hlsl

from helpers import read_buffer, upload_buffer

INCREMENT = hlsl.compile("RWStructuredBuffer<uint> d : register(u0);\n[numthreads(1, 1, 1)] void main() { d[0] += 1; }\n")


def counter():
    data = upload_buffer(struct.pack("<I", 0))
    return data, Compute(INCREMENT, uav=[data])


def value(data):
    """The counter, read on a thread of its own: a read on a thread with a
    batch open would itself be recorded."""
    result = []
    thread = threading.Thread(target=lambda: result.append(struct.unpack("<I", read_buffer(data))[0]))
    thread.start()
    thread.join()
    return result[0]


def on_thread(function):
    """Runs function on a new thread; returns what it raised (or None)."""
    raised = []

    def run():
        try:
            function()
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def test_exit_on_another_thread_raises_and_the_batch_stays_open():
    data, compute = counter()
    block = compushady.batch()
    block.__enter__()
    compute.dispatch(1, 1, 1)  # recorded
    error = on_thread(lambda: block.__exit__(None, None, None))
    assert isinstance(error, RuntimeError)
    assert "was exited on thread" in str(error) and "exit it on the thread that entered it" in str(error)
    assert value(data) == 0  # nothing submitted
    compute.dispatch(1, 1, 1)  # still recorded into the same batch
    assert value(data) == 0
    block.__exit__(None, None, None)
    assert value(data) == 2
    compute.dispatch(1, 1, 1)  # no batch open: runs at once
    assert value(data) == 3


def test_exit_on_another_thread_leaves_that_threads_batch_alone():
    data, compute = counter()
    other_data, other_compute = counter()
    block = compushady.batch()
    block.__enter__()
    compute.dispatch(1, 1, 1)

    def other():
        with compushady.batch():
            other_compute.dispatch(1, 1, 1)
            with pytest.raises(RuntimeError, match="was exited on thread"):
                block.__exit__(None, None, None)
            other_compute.dispatch(1, 1, 1)
        assert value(other_data) == 2

    assert on_thread(other) is None
    assert value(data) == 0
    block.__exit__(None, None, None)
    assert value(data) == 1


def test_exit_out_of_order_raises():
    data, compute = counter()
    outer, inner = compushady.batch(), compushady.batch()
    outer.__enter__()
    compute.dispatch(1, 1, 1)
    inner.__enter__()
    compute.dispatch(1, 1, 1)
    with pytest.raises(RuntimeError, match="exited in the reverse order they were entered"):
        outer.__exit__(None, None, None)
    inner.__exit__(None, None, None)
    assert value(data) == 1  # the inner batch
    outer.__exit__(None, None, None)
    assert value(data) == 2


def test_double_enter_and_exit_without_enter_raise():
    data, compute = counter()
    block = compushady.batch()
    with pytest.raises(RuntimeError, match="is not open: __exit__ without __enter__"):
        block.__exit__(None, None, None)
    with block:
        with pytest.raises(RuntimeError, match="this batch\\(\\) is already open"):
            block.__enter__()
        compute.dispatch(1, 1, 1)
    assert value(data) == 1
    with pytest.raises(RuntimeError, match="is not open"):
        block.__exit__(None, None, None)
    with block:  # reusable once closed
        compute.dispatch(1, 1, 1)
    assert value(data) == 2


def test_many_threads_with_their_own_batches():
    results = []

    def work():
        data, compute = counter()
        for _ in range(5):
            with compushady.batch():
                for _ in range(4):
                    compute.dispatch(1, 1, 1)
        results.append(value(data))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [20] * 6

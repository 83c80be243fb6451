"""Processes made after the device was used (issue 12, item 4).

Run as a script by test_fork.py, one case per process: `python fork_cases.py
CASE`. Each case prints "OK CASE" when everything held; a hang is caught by
the caller's timeout. Workers of multiprocessing pools must be importable,
hence a module rather than code strings. The validation layer is on, and a
message in any process fails the case.
"""

import os
import struct
import sys
import threading

import compushady
import compushady.config
from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

compushady.config.set_debug(True)

SHADER = """
struct Push { uint factor; };
[[vk::push_constant]] ConstantBuffer<Push> push;
RWStructuredBuffer<uint> data : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    data[tid.x] = data[tid.x] * push.factor + tid.x;
}
"""

COUNT = 256


def expected(factor, values=None):
    values = range(COUNT) if values is None else values
    return [(v * factor + i) & 0xFFFFFFFF for i, v in enumerate(values)]


def run_shader(factor, device=None):
    """Upload 0..COUNT-1, dispatch with factor, read back: the values."""
    upload = Buffer(COUNT * 4, HEAP_UPLOAD, device=device)
    upload.upload(struct.pack("<{0}I".format(COUNT), *range(COUNT)))
    data = Buffer(COUNT * 4, stride=4, device=device)
    upload.copy_to(data)
    compute = Compute(hlsl.compile(SHADER), uav=[data], push_size=4, device=device)
    compute.dispatch(COUNT // 64, 1, 1, struct.pack("<I", factor))
    readback = Buffer(COUNT * 4, HEAP_READBACK, device=device)
    data.copy_to(readback)
    return list(struct.unpack("<{0}I".format(COUNT), readback.readback()))


# what the library says where the driver refuses a new device in a forked
# child (NVIDIA's does; lavapipe allows it)
DRIVER_REFUSES = "this driver does not allow it"


def child_runs_shader(factor):
    """In a forked child: the shader runs on the child's own new device and
    gives the right values, or the driver refuses that device and the
    library says so (a clean BackendError, never a hang)."""
    try:
        return run_shader(factor) == expected(factor)
    except compushady.BackendError as error:
        if DRIVER_REFUSES in str(error) and "'spawn'" in str(error):
            # the loader's and the layer's messages about the refused device
            # belong to that refusal
            compushady.get_current_device().get_debug_messages()
            return True
        raise


def check_no_validation_messages(where):
    messages = compushady.get_current_device().get_debug_messages()
    assert not messages, "{0}: validation messages: {1}".format(where, messages)


def worker(factor):
    """A pool task: the process's own device does the work (None where the
    driver refuses a device in a forked worker, see child_runs_shader)."""
    try:
        result = run_shader(factor)
    except compushady.BackendError as error:
        if DRIVER_REFUSES not in str(error):
            raise
        return factor, None
    check_no_validation_messages("worker {0}".format(os.getpid()))
    return factor, result


def fork_and_wait(child, timeout=60):
    """Run child() in a forked process; its exit status (1 on exception)."""
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            child()
        except Exception:  # a SystemExit (a grandchild's) goes on up
            import traceback

            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        # a normal interpreter exit, with every inherited object alive:
        # that is what used to hang
        sys.exit(status)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code:
        print("child {0} exited with {1}".format(pid, code), flush=True)
    return code


# >>cases ---------------------------------------------------------------------


def case_exit_after_use():
    assert run_shader(3) == expected(3)
    assert fork_and_wait(lambda: None) == 0
    # and a child that drops everything it inherited before exiting
    assert fork_and_wait(lambda: compushady.get_discovered_devices()) == 0
    assert run_shader(5) == expected(5)


def case_exit_status_and_output_kept():
    # a child that inherited a used device leaves before the driver's exit
    # handlers: its status and its buffered output are still what it said
    assert run_shader(3) == expected(3)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        assert child_runs_shader(4)  # threads of its own, too
        with os.fdopen(write_end, "w") as pipe:
            pipe.write("written by the child")
            # left unflushed on purpose: closing at exit must flush it
            pipe.flush()
        print("child output", end="")
        sys.exit(3)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        assert pipe.read() == "written by the child"
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 3


def case_inherited_objects_refuse():
    upload = Buffer(16, HEAP_UPLOAD)
    upload.upload(b"abcd")
    readback = Buffer(16, HEAP_READBACK)
    data = Buffer(16, stride=4)
    compute = Compute(hlsl.compile(SHADER), uav=[data], push_size=4)
    old_device = compushady.get_current_device()

    def child():
        calls = {
            "upload": lambda: upload.upload(b"x"),
            "readback": lambda: readback.readback(4),
            "copy_to": lambda: upload.copy_to(data),
            "dispatch": lambda: compute.dispatch(1, 1, 1, b"\0\0\0\0"),
            "new buffer on the old device": lambda: Buffer(16, device=old_device),
            "new compute on the old device": lambda: Compute(
                hlsl.compile(SHADER), uav=[data], push_size=4, device=old_device
            ),
            "memoryview": lambda: memoryview(upload.handle),
        }
        for name, call in calls.items():
            try:
                call()
            except (compushady.BackendError, BufferError) as error:
                text = str(error)
                assert "inherited through fork()" in text, (name, text)
                assert "'spawn'" in text and "new ones in the child" in text, text
            else:
                raise AssertionError(name + " worked on an inherited object")
        # the module's own device is the child's: new objects work
        assert compushady.get_current_device() is not old_device
        assert child_runs_shader(7)
        check_no_validation_messages("child")

    assert fork_and_wait(child) == 0
    # the parent's objects are untouched by all that
    upload.upload(b"efgh")
    upload.copy_to(readback)
    assert readback.readback(4) == b"efgh"
    compute.dispatch(1, 1, 1, b"\1\0\0\0")
    check_no_validation_messages("parent")


def case_new_objects_in_child():
    assert run_shader(2) == expected(2)

    def child():
        assert child_runs_shader(9)
        check_no_validation_messages("child")
        # a grandchild, forked from a child that used its own device
        assert fork_and_wait(lambda: child_runs_shader(4) or sys.exit(1)) == 0

    assert fork_and_wait(child) == 0
    assert run_shader(6) == expected(6)


def pool_case(method, processes=2, tasks=4, maxtasksperchild=None):
    import multiprocessing

    # the parent has used the device before the pool's processes start
    assert run_shader(1) == expected(1)
    context = multiprocessing.get_context(method)
    with context.Pool(processes, maxtasksperchild=maxtasksperchild) as pool:
        results = pool.map(worker, range(2, 2 + tasks))
    for factor, result in results:
        if result is None:  # the driver refused a device in a forked worker
            assert method == "fork", method
            continue
        assert result == expected(factor), factor
    assert run_shader(8) == expected(8)
    check_no_validation_messages("parent")


def case_pool_fork():
    pool_case("fork")


def case_pool_spawn():
    pool_case("spawn")


def case_pool_forkserver():
    pool_case("forkserver")


# >>long cases (COMPUSHADY_LONG_TESTS=1) ---------------------------------------


def case_long_pools():
    for method in ("fork", "spawn", "forkserver"):
        pool_case(method, processes=4, tasks=24, maxtasksperchild=2)


def case_long_repeated_forks():
    for round_ in range(20):
        assert run_shader(round_) == expected(round_)
        if round_ % 2:
            assert fork_and_wait(lambda: None) == 0
        else:
            assert fork_and_wait(lambda r=round_: child_runs_shader(r + 1) or sys.exit(1)) == 0


def case_long_fork_while_threads_dispatch():
    # other threads keep dispatching on the parent's device while the main
    # thread forks: the children neither hang nor see the parent's work
    # the backend is started before the threads: an import in flight on
    # another thread at the fork leaves its module lock held in the child
    # (Python's rule for fork with threads, not the library's)
    assert run_shader(1) == expected(1)
    stop = threading.Event()
    errors = []

    def busy(factor):
        try:
            while not stop.is_set():
                assert run_shader(factor) == expected(factor)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=busy, args=(f,)) for f in (11, 13)]
    for thread in threads:
        thread.start()
    try:
        for round_ in range(40):
            assert fork_and_wait(lambda r=round_: child_runs_shader(r) or sys.exit(1)) == 0
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors


CASES = {
    name[len("case_"):].replace("_", "-"): function
    for name, function in globals().items()
    if name.startswith("case_")
}

if __name__ == "__main__":
    name = sys.argv[1]
    CASES[name]()
    check_no_validation_messages("parent")
    print("OK", name, flush=True)

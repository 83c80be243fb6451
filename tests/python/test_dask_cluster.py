"""compushady.dask on dask.distributed clusters of this machine: a
LocalCluster of spawned worker processes, one of forked worker processes,
and a `dask scheduler` / `dask worker` pair started from the command line
over TCP on 127.0.0.1. Results are compared with numpy over arrays of at
least 10 blocks; the workers run with the validation layer on and must
report nothing. Clusters are small (2 workers) and every process is
stopped, whatever happens, within bounded times."""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy
import pytest

pytest.importorskip("distributed", reason="scripts/setup.sh installs dask[distributed]")
import dask  # noqa: E402
import dask.array as da  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import compushady  # noqa: E402
import compushady.dask as cdask  # noqa: E402

BLUR = """
StructuredBuffer<float> image : register(t0);
RWStructuredBuffer<float> blurred : register(u0);
struct Block { uint width; uint height; };
[[vk::push_constant]] ConstantBuffer<Block> blk;
[numthreads(8, 8, 1)]
void main(uint3 id : SV_DispatchThreadID)
{
    if (id.x >= blk.width || id.y >= blk.height) return;
    // the block's edge keeps its value: the overlap trimmed afterwards
    if (id.x == 0 || id.y == 0 || id.x == blk.width - 1 || id.y == blk.height - 1) {
        blurred[id.y * blk.width + id.x] = image[id.y * blk.width + id.x];
        return;
    }
    float sum = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            sum += image[(id.y + dy) * blk.width + id.x + dx];
    blurred[id.y * blk.width + id.x] = sum / 9.0;
}
"""

SQUARE = """
cbuffer Params : register(b0) { float offset; };
StructuredBuffer<float> a : register(t0);
RWStructuredBuffer<float> o : register(u0);
[numthreads(64, 1, 1)]
void main(uint3 id : SV_DispatchThreadID) { o[id.x] = (a[id.x] - offset) * (a[id.x] - offset); }
"""


def numpy_blur(block):
    out = block.copy()
    inner = numpy.zeros_like(block[1:-1, 1:-1], dtype=numpy.float64)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            inner += block[1 + dy:block.shape[0] - 1 + dy, 1 + dx:block.shape[1] - 1 + dx]
    out[1:-1, 1:-1] = inner / 9.0
    return out


def blur_on_gpu(image):
    padded = da.overlap.overlap(image, depth={0: 1, 1: 1}, boundary="reflect")
    return da.overlap.trim_overlap(
        cdask.map_blocks(BLUR, padded, dtype=numpy.float32), {0: 1, 1: 1}, boundary="reflect"
    )


def check_blur(client):
    rng = numpy.random.default_rng(3)
    pixels = rng.random((250, 230), dtype=numpy.float32)
    image = da.from_array(pixels, chunks=(60, 80))  # 5 x 3 blocks, ragged edges
    assert image.npartitions >= 10
    expected = image.map_overlap(numpy_blur, depth=1, boundary="reflect").compute(
        scheduler="sync")
    result = client.compute(blur_on_gpu(image)).result(timeout=120)
    numpy.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


def worker_report():
    """What a worker says about itself (run there with Client.run)."""
    device = cdask.worker_device()
    return {
        "rank": cdask.worker_rank(),
        "device": device.name,
        "messages": device.get_debug_messages(),
        "cache": cdask.cache_info(),
    }


@contextlib.contextmanager
def environment(**values):
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def spawn_client(tmp_path_factory):
    slots = str(tmp_path_factory.mktemp("slots"))
    # the spawned workers inherit this environment
    with environment(COMPUSHADY_DEBUG="1", COMPUSHADY_DASK_SLOT_DIR=slots,
                     COMPUSHADY_DEVICE=None), \
            dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=2, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    try:
        with Client(cluster, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
            yield client
            reports = client.run(worker_report)
            for address, report in reports.items():
                assert report["messages"] == [], (address, report["messages"])
    finally:
        cluster.close(timeout=30)


def test_spawned_workers_filter_an_image(spawn_client):
    check_blur(spawn_client)


def test_spawned_workers_reduce(spawn_client):
    rng = numpy.random.default_rng(4)
    values = rng.random(20000, dtype=numpy.float32)
    x = da.from_array(values, chunks=1500)  # 14 blocks, the last one ragged
    squares = cdask.map_blocks(SQUARE, x, dtype=numpy.float32,
                               cbv=numpy.float32(0.5))
    total, peak = spawn_client.compute([squares.sum(), squares.max()], sync=True)
    expected = (values - 0.5) ** 2
    assert total == pytest.approx(float(expected.sum(dtype=numpy.float64)), rel=1e-4)
    assert peak == pytest.approx(float(expected.max()), rel=1e-6)


def test_spawned_workers_take_one_rank_each_and_reuse_computes(spawn_client):
    image = da.from_array(numpy.ones((300, 230), numpy.float32), chunks=(64, 50))
    before = spawn_client.run(worker_report)
    for _ in range(3):
        result = spawn_client.compute(cdask.map_blocks(BLUR, image, dtype=numpy.float32))
        numpy.testing.assert_allclose(result.result(timeout=120), 1.0, rtol=1e-6)
    after = spawn_client.run(worker_report)
    assert sorted(report["rank"] for report in after.values()) == [0, 1]
    device = compushady.get_current_device().name
    blocks = computes = 0
    for address, report in after.items():
        assert report["device"] == device
        # compiled once, in this process: the workers only get SPIR-V
        assert report["cache"]["shaders_compiled"] == 0
        blocks += report["cache"]["blocks"] - before[address]["cache"]["blocks"]
        computes += (report["cache"]["computes_created"]
                     - before[address]["cache"]["computes_created"])
    assert blocks == 3 * image.npartitions
    # 4 block shapes, at most one Compute per shape and worker thread
    assert computes <= 4 * 2 * 2


def test_errors_on_a_worker_reach_the_client(spawn_client):
    limit = compushady.get_current_device().max_compute_workgroup_count[0]
    tiny = SQUARE.replace("numthreads(64, 1, 1)", "numthreads(1, 1, 1)")
    x = da.zeros(limit + 1, chunks=limit + 1, dtype=numpy.float32)
    future = spawn_client.compute(cdask.map_blocks(tiny, x, dtype=numpy.float32, cbv=b"\0" * 4))
    with pytest.raises(ValueError, match=r"needs {0} groups of numthreads 1 along x, more "
                       r"than the .* device's limit of {1}".format(limit + 1, limit)):
        future.result(timeout=120)


@pytest.mark.skipif(not os.environ.get("COMPUSHADY_LONG_TESTS"),
                    reason="long run: set COMPUSHADY_LONG_TESTS=1")
def test_long_many_blocks_many_times(spawn_client):
    # 110 blocks of 4 shapes, 10 times: results stay right and the workers'
    # Computes stay bounded (reused, not remade)
    rng = numpy.random.default_rng(7)
    pixels = rng.random((1000, 1030), dtype=numpy.float32)
    image = da.from_array(pixels, chunks=(100, 100))
    expected = image.map_overlap(numpy_blur, depth=1, boundary="reflect").compute(
        scheduler="threads")
    image = spawn_client.persist(image)
    before = spawn_client.run(worker_report)
    for _ in range(10):
        result = spawn_client.compute(blur_on_gpu(image)).result(timeout=300)
        numpy.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)
    after = spawn_client.run(worker_report)
    made = sum(after[a]["cache"]["computes_created"] - before[a]["cache"]["computes_created"]
               for a in after)
    blocks = sum(after[a]["cache"]["blocks"] - before[a]["cache"]["blocks"] for a in after)
    assert blocks == 10 * image.npartitions
    assert made <= 2 * 2 * 4  # workers x threads x padded block shapes


def test_workers_in_this_process_take_one_rank_each(tmp_path, monkeypatch):
    # LocalCluster(processes=False): two workers share this process (and its
    # device objects); each still takes its own rank
    monkeypatch.setenv("COMPUSHADY_DASK_SLOT_DIR", str(tmp_path))
    monkeypatch.delenv("COMPUSHADY_DEVICE", raising=False)
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=False,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster, timeout="60s") as client:
        workers = list(client.scheduler_info()["workers"])
        ranks = client.gather([client.submit(cdask.worker_rank, workers=[w], pure=False,
                                             allow_other_workers=False) for w in workers])
        assert sorted(ranks) == [0, 1]
        values = numpy.random.default_rng(9).random((90, 130), dtype=numpy.float32)
        squares = cdask.map_blocks(SQUARE, da.from_array(values, chunks=(30, 40)),
                                   dtype=numpy.float32, cbv=numpy.float32(0.5))
        numpy.testing.assert_allclose(client.compute(squares).result(timeout=120),
                                      (values - 0.5) ** 2, rtol=1e-6)


def causes(error):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def test_a_buffer_sent_to_a_worker_says_what_to_send_instead(spawn_client):
    with pytest.raises(TypeError) as raised:
        spawn_client.submit(len, compushady.Buffer(16)).result(timeout=60)
    messages = [str(error) for error in causes(raised.value)]
    assert any("a compushady.Buffer cannot be pickled" in m and "send the data" in m
               for m in messages), messages


# >>fork ------------------------------------------------------------------------

FORK_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy, dask, dask.array as da
    from distributed import Client, LocalCluster
    import compushady, compushady.dask as cdask

    SOURCE = '''
    StructuredBuffer<float> a : register(t0);
    RWStructuredBuffer<float> o : register(u0);
    [numthreads(64, 1, 1)]
    void main(uint3 id : SV_DispatchThreadID) { o[id.x] = a[id.x] * 2 + 1; }
    '''
    if __name__ == "__main__":
        values = numpy.arange(5000, dtype=numpy.float32)
        x = da.from_array(values, chunks=400)  # 13 blocks
        # the parent uses its device before the workers are forked from it
        first = cdask.map_blocks(SOURCE, x, dtype=numpy.float32).compute(scheduler="threads")
        assert numpy.array_equal(first, values * 2 + 1)
        # fast gate: a plain forked child, killed by SIGALRM if it hangs
        pid = os.fork()
        if pid == 0:
            signal.alarm(8)
            try:
                child = cdask.map_blocks(SOURCE, x, dtype=numpy.float32).compute(scheduler="sync")
            except compushady.BackendError as error:
                # the driver refuses a device in a forked child (NVIDIA's
                # does), said clearly: forked workers cannot compute here
                os._exit(42 if "this driver does not allow it" in str(error) else 1)
            os._exit(0 if numpy.array_equal(child, values * 2 + 1) else 1)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 42:
            print("RESULT OK: the driver refuses devices in forked processes, and says so")
            print("CLOSED")
            sys.exit(0)
        if status != 0:
            sys.exit("a forked child cannot use the device it inherited (wait status "
                     "{0})".format(status))
        with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):
            with LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                              dashboard_address=":0") as cluster, Client(cluster) as client:
                result = client.compute(cdask.map_blocks(SOURCE, x, dtype=numpy.float32))
                assert numpy.array_equal(result.result(timeout=12), values * 2 + 1)
                print("RESULT OK", flush=True)
        print("CLOSED", flush=True)
""")


def run_bounded(command, timeout, **kwargs):
    """(returncode, output) of command, killed with its process group when
    it takes longer than timeout seconds (returncode None)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True, **kwargs)
    try:
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output
    except subprocess.TimeoutExpired:
        stop_group(process)
        output, _ = process.communicate()
        return None, output


def stop_group(process, grace=15):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def test_forked_workers(tmp_path):
    script = tmp_path / "fork_cluster.py"
    script.write_text(FORK_SCRIPT)
    env = dict(os.environ, COMPUSHADY_DASK_SLOT_DIR=str(tmp_path))
    env.pop("COMPUSHADY_DEVICE", None)
    returncode, output = run_bounded([sys.executable, str(script)], timeout=40, env=env)
    assert "RESULT OK" in output, output
    assert returncode == 0 and "CLOSED" in output, output


# >>`dask scheduler` and `dask worker` from the command line ---------------------


def dask_command():
    script = os.path.join(os.path.dirname(sys.executable), "dask")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "dask"]


def test_command_line_scheduler_and_workers(tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    slots = tmp_path / "slots"
    logs = []
    processes = []

    def start(arguments, **env):
        log = open(tmp_path / "{0}.log".format(len(processes)), "w+")
        logs.append(log)
        # PYTHONPATH: Client.run(worker_report) pickles it by reference
        here = os.path.dirname(os.path.abspath(__file__))
        environment = dict(os.environ, COMPUSHADY_DEBUG="1",
                           COMPUSHADY_DASK_SLOT_DIR=str(slots),
                           PYTHONPATH=os.pathsep.join(
                               filter(None, [here, os.environ.get("PYTHONPATH")])))
        environment.pop("COMPUSHADY_DEVICE", None)
        environment.update(env)
        processes.append(subprocess.Popen(dask_command() + arguments, stdout=log,
                                          stderr=subprocess.STDOUT, env=environment,
                                          start_new_session=True))

    def log_text():
        texts = []
        for log in logs:
            log.flush()
            log.seek(0)
            texts.append(log.read()[-3000:])
        return "\n----\n".join(texts)

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(scheduler_file)])
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert processes[0].poll() is None, log_text()
            assert time.monotonic() < deadline, "no scheduler file:\n" + log_text()
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written whole before the rename
        worker = ["worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                  "--host", "127.0.0.1", "--no-dashboard", "--death-timeout", "60"]
        start(worker + ["--name", "by-rank"])
        start(worker + ["--name", "by-env"], COMPUSHADY_DEVICE="0")
        with Client(scheduler_file=str(scheduler_file), timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)
            assert all(address.startswith("tcp://127.0.0.1:")
                       for address in client.scheduler_info()["workers"])
            check_blur(client)
            rng = numpy.random.default_rng(5)
            a = rng.random((120, 90), dtype=numpy.float32)  # 5 x 3 blocks
            squares = cdask.map_blocks(SQUARE, da.from_array(a, chunks=(25, 40)),
                                       dtype=numpy.float32, cbv=numpy.float32(0.25))
            numpy.testing.assert_allclose(client.compute(squares).result(timeout=120),
                                          (a - 0.25) ** 2, rtol=1e-6)
            reports = client.run(worker_report)
            names = {info["name"]: address
                     for address, info in client.scheduler_info()["workers"].items()}
            assert reports[names["by-rank"]]["rank"] == 0
            assert reports[names["by-env"]]["rank"] is None  # COMPUSHADY_DEVICE wins
            for report in reports.values():
                assert report["messages"] == [], report["messages"]
            assert sum(r["cache"]["blocks"] for r in reports.values()) >= 15 + 15  # blur, squares
    finally:
        for process in reversed(processes):
            stop_group(process)
        for log in logs:
            log.close()

"""The same compute-heavy kernel without Dask and through compushady.dask
(threaded scheduler, then LocalClusters of 1, 2, ... worker processes, or an
existing cluster), so the cost Dask adds per block is known.

    python3 bench/dask_scaling.py [--workers 1,2] [--elements N] [--chunk N]
                                  [--iterations N] [--repeats N] [--json PATH]
    python3 bench/dask_scaling.py --scheduler-file scheduler.json   # a running cluster
    python3 bench/dask_scaling.py --scheduler tcp://host:8786

The kernel runs a logistic map `--iterations` times per float32 element
(compute-bound), over `--elements` floats in chunks of `--chunk`. Every
figure is measured in this run, and every row is compared with the
reference "no Dask, one dispatch": the whole array uploaded, one dispatch,
read back, from plain compushady in this process. The second reference, "no
Dask, block by block", does the same block after block with one cached
Compute: the per-block cost of the GPU work itself. What a Dask row adds
beyond it, per block, is the scheduling and data movement cost of Dask.

Dask rows: the input is persisted in the workers' memory first (not timed);
the time is from submitting map_blocks to all output blocks being in the
workers' memory (persist + wait), the same work as the references (upload,
dispatch, readback of every block). Each worker takes its device by the
compushady.dask device rule (one worker per GPU on a multi-GPU host).
Medians of --repeats runs after one warm-up (the warm-up also fills each
worker's Compute cache). Results are checked against the reference.

Defaults depend on the device of this process: CPU devices (lavapipe) get
a small problem (the whole run takes about a minute on 2 cores), GPUs a
large one.
"""

import argparse
import json
import statistics
import struct
import sys
import time

import numpy

import compushady as cs
from compushady.shaders import hlsl

KERNEL = """
cbuffer Params : register(b0) { uint iterations; float rate; };
StructuredBuffer<float> x : register(t0);
RWStructuredBuffer<float> y : register(u0);
[numthreads(256, 1, 1)]
void main(uint3 id : SV_DispatchThreadID)
{
    float v = x[id.x];
    float sum = 0;
    for (uint i = 0; i < iterations; i++) {
        v = rate * v * (1.0 - v);
        sum += v;
    }
    y[id.x] = sum / float(iterations);
}
"""
GROUP = 256
RATE = 3.7


def params(iterations, run=0):
    """The constants; `run` fills an unused word so that every Dask run has
    new task keys (the same keys would find the last run's blocks in the
    workers' memory and compute nothing)."""
    return struct.pack("<IfI4x", iterations, RATE, run)


_runs = iter(range(1, 1 << 31))


class Direct:
    """The kernel through plain compushady: one Compute over buffers of
    `capacity` elements, inputs uploaded and outputs read back each run
    (device-local buffers and copies on GPUs, host-visible buffers bound
    directly on CPU devices, as compushady.dask does)."""

    def __init__(self, device, capacity, iterations):
        self.direct = not device.is_hardware
        capacity = -(-capacity // GROUP) * GROUP
        size = capacity * 4
        self.staging = cs.Buffer(size, cs.HEAP_UPLOAD, stride=4, device=device)
        self.readback = cs.Buffer(size, cs.HEAP_READBACK, stride=4, device=device)
        if self.direct:
            self.input, self.output = self.staging, self.readback
        else:
            self.input = cs.Buffer(size, cs.HEAP_DEFAULT, stride=4, device=device)
            self.output = cs.Buffer(size, cs.HEAP_DEFAULT, stride=4, device=device)
        constants = cs.Buffer(16, cs.HEAP_UPLOAD, device=device)
        constants.upload(params(iterations))
        self.compute = cs.Compute(hlsl.compile(KERNEL), cbv=[constants], srv=[self.input],
                                  uav=[self.output], device=device)
        self.device = device

    def run(self, values, out):
        groups = -(-values.size // GROUP)
        limit = self.device.max_compute_workgroup_count[0]
        if groups > limit:
            sys.exit("{0:,} elements need {1:,} groups, more than the device's {2:,}: "
                     "use a smaller --elements".format(values.size, groups, limit))
        self.staging.upload(values)
        with cs.batch(device=self.device):
            if not self.direct:
                self.staging.copy_to(self.input, size=values.nbytes)
            self.compute.dispatch(groups, 1, 1)
            if not self.direct:
                self.output.copy_to(self.readback, size=out.nbytes)
        self.readback.readback(out.view(numpy.uint8))


def timed(function, repeats):
    """(first run's seconds, median of the next `repeats` runs)."""
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def dask_rows(client, label, x, iterations, repeats, expected):
    import compushady.dask as cdask
    from distributed import wait

    def run():
        y = client.persist(cdask.map_blocks(KERNEL, x, dtype=numpy.float32,
                                            cbv=params(iterations, next(_runs))))
        wait(y)
        return y

    first, median = timed(run, repeats)
    result = run().compute()
    ok = numpy.allclose(result, expected, rtol=1e-4, atol=1e-5)
    workers = client.run(cdask.worker_info)
    return dict(what=label, seconds=median, first=first, ok=bool(ok),
                workers=len(workers),
                devices=sorted("{0}:{1}".format(w["rank"], w["device_index"])
                               for w in workers.values()),
                device_names=sorted(set(w["device"] for w in workers.values())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", default="1,2",
                        help="LocalCluster sizes to run, comma separated (default 1,2)")
    parser.add_argument("--threads-per-worker", type=int, default=1)
    parser.add_argument("--scheduler-file", help="use a running cluster instead")
    parser.add_argument("--scheduler", help="address of a running scheduler instead")
    parser.add_argument("--elements", type=int, help="floats in the array")
    parser.add_argument("--chunk", type=int, help="floats per block")
    parser.add_argument("--iterations", type=int, help="kernel loop count per element")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-threads", action="store_true",
                        help="skip the threaded-scheduler row")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()

    device = cs.get_current_device()
    hardware = device.is_hardware
    elements = args.elements or (128 << 20 if hardware else 2 << 20)
    chunk = args.chunk or (8 << 20 if hardware else 128 << 10)
    iterations = args.iterations or (4096 if hardware else 256)
    blocks = -(-elements // chunk)
    print("device: {0} ({1})".format(device.name, "hardware" if hardware else "CPU"))
    print("array: {0:,} float32 in {1} blocks of {2:,}; kernel: {3} iterations per "
          "element; medians of {4} runs".format(elements, blocks, chunk, iterations,
                                                 args.repeats))

    values = (numpy.arange(elements, dtype=numpy.float32) % 997) / 997 * 0.8 + 0.1
    rows = []

    whole = Direct(device, elements, iterations)
    expected = numpy.empty(elements, numpy.float32)
    first, reference = timed(lambda: whole.run(values, expected), args.repeats)
    rows.append(dict(what="no Dask, one dispatch (reference)", seconds=reference,
                     first=first, ok=True))
    whole = None  # its buffers freed before the next rows

    per_block = Direct(device, min(chunk, elements), iterations)
    out = numpy.empty(elements, numpy.float32)

    def block_by_block():
        for start in range(0, elements, chunk):
            per_block.run(values[start:start + chunk], out[start:start + chunk])

    first, median = timed(block_by_block, args.repeats)
    rows.append(dict(what="no Dask, block by block", seconds=median, first=first,
                     ok=bool(numpy.array_equal(out, expected))))
    per_block = out = None

    import dask.array as da
    import compushady.dask as cdask

    x_local = da.from_array(values, chunks=chunk)
    if not args.no_threads:
        result = {}

        def threaded():
            result["y"] = cdask.map_blocks(
                KERNEL, x_local, dtype=numpy.float32, cbv=params(iterations, next(_runs))
            ).compute(scheduler="threads")

        first, median = timed(threaded, args.repeats)
        rows.append(dict(what="Dask threaded scheduler, this process", seconds=median,
                         first=first, ok=bool(numpy.allclose(result["y"], expected,
                                                             rtol=1e-4, atol=1e-5))))

    from distributed import Client, LocalCluster, wait

    if args.scheduler_file or args.scheduler:
        with Client(address=args.scheduler, scheduler_file=args.scheduler_file,
                    timeout="60s") as client:
            x = client.persist(x_local)
            wait(x)
            n = len(client.scheduler_info()["workers"])
            rows.append(dask_rows(client, "Dask cluster, {0} worker(s)".format(n), x,
                                  iterations, args.repeats, expected))
    else:
        for count in [int(c) for c in args.workers.split(",") if c.strip()]:
            with LocalCluster(n_workers=count, threads_per_worker=args.threads_per_worker,
                              processes=True, dashboard_address=":0") as cluster, \
                    Client(cluster) as client:
                x = client.persist(x_local)
                wait(x)
                rows.append(dask_rows(
                    client, "Dask LocalCluster, {0} worker process(es)".format(count), x,
                    iterations, args.repeats, expected))

    print()
    header = ("what", "time (s)", "first (s)", "speed vs ref", "Dask cost/block (ms)",
              "check")
    table = []
    block_reference = rows[1]["seconds"]
    for row in rows:
        row["speed"] = reference / row["seconds"]
        row["blocks"] = blocks
        extra = (row["seconds"] - block_reference) / blocks * 1e3
        row["dask_ms_per_block"] = extra if row["what"].startswith("Dask") else None
        what = row["what"] + (" [rank:device {0}]".format(", ".join(row["devices"]))
                              if row.get("devices") else "")
        table.append((what, "{0:.3f}".format(row["seconds"]), "{0:.3f}".format(row["first"]),
                      "{0:.2f}".format(row["speed"]),
                      "-" if row["dask_ms_per_block"] is None
                      else "{0:.2f}".format(row["dask_ms_per_block"]),
                      "ok" if row["ok"] else "WRONG"))
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in table:
        print("  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]))
    print("speed: the reference's time / this row's time (1.00 = as fast; higher is better);")
    print("Dask cost/block: (row time - 'block by block' time) / {0} blocks".format(blocks))
    print("rank:device: each worker's rank and the index of the device it took "
          "(compushady.dask.worker_info())")
    if not all(row["ok"] for row in rows):
        print("WARNING: some results differ from the reference", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(device=device.name, hardware=hardware, elements=elements,
                           chunk=chunk, iterations=iterations, blocks=blocks, rows=rows),
                      f, indent=2)
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

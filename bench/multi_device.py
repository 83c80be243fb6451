"""Runs the same saxpy-sized workload on one device, then on every device at
once (one thread per device), and prints the speed-up.

    python3 bench/multi_device.py [--quick] [--devices 0,1] [--json PATH]

Each device gets its own buffers and Compute (objects are bound to one
device) and runs `--dispatches` saxpy dispatches of n floats; the results
are checked. Speed-up = (bytes moved per second by all devices together) /
(bytes moved per second by the first device alone). With two equal GPUs the
ideal is 2.0; with a GPU and a CPU device (lavapipe) it is near 1.0 plus the
CPU's small share.
"""
import argparse
import json
import os
import struct
import sys
import threading
import time

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import SAXPY_HLSL, saxpy_groups  # noqa: E402

import compushady as cs  # noqa: E402
from compushady.shaders import hlsl  # noqa: E402

MiB = 1 << 20


class DeviceWork:
    """Buffers and a saxpy Compute on one device, ready to dispatch."""

    def __init__(self, device, n):
        self.device = device
        self.n = n
        n4 = n // 4
        self.groups = saxpy_groups(n4)
        gx, gy, stride = self.groups
        self.xs = (numpy.arange(n, dtype=numpy.uint32) % 1024).astype(numpy.float32)
        staging = cs.Buffer(4 * n, cs.HEAP_UPLOAD, device=device)
        self.x = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16, device=device)
        self.y = cs.Buffer(4 * n, cs.HEAP_DEFAULT, stride=16, device=device)
        staging.upload(self.xs)
        staging.copy_to(self.x)
        staging.upload(numpy.zeros(n, dtype=numpy.float32))
        staging.copy_to(self.y)
        params_up = cs.Buffer(16, cs.HEAP_UPLOAD, device=device)
        params_up.upload(struct.pack("<fIII", 1.0, n4, stride, 0))
        params = cs.Buffer(16, cs.HEAP_DEFAULT, device=device)
        params_up.copy_to(params)
        shader = hlsl.compile(SAXPY_HLSL)
        self.compute = cs.Compute(shader, cbv=[params], srv=[self.x],
                                  uav=[self.y], device=device)
        self.dispatched = 0

    def run(self, dispatches):
        gx, gy, _ = self.groups
        for _ in range(dispatches):
            self.compute.dispatch(gx, gy, 1)
        self.dispatched += dispatches

    def check(self):
        """y = dispatched * x, exactly (x < 1024, few dispatches)."""
        readback = cs.Buffer(4 * self.n, cs.HEAP_READBACK, device=self.device)
        self.y.copy_to(readback)
        got = numpy.frombuffer(readback.readback(), dtype=numpy.float32)
        return bool(numpy.array_equal(got, self.xs * self.dispatched))


def timed(works, dispatches):
    """Seconds for every work to run `dispatches` dispatches, one thread each."""
    errors = []

    def target(work):
        try:
            work.run(dispatches)
        except Exception as error:  # reported, never swallowed
            errors.append(error)

    threads = [threading.Thread(target=target, args=(w,)) for w in works]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--devices", help="comma-separated device indices (default: all)")
    parser.add_argument("--dispatches", type=int, default=None)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()

    devices = cs.get_discovered_devices()
    if args.devices:
        devices = [devices[int(i)] for i in args.devices.split(",")]
    if len(devices) < 2:
        print("only %d device: nothing to compare" % len(devices))
    hardware = all(d.is_hardware for d in devices)
    n = 64 * MiB if hardware and not args.quick else 4 * MiB
    dispatches = args.dispatches or (20 if hardware else 4)
    works = [DeviceWork(d, n) for d in devices]
    for work in works:  # warm up (first dispatch, caches)
        work.run(1)

    single = timed(works[:1], dispatches)
    together = timed(works, dispatches)
    moved = 12 * n * dispatches
    single_rate = moved / single
    together_rate = moved * len(works) / together
    correct = all(work.check() for work in works)
    for index, device in enumerate(devices):
        print("device %d: %s (%s)" % (index, device.name,
                                      "hardware" if device.is_hardware else "CPU"))
    print("saxpy %d Mi floats x %d dispatches per device" % (n // MiB, dispatches))
    print("1 device : %8.1f GB/s  (%.3f s)" % (single_rate / 1e9, single))
    print("%d devices: %8.1f GB/s  (%.3f s, all at once)" % (
        len(works), together_rate / 1e9, together))
    print("speed-up : %.2fx  results %s" % (together_rate / single_rate,
                                            "correct" if correct else "WRONG"))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"devices": [d.name for d in devices], "n": n,
                       "dispatches": dispatches, "single_s": single,
                       "together_s": together,
                       "speedup": together_rate / single_rate,
                       "correct": correct}, out, indent=1)
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What a user meets first: hlsl.compile, Compute() and the first dispatch
of a shader the process has never seen, each in a fresh process.

    python3 bench/cold_start.py [--shaders 30] [--original DIR] [--json out.json]

For each of N distinct shaders (fresh processes), four passes:
  cold        new, empty cache directories: ours (COMPUSHADY_CACHE_DIR) and
              the driver's (__GL_SHADER_DISK_CACHE_PATH for NVIDIA,
              MESA_SHADER_CACHE_DIR for Mesa), so the driver compiles;
  warm        the same directories again: the driver's cache and ours hit;
  cold, no own cache / warm, no own cache   the same two with our disk
              caches off (COMPUSHADY_CACHE_DIR=0) and new directories, so
              only the driver's own disk cache works: what ours adds.
Medians over the shaders. --original DIR runs the same passes with the
original compushady (DIR on PYTHONPATH, built in place) in the same run.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

WORKER = r"""
import json, sys, time
import compushady
from compushady import Buffer, Compute, HEAP_DEFAULT
from compushady.shaders import hlsl
k = int(sys.argv[1])
source = ("RWStructuredBuffer<uint> c : register(u0);\n"
          "[numthreads(1, 1, 1)] void main() { c[0] = c[0] * %d + %d; }" % (k + 3, 7 * k + 1))
device = compushady.get_current_device()
buffer = Buffer(4, HEAP_DEFAULT, stride=4)
t0 = time.perf_counter()
spirv = hlsl.compile(source)
t1 = time.perf_counter()
compute = Compute(spirv, uav=[buffer])
t2 = time.perf_counter()
compute.dispatch(1, 1, 1)
t3 = time.perf_counter()
compute.dispatch(1, 1, 1)
t4 = time.perf_counter()
print(json.dumps(dict(module=compushady.__file__, device=device.name,
                      compile_ms=(t1 - t0) * 1e3, compute_ms=(t2 - t1) * 1e3,
                      first_dispatch_ms=(t3 - t2) * 1e3,
                      second_dispatch_ms=(t4 - t3) * 1e3)))
"""

# (label, our disk caches on, new empty directories first)
PASSES = (("cold", True, True), ("warm", True, False),
          ("cold, no own cache", False, True), ("warm, no own cache", False, False))
FIGURES = ("compile_ms", "compute_ms", "first_dispatch_ms", "second_dispatch_ms")


def run_pass(k, dirs, own_cache, pythonpath):
    env = dict(os.environ)
    env.pop("COMPUSHADY_DEBUG", None)
    env["COMPUSHADY_CACHE_DIR"] = dirs["ours"] if own_cache else "0"
    env["__GL_SHADER_DISK_CACHE_PATH"] = dirs["driver"]
    env["__GL_SHADER_DISK_CACHE"] = "1"
    env["MESA_SHADER_CACHE_DIR"] = dirs["driver"]
    env["XDG_CACHE_HOME"] = dirs["xdg"]
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    out = subprocess.run([sys.executable, "-c", WORKER, str(k)], env=env,
                         capture_output=True, text=True, timeout=120,
                         cwd=tempfile.gettempdir())
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr else "failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name, shaders, pythonpath, tmp):
    passes = {label: [] for label, _, _ in PASSES}
    module = device = None
    for k in range(shaders):
        for label, own, fresh in PASSES:
            root = os.path.join(tmp, "%s-%d-%s" % (name, k, own))
            dirs = {d: os.path.join(root, d) for d in ("ours", "driver", "xdg")}
            if fresh:
                shutil.rmtree(root, ignore_errors=True)
                for d in dirs.values():
                    os.makedirs(d)
            result = run_pass(k, dirs, own, pythonpath)
            passes[label].append(result)
            module, device = result["module"], result["device"]
    medians = {label: {f: statistics.median(r[f] for r in results) for f in FIGURES}
               for label, results in passes.items() if results}
    return dict(module=module, device=device, medians=medians)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shaders", type=int, default=30)
    parser.add_argument("--original", metavar="DIR",
                        help="the original compushady, built in place, to run beside ours")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="compushady-cold-") as tmp:
        results["ours"] = measure("ours", args.shaders, None, tmp)
        if args.original:
            try:
                results["original"] = measure("original", args.shaders,
                                              os.path.abspath(args.original), tmp)
            except RuntimeError as exc:
                print("[cold_start] the original failed: {0}".format(exc), file=sys.stderr)
    print("device: {0}; {1} distinct shaders, one fresh process each, medians (ms)".format(
        results["ours"]["device"], args.shaders))
    for name, r in results.items():
        print("{0}: {1}".format(name, r["module"]))
    header = "{0:<22} {1:<9} {2:>10} {3:>11} {4:>15} {5:>16}".format(
        "pass", "module", "compile", "Compute()", "first dispatch", "second dispatch")
    print(header)
    print("-" * len(header))
    for label, _, _ in PASSES:
        for name, r in results.items():
            m = r["medians"].get(label)
            if m:
                print("{0:<22} {1:<9} {2:>10.3f} {3:>11.3f} {4:>15.3f} {5:>16.3f}".format(
                    label, name, m["compile_ms"], m["compute_ms"],
                    m["first_dispatch_ms"], m["second_dispatch_ms"]))
    if "original" in results:
        print("\nratio original/ours (higher is better for ours):")
        for label in ("cold", "warm"):
            o, u = results["original"]["medians"][label], results["ours"]["medians"][label]
            print("  {0:<6} Compute() {1:.2f}  first dispatch {2:.2f}".format(
                label, o["compute_ms"] / u["compute_ms"],
                o["first_dispatch_ms"] / u["first_dispatch_ms"]))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()

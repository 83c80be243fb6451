#!/usr/bin/env python3
"""The same workloads on this compushady and on the original compushady 0.17,
one table of ratios.

    python3 bench/compare_original.py --original /tmp/compushady-0.17.5 \
        [--ours-path DIR] [--quick] [--rounds N] [--device N] [--json out.json]

Runs bench/api_workloads.py (public API common to both modules only) in one
subprocess per module:
  - the original: PYTHONPATH=<--original> (a directory holding the original's
    `compushady` package with its extensions built in place, e.g.
    `python3 setup.py build_ext --inplace` in the extracted sdist);
  - ours: the installed `compushady`, or PYTHONPATH=<--ours-path>.
First the original compiles the shared shaders (DXC) into a temporary
directory; both workers then run that very SPIR-V for the dispatch, the
Compute() creation and the first saxpy row (if the original cannot compile,
ours compiles them, said in the header). Each worker prints the
compushady.__file__ it imported; they must differ, and the original's must
lie under --original.

The table: what | original | ours | unit | ratio, where ratio is ours' speed
relative to the original (throughput / throughput, or time / time
inverted): higher is better, 1.00 = as fast. A row the original (or ours)
could not run says n/a and the error is listed below the table.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "api_workloads.py")
MiB = 1 << 20

# (figure key, label, workload that makes it, higher is better)
ROWS = [
    ("dispatch_us", "dispatch(1,1,1) round trip (median)", "dispatch", False),
    ("buffer_create_destroy_per_s", "Buffer(1 MiB, DEFAULT) create+destroy", "buffers", True),
    ("copy_h2d_gbps", "copy_to UPLOAD->DEFAULT {copy} MiB", "copies", True),
    ("copy_d2h_gbps", "copy_to DEFAULT->READBACK {copy} MiB", "copies", True),
    ("upload_gbps", "upload(bytes) {host} MiB", "host", True),
    ("readback_into_gbps", "readback(bytearray) {host} MiB", "host", True),
    ("readback_bytes_gbps", "readback() -> bytes {host} MiB", "host", True),
    ("saxpy_gbps", "saxpy {saxpy} Mi floats, same SPIR-V ({spv})", "saxpy", True),
    ("saxpy_own_compile_gbps", "saxpy {saxpy} Mi floats, own hlsl.compile", "saxpy", True),
    ("compute_same_ms", "Compute() creation, same shader again", "creation", False),
    ("compute_first_ms", "Compute() creation, new shader (first time)", "creation", False),
    ("compile_first_ms", "hlsl.compile(trivial), new source", "compile", False),
    ("compile_same_ms", "hlsl.compile(trivial), same source again", "compile", False),
]


def log(*args):
    print("[compare]", *args, file=sys.stderr, flush=True)


def worker_env(pythonpath, cache_dir, device):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    env["COMPUSHADY_CACHE_DIR"] = cache_dir
    if device is not None:
        env["COMPUSHADY_DEVICE"] = str(device)
    return env


def run_worker(name, args, env, timeout, cwd):
    """Runs api_workloads.py; returns (parsed JSON or None, error string)."""
    cmd = [sys.executable, WORKER] + args
    log("%s: %s" % (name, " ".join(cmd)))
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        err = (exc.stderr or b"")
        err = err.decode(errors="replace") if isinstance(err, bytes) else err
        sys.stderr.write(err[-2000:])
        return None, "timed out after %d s" % timeout
    sys.stderr.write("".join("    " + line + "\n" for line in p.stderr.splitlines()
                             if "XDG_RUNTIME_DIR" not in line))
    log("%s: rc %d in %.1f s" % (name, p.returncode, time.monotonic() - t0))
    lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
    if p.returncode != 0 or not lines:
        tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return None, "exit status %d: %s" % (p.returncode, tail)
    try:
        return json.loads(lines[-1]), None
    except ValueError as exc:
        return None, "bad JSON: %s" % exc


def speed(orig, ours, higher):
    if orig is None or ours is None or orig <= 0 or ours <= 0:
        return None
    return ours / orig if higher else orig / ours


def fmt(v):
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 10000:
        return "%.0f" % v
    if a >= 100:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3f" % v


def fmt_ratio(v):
    if v is None:
        return "n/a"
    return "%.0f" % v if v >= 100 else "%.2f" % v


def merge_rounds(results):
    """Best figure of each key over the rounds (max throughput, min time)."""
    merged = None
    for r in results:
        if r is None:
            continue
        if merged is None:
            merged = json.loads(json.dumps(r))
            merged["rounds"] = 1
            continue
        merged["rounds"] += 1
        for key, fig in r.get("figures", {}).items():
            old = merged["figures"].get(key)
            higher = fig["unit"] in ("GB/s", "1/s")
            if old is None or (fig["value"] > old["value"]) == higher:
                merged["figures"][key] = fig
        merged["warnings"] = merged.get("warnings", []) + r.get("warnings", [])
    return merged


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--original", default=os.environ.get("COMPUSHADY_ORIGINAL",
                                                         "/tmp/compushady-0.17.5"),
                    help="directory holding the original's compushady package (built in place)")
    ap.add_argument("--ours-path", default=None,
                    help="PYTHONPATH for ours (default: the installed compushady)")
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer calls")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run each worker N times, alternating; best figure of each")
    ap.add_argument("--device", type=int, default=None, help="COMPUSHADY_DEVICE for both")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per worker run")
    ap.add_argument("--json", help="write rows and both workers' JSON here")
    args = ap.parse_args()

    original = os.path.abspath(args.original)
    tmp = tempfile.mkdtemp(prefix="cs_compare_")
    try:
        return compare(args, original, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compare(args, original, tmp):
    if not os.path.isfile(os.path.join(original, "compushady", "__init__.py")):
        log("WARNING: no compushady package under %s: the original will fail" % original)
    # ours' disk caches go to a fresh directory for each worker run
    paths = {"original": original,
             "ours": os.path.abspath(args.ours_path) if args.ours_path else None}
    env_orig = worker_env(original, os.path.join(tmp, "cache_emit"), args.device)
    env_ours = worker_env(paths["ours"], os.path.join(tmp, "cache_emit"), args.device)
    rounds = max(1, args.rounds)
    quick = ["--quick"] if args.quick else []

    # the shared SPIR-V: the original's DXC output (ours' if that fails)
    spv = os.path.join(tmp, "spirv")
    emit = ["--emit", spv, "--slots", str(2 * rounds)]
    emitted, err = run_worker("emit (original)", emit, env_orig, 120, tmp)
    spv_note = "DXC, the original's hlsl.compile"
    if emitted is None:
        log("the original could not compile the shared shaders (%s); ours compiles them" % err)
        shutil.rmtree(spv, ignore_errors=True)
        emitted, err2 = run_worker("emit (ours)", emit, env_ours, 120, tmp)
        spv_note = "glslang, ours' hlsl.compile (the original failed: %s)" % err
        if emitted is None:
            log("ours could not compile them either (%s)" % err2)
            spv_note = None
    spv_args = ["--spirv", spv] if spv_note else []

    runs = {"original": [], "ours": []}
    errors = {"original": [], "ours": []}
    for r in range(rounds):
        # alternate which goes first
        order = ["original", "ours"] if r % 2 == 0 else ["ours", "original"]
        for name in order:
            env = worker_env(paths[name], os.path.join(tmp, "cache_%s_%d" % (name, r)),
                             args.device)
            # new shaders for every run: its own slot of unique_*.spv
            slot = ["--unique-slot", str(2 * r + (name == "ours"))]
            out, err = run_worker(name, quick + spv_args + slot, env, args.timeout, tmp)
            runs[name].append(out)
            if err:
                errors[name].append(err)
    res = {name: merge_rounds(runs[name]) for name in runs}
    orig, ours = res["original"], res["ours"]

    # is the original really the original?
    checks = []
    mod_orig = orig["module"] if orig else None
    mod_ours = ours["module"] if ours else None
    if mod_orig and mod_ours and mod_orig == mod_ours:
        checks.append("ERROR: both workers imported %s" % mod_orig)
    if mod_orig and not mod_orig.startswith(original + os.sep):
        checks.append("ERROR: the 'original' worker imported %s, not under %s"
                      % (mod_orig, original))
    if mod_ours and mod_ours.startswith(original + os.sep):
        checks.append("ERROR: the 'ours' worker imported the original (%s)" % mod_ours)
    if orig and ours:
        if orig["device"]["name"] != ours["device"]["name"]:
            checks.append("WARNING: different devices: %r vs %r"
                          % (orig["device"]["name"], ours["device"]["name"]))
        if orig["sizes"] != ours["sizes"]:
            checks.append("WARNING: different sizes: %r vs %r" % (orig["sizes"], ours["sizes"]))
    for c in checks:
        log(c)

    base = ours or orig or {}
    dev = base.get("device", {})
    sizes = base.get("sizes", {})
    fields = {"copy": sizes.get("copy_bytes", 0) // MiB, "host": sizes.get("host_bytes", 0) // MiB,
              "saxpy": sizes.get("saxpy_n", 0) // MiB,
              "spv": "DXC" if spv_note and spv_note.startswith("DXC") else "glslang"}

    print("device:   %s (%s)" % (dev.get("name", "?"),
                                 "hardware" if dev.get("is_hardware") else "software/CPU"))
    print("original: %s" % (mod_orig or "FAILED: %s" % "; ".join(errors["original"])))
    print("ours:     %s" % (mod_ours or "FAILED: %s" % "; ".join(errors["ours"])))
    print("python:   %s; rounds: %d (best of each figure)" % (base.get("python", "?"), rounds))
    print("shared SPIR-V (dispatch, Compute(), first saxpy row): %s" % (spv_note or "none"))
    print("own hlsl.compile: the original DXC, ours glslang/shaderc (same HLSL source)")
    print()

    rows = []
    notes = []
    for key, label, workload, higher in ROWS:
        label = label.format(**fields)
        vals = {}
        for name, r in (("original", orig), ("ours", ours)):
            fig = (r or {}).get("figures", {}).get(key)
            vals[name] = fig["value"] if fig else None
            if fig is None:
                err = None
                if r is None:
                    whole = "%s: every row: %s" % (name, "; ".join(errors[name]) or "worker failed")
                    if whole not in notes:
                        notes.append(whole)
                else:
                    errs = r.get("errors", {})
                    err = errs.get(key) or errs.get(workload)
                if err:
                    notes.append("%s, %s: %s" % (label, name, err))
        unit = next((r["figures"][key]["unit"] for r in (orig, ours)
                     if r and key in r.get("figures", {})), "")
        if not unit:
            if key == "compute_first_ms" and spv_note is None:
                continue
            unit = "?"
        rows.append({"what": label, "key": key, "unit": unit, "original": vals["original"],
                     "ours": vals["ours"], "higher_is_better": higher,
                     "ratio": speed(vals["original"], vals["ours"], higher)})

    w = max(len(r["what"]) for r in rows)
    print("%-*s  %10s  %10s  %-5s  %s" % (w, "what", "original", "ours", "unit",
                                          "ratio (ours/original speed, higher is better)"))
    for r in rows:
        print("%-*s  %10s  %10s  %-5s  %s" % (w, r["what"], fmt(r["original"]), fmt(r["ours"]),
                                             r["unit"], fmt_ratio(r["ratio"])))
    warnings = [("original", m) for m in (orig or {}).get("warnings", [])] + \
               [("ours", m) for m in (ours or {}).get("warnings", [])]
    if notes or warnings or checks:
        print()
    for n in notes:
        print("n/a: " + n)
    for name, m in warnings:
        print("WARNING (%s): %s" % (name, m))
    for c in checks:
        print(c)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "device": dev, "sizes": sizes, "shared_spirv": spv_note,
                       "checks": checks, "errors": errors, "original": orig, "ours": ours,
                       "original_rounds": runs["original"], "ours_rounds": runs["ours"]},
                      f, indent=1)
        log("wrote %s" % args.json)
    return 1 if any(c.startswith("ERROR") for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())

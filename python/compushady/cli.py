"""The command line: ``python -m compushady <command>``.

    devices [--json]                     the devices and what they support
    compile SHADER [-o OUT] [--entry main] [--target cs_6_0] [--glsl]
            [--to spirv|glsl|msl|hlsl]
            [--reflect] [--json]         HLSL/GLSL to SPIR-V (or, through
                                         SPIRV-Cross, GLSL/MSL/HLSL source),
                                         and what it binds
    bench [--quick] [--json] [--device N]
                                         a small benchmark of the package

--json, on every command: the result as one JSON document on stdout, and
nothing else there (other lines go to stderr). Progress lines are written
only when stderr is a terminal.

Exit status: 0 on success, 1 when the work failed (a shader that does not
compile, no device), 2 for bad usage, unreadable files or an unknown
COMPUSHADY_BACKEND, 141 when stdout was closed early (``| head``). A user
error is one line on stderr, never a traceback.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time

# >>helpers -----------------------------------------------------------------


class CommandError(Exception):
    """A failure reported as one line on stderr, with an exit status."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def human_bytes(count):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if count < 1024 or unit == "TiB":
            return "{0:.0f} {1}".format(count, unit) if unit == "B" else "{0:.1f} {1}".format(count, unit)
        count /= 1024.0


def print_table(rows, header, out=sys.stdout):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip(), file=out)


def progress(message, done=False):
    """One status line on stderr, rewritten in place; only on a terminal
    (a log or a pipe gets no progress lines)."""
    if not sys.stderr.isatty():
        return
    sys.stderr.write("\r\033[K" + message + ("\n" if done else ""))
    sys.stderr.flush()


# >>devices -----------------------------------------------------------------


def device_kind(device):
    if not device.is_hardware:
        return "CPU"
    return "discrete" if device.is_discrete else "integrated"


def device_record(index, device, best):
    def attribute(name, default=None):
        try:
            return getattr(device, name)
        except AttributeError:
            return default

    memory = device.dedicated_video_memory or device.shared_system_memory
    return {
        "index": index,
        "name": device.name,
        "kind": device_kind(device),
        "best": best,
        "vendor_id": device.vendor_id,
        "device_id": device.device_id,
        "memory": memory,
        "dedicated_video_memory": device.dedicated_video_memory,
        "shared_system_memory": device.shared_system_memory,
        "max_compute_workgroup_size": list(attribute("max_compute_workgroup_size", ()) or ()),
        "max_compute_workgroup_count": list(attribute("max_compute_workgroup_count", ()) or ()),
        "max_push_constants_size": attribute("max_push_constants_size"),
        "max_buffer_size": attribute("max_buffer_size"),
        "features": {
            "float16": bool(attribute("supports_float16", False)),
            "sparse": bool(attribute("supports_sparse", False)),
            "bindless": bool(attribute("supports_bindless", False)),
            "storage_image_without_format": bool(attribute("supports_storage_image_without_format", False)),
            "storage_image_write_without_format": bool(
                attribute("supports_storage_image_write_without_format", False)),
        },
    }


def command_devices(args):
    import compushady

    devices = compushady.get_discovered_devices()
    best = None
    if devices:
        try:
            best = compushady.get_best_device()
        except (ValueError, IndexError) as error:  # a bad COMPUSHADY_DEVICE
            print("warning:", error, file=sys.stderr)
    records = [device_record(i, d, d is best) for i, d in enumerate(devices)]
    if args.json:
        backend = compushady.get_backend().__name__.rsplit(".", 1)[-1]
        json.dump({"backend": backend, "devices": records}, sys.stdout, indent=2)
        print()
        return 0 if devices else 1
    if not devices:
        raise CommandError("no device found (is a Vulkan driver installed? mesa-vulkan-drivers gives lavapipe)")

    def triple(values):
        return "x".join(str(v) for v in values) or "?"

    rows = []
    for r in records:
        features = [name for name in ("float16", "sparse", "bindless") if r["features"][name]]
        if r["features"]["storage_image_without_format"]:
            features.append("storage-image-no-format")
        elif r["features"]["storage_image_write_without_format"]:
            features.append("storage-image-write-no-format")
        rows.append([
            ("*" if r["best"] else " ") + str(r["index"]), r["name"], r["kind"], human_bytes(r["memory"]),
            triple(r["max_compute_workgroup_size"]), triple(r["max_compute_workgroup_count"]),
            "{0} B".format(r["max_push_constants_size"]), ", ".join(features) or "-",
        ])
    print_table(rows, ["#", "name", "kind", "memory", "max group size", "max groups", "push", "features"])
    print("* = the device compushady uses by default (COMPUSHADY_DEVICE=N picks another)")
    return 0


# >>compile -----------------------------------------------------------------

SPIRV_MAGIC = b"\x03\x02\x23\x07"

TYPE_NAMES = {
    "cbv": "cbuffer",
    "uniform_texel_buffer": "Buffer<T>",
    "storage_texel_buffer": "RWBuffer<T>",
    "sampler": "SamplerState",
}
DIM_NAMES = {1: "1D", 2: "2D", 3: "3D", 4: "Cube", 5: "Buffer"}
# SPIR-V ImageFormat, as the storage image's declared format
IMAGE_FORMATS = (
    "Unknown Rgba32f Rgba16f R32f Rgba8 Rgba8Snorm Rg32f Rg16f R11fG11fB10f R16f Rgba16 Rgb10A2 "
    "Rg16 Rg8 R16 R8 Rgba16Snorm Rg16Snorm Rg8Snorm R16Snorm R8Snorm Rgba32i Rgba16i Rgba8i R32i "
    "Rg32i Rg16i Rg8i R16i R8i Rgba32ui Rgba16ui Rgba8ui R32ui Rgb10a2ui Rg32ui Rg16ui Rg8ui "
    "R16ui R8ui R64ui R64i"
).split()


def register_name(binding):
    """The HLSL register of a binding number (b: 0, t: 1024, u: 2048, s: 3072)."""
    for base, letter in ((3072, "s"), (2048, "u"), (1024, "t"), (0, "b")):
        if base <= binding < base + 1024:
            return "{0}{1}".format(letter, binding - base)
    return "binding {0}".format(binding)


def image_format_name(binding):
    """The SPIR-V ImageFormat's name ("Rgba8"), "" when Unknown."""
    fmt = binding["image_format"]
    return (IMAGE_FORMATS[fmt] if fmt < len(IMAGE_FORMATS) else str(fmt)) if fmt else ""


def binding_type_name(binding):
    kind = binding["type"]
    if kind in TYPE_NAMES:
        name = TYPE_NAMES[kind]
    elif kind == "storage_buffer":
        return "StructuredBuffer" if binding["read_only"] else "RWStructuredBuffer"
    else:
        prefix = "Texture" if kind == "sampled_image" else "RWTexture"
        name = prefix + DIM_NAMES.get(binding["dim"], "?") + ("Array" if binding["arrayed"] else "")
    if kind in ("storage_image", "uniform_texel_buffer", "storage_texel_buffer") and binding["image_format"]:
        name += " ({0})".format(image_format_name(binding))
    return name


def describe_reflection(info, out=sys.stdout):
    print("entry point: {0}".format(info["entry_point"]), file=out)
    print("workgroup size: {0}".format(" x ".join(str(v) for v in info["workgroup_size"])), file=out)
    print("push constants: {0} bytes".format(info["push_constant_size"]), file=out)
    if not info["bindings"]:
        print("bindings: none", file=out)
        return
    rows = []
    for b in info["bindings"]:
        count = b["array_size"]
        register = register_name(b["binding"]) + ("" if b["set"] == 0 else ", space{0}".format(b["set"]))
        rows.append([register, b["binding"], binding_type_name(b) + ("[]" if count == 0 else
                     "[{0}]".format(count) if count > 1 else ""), b["name"] or "-"])
    header = ["register", "binding", "type", "name"]
    if all(row[-1] == "-" for row in rows):  # SPIR-V without names
        header, rows = header[:-1], [row[:-1] for row in rows]
    print("bindings:", file=out)
    print_table(rows, header, out)


def command_compile(args):
    from . import _native, ShaderCompileError, ComputeException

    try:
        with open(args.shader, "rb") as f:
            source = f.read()
    except OSError as error:
        raise CommandError("cannot read {0}: {1}".format(args.shader, error.strerror or error), 2)
    language = "glsl" if args.glsl or args.shader.endswith((".glsl", ".comp")) else "hlsl"
    if args.shader.endswith(".wgsl"):
        language = "wgsl"
    cross = args.to != "spirv"
    if source[:4] == SPIRV_MAGIC:
        spirv = source  # already SPIR-V: reflect or copy it
    else:
        try:
            spirv = _native.compile_shader(source, args.entry, args.target, language)
        except ShaderCompileError as error:
            # the compiler names the source "shader": name the file instead
            message = re.sub(r"(^|\s)shader(?=[:(])", lambda m: m.group(1) + args.shader,
                             str(error).rstrip(), flags=re.M)
            print(message, file=sys.stderr)
            raise CommandError("{0}: compilation failed".format(args.shader))
    if args.reflect:
        try:
            info = _native.reflect_shader(spirv)
        except ComputeException as error:
            raise CommandError("{0}: {1}".format(args.shader, error))
        if args.json:
            json.dump(dict(info, workgroup_size=list(info["workgroup_size"]),
                           bindings=[dict(b, register=register_name(b["binding"]),
                                          hlsl_type=binding_type_name(b),
                                          dim_name=DIM_NAMES.get(b["dim"], ""),
                                          image_format_name=image_format_name(b))
                                     for b in info["bindings"]]),
                      sys.stdout, indent=2)
            print()
        else:
            describe_reflection(info)
    result, what = spirv, "SPIR-V"
    if cross:
        try:
            result, size = _native.cross_compile(spirv, args.to, args.entry if source[:4] != SPIRV_MAGIC
                                                 else None)
        except (ShaderCompileError, ComputeException) as error:
            raise CommandError("{0}: {1}".format(args.shader, error))
        if args.to == "msl":  # Metal sets the threadgroup size at dispatch
            result = "// threads per threadgroup: {0} {1} {2}\n".format(*size).encode() + result
        what = CROSS_NAMES[args.to]
    output = args.output
    if output is None and not args.reflect:
        extension = CROSS_EXTENSIONS.get(args.to, ".spv")
        output = os.path.splitext(args.shader)[0] + extension
        if os.path.abspath(output) == os.path.abspath(args.shader):
            output = os.path.splitext(args.shader)[0] + ".cross" + extension
    if output == "-":
        sys.stdout.buffer.write(result)
        sys.stdout.buffer.flush()
    elif output is not None:
        try:
            with open(output, "wb") as f:
                f.write(result)
        except OSError as error:
            raise CommandError("cannot write {0}: {1}".format(output, error.strerror or error), 2)
        print("wrote {0} ({1} bytes of {2})".format(output, len(result), what),
              file=sys.stderr if args.json else sys.stdout)
    if args.json and not args.reflect:
        written = {"shader": args.shader, "output": output, "spirv_size": len(spirv)}
        if cross:
            written.update(language=args.to, source_size=len(result))
        json.dump(written, sys.stdout, indent=2)
        print()
    return 0


CROSS_NAMES = {"glsl": "GLSL", "msl": "MSL", "hlsl": "HLSL"}
CROSS_EXTENSIONS = {"glsl": ".glsl", "msl": ".metal", "hlsl": ".hlsl"}


# >>bench -------------------------------------------------------------------


ROUND_TRIP_SHADER = """
RWStructuredBuffer<uint> data : register(u0);
[numthreads(1, 1, 1)]
void main() { data[0] += 1; }
"""


def builtin_bench(args):
    import compushady
    from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
    from compushady.shaders import hlsl

    if args.device is not None:
        compushady.set_current_device(args.device)
    device = compushady.get_current_device()
    size = (8 if args.quick else 64) << 20
    repeats = 3 if args.quick else 10
    dispatches = 50 if args.quick else 500
    results = {"device": device.name, "size_bytes": size}
    steps = 5

    def timed(label, step, count, operation):
        times = []
        for i in range(count):
            progress("[{0}/{1}] {2} {3}/{4}".format(step, steps, label, i + 1, count))
            start = time.perf_counter()
            operation()
            times.append(time.perf_counter() - start)
        return times

    progress("[1/{0}] setup ({1}, {2} buffers)".format(steps, device.name, human_bytes(size)))
    counter = Buffer(4, HEAP_DEFAULT, stride=4)
    compute = Compute(hlsl.compile(ROUND_TRIP_SHADER), uav=[counter])
    upload = Buffer(size, HEAP_UPLOAD)
    readback = Buffer(size, HEAP_READBACK)
    a = Buffer(size, HEAP_DEFAULT)
    b = Buffer(size, HEAP_DEFAULT)
    host = bytes(range(256)) * (size // 256)
    target = bytearray(size)
    compute.dispatch(1, 1, 1)  # warm up

    times = timed("dispatch round trip", 2, dispatches, lambda: compute.dispatch(1, 1, 1))
    results["dispatch_us_median"] = statistics.median(times) * 1e6
    results["dispatch_us_min"] = min(times) * 1e6

    def gbps(times):
        return size / statistics.median(times) / 1e9

    upload_times = timed("upload (host -> UPLOAD -> DEFAULT)", 3, repeats,
                         lambda: (upload.upload(host), upload.copy_to(a)))
    results["upload_gbps"] = gbps(upload_times)
    readback_times = timed("readback (DEFAULT -> READBACK -> host)", 4, repeats,
                           lambda: (a.copy_to(readback), readback.readback(target)))
    results["readback_gbps"] = gbps(readback_times)
    if bytes(target) != host:
        raise CommandError("bench: the data read back differs from the data uploaded")
    copy_times = timed("copy (DEFAULT -> DEFAULT)", 5, repeats, lambda: a.copy_to(b))
    results["copy_gbps"] = gbps(copy_times)
    progress("done", done=True)

    out = sys.stderr if args.json else sys.stdout  # --json: stdout is the JSON only
    print("device: {0} ({1})".format(device.name, device_kind(device)), file=out)
    print_table([
        ["dispatch round trip", "{0:.1f} us".format(results["dispatch_us_median"]),
         "min {0:.1f} us, {1} dispatches".format(results["dispatch_us_min"], dispatches)],
        ["upload", "{0:.2f} GB/s".format(results["upload_gbps"]), "host -> UPLOAD -> DEFAULT, " + human_bytes(size)],
        ["readback", "{0:.2f} GB/s".format(results["readback_gbps"]),
         "DEFAULT -> READBACK -> host, " + human_bytes(size)],
        ["copy", "{0:.2f} GB/s".format(results["copy_gbps"]), "DEFAULT -> DEFAULT, " + human_bytes(size)],
    ], ["benchmark", "median", "what"], out)
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
    return 0


def command_bench(args):
    """The built-in benchmark: it needs only the installed package, and runs
    the same wherever it is started (bench/bench.py of a source checkout,
    with its references, is run directly: python bench/bench.py)."""
    return builtin_bench(args)


# >>main --------------------------------------------------------------------


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m compushady",
        description="compushady: run GPU compute shaders on Vulkan (HLSL, GLSL, SPIR-V).")
    commands = parser.add_subparsers(dest="command", metavar="command")
    commands.required = True

    devices = commands.add_parser("devices", help="list the devices and their limits and features")
    devices.add_argument("--json", action="store_true", help="machine-readable output")

    compile_ = commands.add_parser(
        "compile", help="compile a shader to SPIR-V (and show its bindings)",
        description="Compiles an HLSL (or GLSL: --glsl, .glsl, .comp) compute shader to SPIR-V. "
                    "A SPIR-V input is taken as is (useful with --reflect).")
    compile_.add_argument("shader", help="the shader source file")
    compile_.add_argument("-o", "--output", help="SPIR-V output ('-' = stdout; default: SHADER with "
                          ".spv, or nothing with --reflect)")
    compile_.add_argument("--entry", default="main", help="entry point (default: main)")
    compile_.add_argument("--target", default="cs_6_0", help="HLSL profile (default: cs_6_0)")
    compile_.add_argument("--glsl", action="store_true", help="the source is GLSL")
    compile_.add_argument("--to", choices=("spirv", "glsl", "msl", "hlsl"), default="spirv",
                          help="output: SPIR-V (default), or GLSL 450, MSL 2.3 or HLSL (SM 5.0) "
                               "source translated by SPIRV-Cross with the same bindings "
                               "(docs/cross-compiling.md)")
    compile_.add_argument("--reflect", action="store_true",
                          help="print the bindings (registers, types), workgroup size, push constants")
    compile_.add_argument("--json", action="store_true",
                          help="JSON on stdout: the reflection with --reflect, else what was written")

    bench = commands.add_parser(
        "bench", help="a small benchmark: dispatch round trip, upload, readback, copy",
        description="A small benchmark that needs only the package: dispatch round trip, "
                    "upload/readback and copy bandwidth. The fuller benchmark with references "
                    "is bench/bench.py of a source checkout.")
    bench.add_argument("--builtin", action="store_true", help=argparse.SUPPRESS)  # accepted, as before
    bench.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    bench.add_argument("--json", action="store_true", help="the results as JSON on stdout")
    bench.add_argument("--device", type=int, help="device index (default: the best device)")
    return parser


def run_command(parser, args):
    if args.command == "devices":
        return command_devices(args)
    if args.command == "compile":
        if args.json and args.output == "-":
            parser.error("-o - and --json both write to stdout: give -o a file")
        return command_compile(args)
    return command_bench(args)


def stdout_closed():
    """stdout's reader went away (``| head -1``): the rest of the output is
    dropped, and the exit at shutdown must not fail flushing it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 141  # as a tool that SIGPIPE ended (128 + 13)


def main(argv=None):
    from . import UnknownBackend

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = run_command(parser, args)
        sys.stdout.flush()  # a closed pipe is found here, not at shutdown
        return status
    except BrokenPipeError:
        return stdout_closed()
    except CommandError as error:
        print("compushady {0}: {1}".format(args.command, error), file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except UnknownBackend as error:  # COMPUSHADY_BACKEND names no backend
        print("compushady {0}: {1}".format(args.command, error), file=sys.stderr)
        return 2
    except (ValueError, IndexError, RuntimeError, MemoryError) as error:
        # library errors (no device, a bad COMPUSHADY_DEVICE, ...): one line
        print("compushady {0}: {1}: {2}".format(args.command, type(error).__name__, error), file=sys.stderr)
        return 1

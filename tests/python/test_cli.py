"""python -m compushady: devices, compile, bench (run as a user would)."""
import json
import os
import subprocess
import sys

import compushady
from compushady import _native

SHADER = """
cbuffer Params : register(b0) { uint n; };
StructuredBuffer<float> weights : register(t0);
Texture2D<float4> picture : register(t1);
RWStructuredBuffer<uint> counts : register(u0);
RWTexture2D<float4> target : register(u2);
SamplerState linear_sampler : register(s0);
struct Push { float a; uint b; };
[[vk::push_constant]] ConstantBuffer<Push> push;

[numthreads(8, 4, 1)]
void main(uint3 id : SV_DispatchThreadID)
{
    target[id.xy] = picture.SampleLevel(linear_sampler, float2(0, 0), 0) * push.a + n + weights[0];
    counts[0] = push.b;
}
"""

BROKEN = """RWStructuredBuffer<uint> data : register(u0);
[numthreads(1, 1, 1)]
void main()
{
    data[0] = undeclared_thing;
}
"""


def cli(*args, cwd=None, check_rc=0):
    env = dict(os.environ, COMPUSHADY_DEBUG="1")
    result = subprocess.run([sys.executable, "-m", "compushady", *args], capture_output=True,
                            cwd=cwd, env=env, timeout=120)
    out, err = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
    assert result.returncode == check_rc, (result.returncode, out, err)
    assert "Traceback" not in err, err
    assert "Validation" not in out + err
    return result, out, err


def test_devices_table():
    _, out, _ = cli("devices")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["#", "name", "kind", "memory"]
    assert "max group size" in lines[0] and "push" in lines[0] and "features" in lines[0]
    devices = compushady.get_discovered_devices()
    assert len(lines) == 1 + len(devices) + 1  # header, devices, legend
    best = compushady.get_best_device()
    for index, device in enumerate(devices):
        row = lines[1 + index]
        assert row.startswith(("*" if device is best else " ") + str(index))
        assert device.name in row
        kind = "CPU" if not device.is_hardware else "discrete" if device.is_discrete else "integrated"
        assert "  {0}  ".format(kind) in row
        assert "x".join(map(str, device.max_compute_workgroup_size)) in row
        assert "{0} B".format(device.max_push_constants_size) in row
        assert ("float16" in row) == bool(device.supports_float16)


def test_devices_json():
    _, out, _ = cli("devices", "--json")
    data = json.loads(out)
    assert data["backend"] == compushady.get_backend().name
    devices = compushady.get_discovered_devices()
    assert [d["name"] for d in data["devices"]] == [d.name for d in devices]
    for record, device in zip(data["devices"], devices):
        assert record["max_compute_workgroup_count"] == list(device.max_compute_workgroup_count)
        assert record["max_push_constants_size"] == device.max_push_constants_size
        assert record["features"]["sparse"] == bool(device.supports_sparse)
        assert record["features"]["bindless"] == bool(device.supports_bindless)
        assert record["kind"] in ("CPU", "discrete", "integrated")
    assert sum(d["best"] for d in data["devices"]) == 1


def test_compile_writes_spirv(tmp_path):
    (tmp_path / "shader.hlsl").write_text(SHADER)
    _, out, _ = cli("compile", "shader.hlsl", cwd=tmp_path)
    spirv = (tmp_path / "shader.spv").read_bytes()
    assert spirv[:4] == b"\x03\x02\x23\x07" and "shader.spv" in out
    assert spirv == _native.compile_shader(SHADER, "main", "cs_6_0", "hlsl")
    cli("compile", "shader.hlsl", "-o", "other.spv", cwd=tmp_path)
    assert (tmp_path / "other.spv").read_bytes() == spirv
    result, _, _ = cli("compile", "shader.hlsl", "-o", "-", cwd=tmp_path)
    assert result.stdout == spirv


def test_compile_reflect_shows_registers(tmp_path):
    (tmp_path / "shader.hlsl").write_text(SHADER)
    _, out, _ = cli("compile", str(tmp_path / "shader.hlsl"), "--reflect")
    assert "workgroup size: 8 x 4 x 1" in out
    assert "push constants: 8 bytes" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line[:1] in "btus" and line.split()[0][1:].isdigit()}
    assert rows == {
        "b0": ["0", "cbuffer", "Params"],
        "t0": ["1024", "StructuredBuffer", "weights"],
        "t1": ["1025", "Texture2D", "picture"],
        "u0": ["2048", "RWStructuredBuffer", "counts"],
        "u2": ["2050", "RWTexture2D", "(Rgba32f)", "target"],
        "s0": ["3072", "SamplerState", "linear_sampler"],
    }
    assert not (tmp_path / "shader.spv").exists()  # --reflect alone writes nothing


def test_compile_reflect_json_and_spirv_input(tmp_path):
    (tmp_path / "shader.hlsl").write_text(SHADER)
    cli("compile", "shader.hlsl", cwd=tmp_path)
    _, out, _ = cli("compile", "shader.spv", "--reflect", "--json", cwd=tmp_path)
    info = json.loads(out)
    assert info["workgroup_size"] == [8, 4, 1] and info["push_constant_size"] == 8
    assert [b["register"] for b in info["bindings"]] == ["b0", "t0", "t1", "u0", "u2", "s0"]
    assert [b["name"] for b in info["bindings"]] == [
        "Params", "weights", "picture", "counts", "target", "linear_sampler"]
    assert [b["dim_name"] for b in info["bindings"]] == ["", "", "2D", "", "2D", ""]
    assert info["bindings"][4]["image_format_name"] == "Rgba32f"


def test_compile_glsl(tmp_path):
    (tmp_path / "double.comp").write_text(
        "#version 450\nlayout(local_size_x = 16) in;\n"
        "layout(set = 0, binding = 2048) buffer Data { uint values[]; };\n"
        "void main() { values[gl_GlobalInvocationID.x] *= 2u; }\n")
    _, out, _ = cli("compile", "double.comp", "--reflect", "-o", "double.spv", cwd=tmp_path)
    assert "workgroup size: 16 x 1 x 1" in out and "u0" in out
    assert (tmp_path / "double.spv").read_bytes()[:4] == b"\x03\x02\x23\x07"


def test_compile_error_prints_diagnostics(tmp_path):
    (tmp_path / "broken.hlsl").write_text(BROKEN)
    _, out, err = cli("compile", "broken.hlsl", cwd=tmp_path, check_rc=1)
    assert "broken.hlsl:5:" in err and "undeclared_thing" in err
    assert "compilation failed" in err
    assert not (tmp_path / "broken.spv").exists()


def test_compile_usage_errors(tmp_path):
    _, _, err = cli("compile", str(tmp_path / "missing.hlsl"), check_rc=2)
    assert "cannot read" in err and "missing.hlsl" in err
    (tmp_path / "shader.hlsl").write_text(SHADER)
    _, _, err = cli("compile", "shader.hlsl", "--entry", "nope", cwd=tmp_path, check_rc=1)
    assert "nope" in err
    _, _, err = cli("compile", "shader.hlsl", "--json", "-o", "-", cwd=tmp_path, check_rc=2)
    assert "both write to stdout" in err
    cli("frobnicate", check_rc=2)
    cli(check_rc=2)
    cli("devices", "--bogus", check_rc=2)


def test_bench_builtin_json_on_stdout_and_no_progress_in_a_log(tmp_path):
    # started from a folder that looks like a source checkout: bench is the
    # package's own benchmark wherever it runs
    (tmp_path / "python" / "compushady").mkdir(parents=True)
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "bench.py").write_text("raise SystemExit(3)\n")
    _, out, err = cli("bench", "--quick", "--json", cwd=tmp_path)
    results = json.loads(out)  # stdout is the JSON document only
    for key in ("dispatch_us_median", "upload_gbps", "readback_gbps", "copy_gbps"):
        assert results[key] > 0
    for name in ("dispatch round trip", "upload", "readback", "copy"):
        assert name in err  # the table, moved to stderr
    assert "\r" not in err and "[2/5]" not in err  # stderr is no terminal here


def test_bench_table_and_unknown_options(tmp_path):
    _, out, err = cli("bench", "--builtin", "--quick", cwd=tmp_path)
    assert "dispatch round trip" in out and "copy" in out
    _, _, err = cli("bench", "--no-c", cwd=tmp_path, check_rc=2)
    assert "unrecognized arguments: --no-c" in err


def test_json_is_the_same_flag_on_every_command(tmp_path):
    (tmp_path / "shader.hlsl").write_text(SHADER)
    documents = {
        "devices": cli("devices", "--json")[1],
        "compile": cli("compile", "shader.hlsl", "--json", cwd=tmp_path)[1],
        "compile --reflect": cli("compile", "shader.hlsl", "--reflect", "--json", cwd=tmp_path)[1],
        "bench": cli("bench", "--quick", "--json", cwd=tmp_path)[1],
    }
    parsed = {name: json.loads(text) for name, text in documents.items()}  # stdout: JSON only
    assert parsed["devices"]["devices"][0]["name"]
    assert parsed["compile"] == {"shader": "shader.hlsl", "output": "shader.spv",
                                 "spirv_size": (tmp_path / "shader.spv").stat().st_size}
    assert parsed["compile --reflect"]["workgroup_size"] == [8, 4, 1]
    assert parsed["bench"]["copy_gbps"] > 0

"""The WGSL corpus (tests/wgsl/*.wgsl, expectations in tests/wgsl/cases.py):
every shader compiled by compushady's WGSL compiler, run, and its results
compared with numpy; where wgpu-py is installed, the same shader runs
through wgpu (naga + its own Vulkan driver, on lavapipe here) as a
reference and must give the same results."""

import os
import sys

import numpy as np
import pytest

import compushady
from compushady import (HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute,
                        Sampler, Texture2D, Texture3D)
from compushady import formats
from compushady.shaders import wgsl

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "wgsl")
sys.path.insert(0, CORPUS)
import cases  # noqa: E402

CASES = {c.name: c for c in cases.CASES}
FORMATS = {"rgba32float": (formats.R32G32B32A32_FLOAT, 16), "r32float": (formats.R32_FLOAT, 4),
           "r32uint": (formats.R32_UINT, 4)}


def source_of(name):
    with open(os.path.join(CORPUS, name + ".wgsl")) as f:
        return f.read()


def test_every_shader_has_a_case_and_there_are_enough():
    files = sorted(f[:-5] for f in os.listdir(CORPUS) if f.endswith(".wgsl"))
    assert files == sorted(CASES), set(files) ^ set(CASES)
    assert len(files) >= 60


def staged(data, size=None):
    data = bytes(data)
    size = max(len(data), 16) if size is None else size
    staging = Buffer(size, HEAP_UPLOAD)
    staging.upload(data)
    return staging


def upload_texture(texture, array, bytes_per_pixel):
    staging = Buffer(texture.size, HEAP_UPLOAD)
    if isinstance(texture, Texture3D):
        depth, height, width = array.shape[:3]
        rows = np.zeros((depth, height, texture.row_pitch), np.uint8)
        raw = np.ascontiguousarray(array).view(np.uint8).reshape(depth, height, -1)
        rows[:, :, :raw.shape[2]] = raw
        staging.upload(rows.tobytes())
    else:
        staging.upload2d(np.ascontiguousarray(array).tobytes(), texture.row_pitch,
                         texture.width, texture.height, bytes_per_pixel)
    staging.copy_to(texture)


def read_texture(texture, bytes_per_pixel, dtype, shape):
    readback = Buffer(texture.size, HEAP_READBACK)
    texture.copy_to(readback)
    raw = readback.readback2d(texture.row_pitch, texture.width, texture.height, bytes_per_pixel)
    return np.frombuffer(raw, dtype).reshape(shape)


def run_compushady(case):
    spirv = wgsl.compile(source_of(case.name), case.entry)
    cbv, srv, uav, samplers, outputs = [], [], [], [], []
    for binding in case.bindings:
        kind, data = binding[0], binding[1]
        if kind in ("uniform", "read", "rw"):
            staging = staged(data.tobytes())
            buffer = Buffer(staging.size, HEAP_DEFAULT)
            staging.copy_to(buffer)
            {"uniform": cbv, "read": srv, "rw": uav}[kind].append(buffer)
            if kind == "rw":
                outputs.append(("buffer", buffer, data))
        elif kind == "texture2d":
            texture = Texture2D(data.shape[1], data.shape[0], formats.R32G32B32A32_FLOAT)
            upload_texture(texture, data, 16)
            srv.append(texture)
        elif kind == "texture3d_u32":
            texture = Texture3D(data.shape[2], data.shape[1], data.shape[0], formats.R32_UINT)
            upload_texture(texture, data, 4)
            srv.append(texture)
        elif kind == "storage2d":
            fmt, bpp = FORMATS[binding[2]]
            texture = Texture2D(data.shape[1], data.shape[0], fmt)
            upload_texture(texture, data, bpp)
            uav.append(texture)
            outputs.append(("texture", texture, data, bpp))
        elif kind == "sampler":
            samplers.append(Sampler(compushady.SAMPLER_ADDRESS_MODE_CLAMP,
                                    compushady.SAMPLER_ADDRESS_MODE_CLAMP,
                                    compushady.SAMPLER_ADDRESS_MODE_CLAMP,
                                    compushady.SAMPLER_FILTER_POINT,
                                    compushady.SAMPLER_FILTER_POINT))
    compute = Compute(spirv, cbv=cbv, srv=srv, uav=uav, samplers=samplers)
    compute.dispatch(*case.groups)
    results = []
    for out in outputs:
        if out[0] == "buffer":
            readback = Buffer(out[1].size, HEAP_READBACK)
            out[1].copy_to(readback)
            raw = readback.readback(out[2].nbytes)
            results.append(np.frombuffer(raw, out[2].dtype).copy())
        else:
            results.append(read_texture(out[1], out[3], out[2].dtype, out[2].shape).copy())
    return results


def check(case, results):
    if case.expect.__name__.endswith("_check"):
        case.expect(results)
        return
    expected = case.expect([b[1] for b in case.bindings])
    assert len(expected) == len(results)
    for got, want in zip(results, expected):
        if want is None:
            continue
        want = np.asarray(want).reshape(got.shape)
        if np.issubdtype(got.dtype, np.floating):
            np.testing.assert_allclose(got, want.astype(got.dtype), rtol=case.rtol, atol=case.atol)
        else:
            np.testing.assert_array_equal(got, want.astype(got.dtype))


def supports(feature):
    device = compushady.get_current_device()
    return bool(getattr(device, "supports_" + feature, True))


@pytest.mark.parametrize("name", sorted(CASES))
def test_wgsl_corpus(name):
    case = CASES[name]
    for feature in case.features:
        if not supports(feature):
            pytest.skip("the device lacks " + feature)
    check(case, run_compushady(case))


# >>wgpu-py as a reference ------------------------------------------------------

def wgpu_device():
    try:
        import wgpu
    except ImportError:
        return None, None
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
    return wgpu, adapter.request_device_sync()


def run_wgpu(wgpu, device, case):
    module = device.create_shader_module(code=source_of(case.name))
    pipeline = device.create_compute_pipeline(
        layout="auto", compute={"module": module, "entry_point": case.entry})
    entries, outputs = [], []
    usage = wgpu.BufferUsage
    for index, (kind, data) in enumerate(b[:2] for b in case.bindings):
        raw = data.tobytes()
        size = max(len(raw), 16)
        if kind == "uniform":
            buffer = device.create_buffer(size=size, usage=usage.UNIFORM | usage.COPY_DST)
        else:
            buffer = device.create_buffer(size=size, usage=usage.STORAGE | usage.COPY_DST | usage.COPY_SRC)
        device.queue.write_buffer(buffer, 0, raw)
        entries.append({"binding": index, "resource": {"buffer": buffer, "offset": 0, "size": size}})
        if kind == "rw":
            outputs.append((buffer, data))
    bind_group = device.create_bind_group(layout=pipeline.get_bind_group_layout(0), entries=entries)
    encoder = device.create_command_encoder()
    pass_ = encoder.begin_compute_pass()
    pass_.set_pipeline(pipeline)
    pass_.set_bind_group(0, bind_group)
    pass_.dispatch_workgroups(*case.groups)
    pass_.end()
    device.queue.submit([encoder.finish()])
    return [np.frombuffer(device.queue.read_buffer(buffer)[:data.nbytes], data.dtype).copy()
            for buffer, data in outputs]


WGPU_CASES = sorted(name for name, c in CASES.items()
                    if c.wgpu and all(b[0] in ("uniform", "read", "rw") for b in c.bindings))


@pytest.fixture(scope="module")
def reference():
    wgpu, device = wgpu_device()
    if device is None:
        pytest.skip("wgpu-py is not installed (pip install wgpu): no reference WGSL implementation")
    return wgpu, device


@pytest.mark.parametrize("name", WGPU_CASES)
def test_wgsl_corpus_matches_wgpu(reference, name):
    wgpu, device = reference
    case = CASES[name]
    ours = run_compushady(case)
    theirs = run_wgpu(wgpu, device, case)
    try:
        check(case, theirs)  # the reference agrees with numpy ...
    except AssertionError as error:
        # ours is checked against the same values by test_wgsl_corpus; a
        # reference that departs from them here cannot judge us
        pytest.skip("wgpu-py on {0} does not give the WGSL values for {1!r} itself: "
                    "{2}".format(compushady.get_current_device().name, name,
                                 str(error).splitlines()[0]))
    for a, b in zip(ours, theirs):  # ... and with us
        if np.issubdtype(a.dtype, np.floating):
            np.testing.assert_allclose(a, b, rtol=max(case.rtol, 1e-5), atol=max(case.atol, 1e-6))
        elif name != "atomic_exchange_compare":  # which invocation wins may differ
            np.testing.assert_array_equal(a, b)

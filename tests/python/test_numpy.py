"""numpy, directly: a host-visible Buffer is a buffer-protocol object over
its mapped memory (memoryview(buffer), numpy.asarray(buffer)), HEAP_DEFAULT
says why it has none, Buffer.from_numpy / to_numpy copy arrays in and out
through staging buffers, compute_with_arrays runs a shader over arrays, and
wrong argument types are clear TypeErrors. Every result is read back from
the device."""

import gc
import os
import subprocess
import sys

import numpy
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import compushady
from compushady import (
    HEAP_DEFAULT,
    HEAP_READBACK,
    HEAP_UPLOAD,
    Buffer,
    BufferException,
    compute_with_arrays,
)
from compushady.formats import R32_FLOAT
from compushady.shaders import hlsl
from helpers import read_buffer, upload_buffer

HEAPS = [HEAP_DEFAULT, HEAP_UPLOAD, HEAP_READBACK]
HEAP_NAMES = {HEAP_DEFAULT: "DEFAULT", HEAP_UPLOAD: "UPLOAD", HEAP_READBACK: "READBACK"}
EXAMPLES = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# >>the buffer protocol ------------------------------------------------------


def test_memoryview_of_an_upload_buffer_writes_device_memory():
    upload = Buffer(16, HEAP_UPLOAD)
    view = memoryview(upload)
    assert view.obj is upload and view.nbytes == 16 and not view.readonly
    assert view.format == "B" and view.shape == (16,)
    view[:] = bytes(range(16))
    view.release()
    assert read_buffer(upload) == bytes(range(16))


def test_numpy_asarray_of_a_readback_buffer_reads_device_memory_in_place():
    readback = Buffer(16, HEAP_READBACK)
    upload_buffer(bytes(range(100, 116))).copy_to(readback)
    array = numpy.asarray(readback)
    assert array.dtype == numpy.uint8 and array.shape == (16,)
    assert not array.flags.writeable  # READBACK memory is the GPU's answer
    assert array.tolist() == list(range(100, 116))
    # no copy: a later GPU write shows in the same array
    upload_buffer(bytes(16)).copy_to(readback)
    assert array.tolist() == [0] * 16
    with pytest.raises(TypeError, match="cannot modify read-only memory"):
        memoryview(readback)[0] = 1


def test_numpy_writes_in_place_into_an_upload_buffer():
    upload = Buffer(4 * 64, HEAP_UPLOAD)
    floats = numpy.asarray(upload).view(numpy.float32)
    floats[:] = numpy.linspace(-1, 1, 64, dtype=numpy.float32)
    device = Buffer(upload.size, HEAP_DEFAULT)
    upload.copy_to(device)
    assert numpy.array_equal(
        numpy.frombuffer(read_buffer(device), numpy.float32),
        numpy.linspace(-1, 1, 64, dtype=numpy.float32),
    )


@pytest.mark.parametrize("view", [memoryview, numpy.asarray], ids=["memoryview", "numpy"])
def test_a_default_heap_buffer_has_no_memory_to_view(view):
    buffer = Buffer(16, HEAP_DEFAULT)
    # numpy.asarray must not fall back to a 0-d object array
    with pytest.raises(BufferError, match=r"a buffer in the DEFAULT heap is not host-visible, "
                       r"so it has no memory to view: create it with HEAP_UPLOAD or "
                       r"HEAP_READBACK for a view without a copy, or read a copy with "
                       r"Buffer.to_numpy\(\)"):
        view(buffer)


def test_a_view_keeps_the_mapping_alive_after_the_buffer_is_dropped():
    readback = Buffer(8, HEAP_READBACK)
    upload_buffer(b"pinned!!").copy_to(readback)
    array = numpy.asarray(readback)
    view = memoryview(Buffer.from_numpy(b"upload!!", HEAP_UPLOAD))
    del readback
    gc.collect()
    assert array.tobytes() == b"pinned!!" and view.tobytes() == b"upload!!"
    view[:4] = b"UPLO"  # the mapping is still there to write
    assert read_buffer(view.obj) == b"UPLOad!!"


def test_a_view_outlives_a_replaced_handle():
    upload = Buffer.from_numpy(b"original", HEAP_UPLOAD)
    view = memoryview(upload)
    original = upload.handle
    upload.handle = Buffer.from_numpy(b"replaced", HEAP_UPLOAD).handle
    del original
    gc.collect()
    assert view.tobytes() == b"original"  # the view maps what it mapped
    assert bytes(memoryview(upload)) == b"replaced"


def test_textures_and_failed_buffers_have_no_memory_to_view():
    texture = compushady.Texture2D(2, 2, R32_FLOAT)
    with pytest.raises(TypeError):  # a texture is not a buffer-protocol object
        memoryview(texture)
    half_made = Buffer.__new__(Buffer)  # as after a failed __init__
    with pytest.raises(BufferError, match="this Buffer has no native resource"):
        memoryview(half_made)


# >>wrong argument types ------------------------------------------------------


NOT_INTS = [numpy.zeros(4), numpy.array([1.5]), 1.5, "16", b"16", None, [16], object()]


@EXAMPLES
@given(
    argument=st.sampled_from(["size", "heap_type", "stride", "format", "heap_offset"]),
    value=st.sampled_from(NOT_INTS),
)
def test_buffer_arguments_of_the_wrong_type_are_named(argument, value):
    kwargs = dict(size=16, heap_type=HEAP_UPLOAD)
    kwargs[argument] = value
    with pytest.raises(TypeError, match="^{0} must be an int, got {1}".format(
            argument, type(value).__name__)):
        Buffer(**kwargs)


def test_buffer_of_an_array_points_at_from_numpy():
    with pytest.raises(TypeError, match=r"^size must be an int, got ndarray; "
                       r"Buffer.from_numpy\(array\) makes a buffer holding an array$"):
        Buffer(numpy.zeros(4))


def test_numpy_integers_are_sizes():
    buffer = Buffer(numpy.int64(12), numpy.uint8(HEAP_UPLOAD), stride=numpy.int32(4))
    assert (buffer.size, buffer.heap_type, buffer.stride) == (12, HEAP_UPLOAD, 4)


# >>from_numpy and to_numpy ---------------------------------------------------

# every dtype numpy can hold in a buffer, both byte orders
dtypes = st.one_of(
    hnp.integer_dtypes(), hnp.unsigned_integer_dtypes(), hnp.floating_dtypes(),
    hnp.complex_number_dtypes(), hnp.boolean_dtypes(), hnp.datetime64_dtypes(),
    st.just(numpy.dtype([("x", "<f4"), ("flag", "u1"), ("id", ">i8")])),
)
arrays = hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=7))


def same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@EXAMPLES
@given(array=arrays, heap_type=st.sampled_from(HEAPS))
def test_from_numpy_to_numpy_round_trip(array, heap_type):
    buffer = Buffer.from_numpy(array, heap_type)
    assert buffer.size == array.nbytes and buffer.heap_type == heap_type
    assert read_buffer(buffer) == array.tobytes()  # what the device holds
    assert same(buffer.to_numpy(array.dtype, array.shape), array)
    assert same(buffer.to_numpy(), numpy.frombuffer(array.tobytes(), numpy.uint8))


@EXAMPLES
@given(array=hnp.arrays(dtypes, hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=6)),
       heap_type=st.sampled_from(HEAPS), data=st.data())
def test_from_numpy_copies_non_contiguous_arrays_in_c_order(array, heap_type, data):
    step = data.draw(st.integers(2, 3))
    strided = array[::step] if data.draw(st.booleans()) else array.T
    assume(not strided.flags.c_contiguous)
    buffer = Buffer.from_numpy(strided, heap_type)
    assert read_buffer(buffer) == numpy.ascontiguousarray(strided).tobytes()


@pytest.mark.parametrize("heap_type", HEAPS, ids=HEAP_NAMES.get)
@pytest.mark.parametrize("data", [b"\x01\x02\x03\x04", bytearray(b"abcd"),
                                  memoryview(b"wxyz"), __import__("array").array("I", [7])],
                         ids=["bytes", "bytearray", "memoryview", "array"])
def test_from_numpy_takes_any_buffer_protocol_object(data, heap_type):
    buffer = Buffer.from_numpy(data, heap_type)
    assert read_buffer(buffer) == bytes(memoryview(data).cast("B"))


def test_from_numpy_sets_stride_and_format_for_the_shader():
    values = numpy.arange(16, dtype=numpy.float32)
    structured = Buffer.from_numpy(values, stride=4)
    typed = Buffer.from_numpy(values, format=R32_FLOAT)
    assert (structured.stride, typed.format) == (4, R32_FLOAT)
    out = Buffer(64, HEAP_DEFAULT, stride=4)
    compushady.Compute(hlsl.compile("""
        StructuredBuffer<float> a : register(t0);
        Buffer<float> b : register(t1);
        RWStructuredBuffer<float> c : register(u0);
        [numthreads(16, 1, 1)] void main(uint3 id : SV_DispatchThreadID) {
            c[id.x] = a[id.x] * b[id.x];
        }"""), srv=[structured, typed], uav=[out]).dispatch(1, 1, 1)
    assert numpy.array_equal(out.to_numpy(numpy.float32), values * values)


def test_from_numpy_and_to_numpy_happen_at_once_inside_batch():
    with compushady.batch():
        buffer = Buffer.from_numpy(numpy.arange(8, dtype=numpy.uint32))
        assert buffer.to_numpy(numpy.uint32).tolist() == list(range(8))


@pytest.mark.parametrize("heap_type", HEAPS, ids=HEAP_NAMES.get)
def test_to_numpy_shapes(heap_type):
    buffer = Buffer.from_numpy(numpy.arange(24, dtype=numpy.int32), heap_type)
    assert buffer.to_numpy(numpy.int32, (-1, 4)).tolist() == numpy.arange(24).reshape(6, 4).tolist()
    assert buffer.to_numpy(numpy.int32, 5).tolist() == [0, 1, 2, 3, 4]  # the first bytes
    assert buffer.to_numpy(numpy.int32, (2, 3)).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert buffer.to_numpy(numpy.int32, ()).tolist() == 0
    assert buffer.to_numpy("<u2").tolist()[:4] == [0, 0, 1, 0]
    assert buffer.to_numpy(numpy.int32, (0,)).shape == (0,)
    copy = buffer.to_numpy(numpy.int32)
    copy[:] = -1  # a copy: the buffer keeps its contents
    assert buffer.to_numpy(numpy.int32)[-1] == 23


def test_to_numpy_bad_arguments():
    buffer = Buffer(10, HEAP_UPLOAD)
    with pytest.raises(ValueError, match=r"the buffer's 10 bytes are not a whole number of "
                       r"float32 \(4 bytes each\): pass a shape to read fewer"):
        buffer.to_numpy(numpy.float32)
    with pytest.raises(ValueError, match=r"shape \(3,\) of float32 needs 12 bytes, the buffer has 10"):
        buffer.to_numpy(numpy.float32, 3)
    with pytest.raises(ValueError, match="cannot reshape"):
        buffer.to_numpy(numpy.uint8, (3, -1))
    with pytest.raises(TypeError, match="to_numpy needs a dtype of plain data, got object"):
        buffer.to_numpy(object)


def test_from_numpy_bad_arguments():
    with pytest.raises(BufferException, match="Buffer.from_numpy needs at least 1 byte, the array is empty"):
        Buffer.from_numpy(numpy.zeros(0))
    with pytest.raises(TypeError, match=r"Buffer.from_numpy needs a numpy array or another object "
                       r"with the buffer protocol \(bytes, bytearray, memoryview, array.array\), got list"):
        Buffer.from_numpy([1, 2, 3])
    with pytest.raises(TypeError, match="Buffer.from_numpy needs host data .* got a compushady Buffer"):
        Buffer.from_numpy(Buffer(4, HEAP_UPLOAD))
    with pytest.raises(TypeError, match=r"needs plain data, got an array of Python objects"):
        Buffer.from_numpy(numpy.array([object()]))
    with pytest.raises(BufferException, match="invalid heap type 7 for buffer"):
        Buffer.from_numpy(b"1234", heap_type=7)


# >>compute_with_arrays -------------------------------------------------------

ELEMENTWISE = """
cbuffer Params : register(b0) {{ uint columns; uint rows; uint layers; {scalar} bias; }};
StructuredBuffer<{scalar}> a : register(t0);
StructuredBuffer<{scalar}> b : register(t1);
RWStructuredBuffer<{scalar}> sum : register(u0);
RWStructuredBuffer<{scalar}> product : register(u1);
[numthreads({nx}, {ny}, {nz})]
void main(uint3 id : SV_DispatchThreadID) {{
    if (id.x >= columns || id.y >= rows || id.z >= layers) return;
    uint i = (id.z * rows + id.y) * columns + id.x;
    sum[i] = a[i] + b[i] + bias;
    product[i] = sum[i] * b[i] + product[i];
}}
"""
SCALARS = {numpy.float32: "float", numpy.int32: "int", numpy.uint32: "uint"}


@EXAMPLES
@given(
    dtype=st.sampled_from(sorted(SCALARS, key=str)),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=9),
    numthreads=st.tuples(st.sampled_from([1, 2, 4, 8]), st.sampled_from([1, 2, 4]),
                         st.sampled_from([1, 2])),
    data=st.data(),
)
def test_compute_with_arrays_one_thread_per_element(dtype, shape, numthreads, data):
    elements = hnp.arrays(dtype, shape, elements=st.integers(0, 100))
    a, b, start = data.draw(elements), data.draw(elements), data.draw(elements)
    layers = int(numpy.prod(shape[:-2])) if len(shape) > 2 else 1
    rows = shape[-2] if len(shape) >= 2 else 1
    params = numpy.array([shape[-1], rows, layers, 0], numpy.uint32)
    params[3:] = numpy.array([3], dtype).view(numpy.uint32)
    shader = hlsl.compile(ELEMENTWISE.format(
        scalar=SCALARS[dtype], nx=numthreads[0], ny=numthreads[1], nz=numthreads[2]))
    total, product = compute_with_arrays(
        shader, srv=[a, b], uav=[(shape, dtype), start], cbv=[params])
    assert total.dtype == dtype and total.shape == shape
    assert product.dtype == dtype and product.shape == shape
    assert numpy.array_equal(total, a + b + dtype(3))
    assert numpy.array_equal(product, (a + b + dtype(3)) * b + start)


def test_compute_with_arrays_explicit_groups_buffers_and_push_constants():
    shader = hlsl.compile("""
        struct Push { uint scale; };
        [[vk::push_constant]] ConstantBuffer<Push> push;
        Buffer<float> a : register(t0);
        RWStructuredBuffer<float> out_values : register(u0);
        RWStructuredBuffer<uint> counter : register(u1);
        [numthreads(4, 1, 1)] void main(uint3 id : SV_DispatchThreadID) {
            out_values[id.x] = a[id.x] * push.scale;
            InterlockedAdd(counter[0], 1);
        }""")
    a = Buffer.from_numpy(numpy.arange(16, dtype=numpy.float32), format=R32_FLOAT)
    counter = Buffer.from_numpy(numpy.zeros(1, numpy.uint32))
    out_values, counts = compute_with_arrays(
        shader, srv=[a], uav=[(16, numpy.float32), counter], groups=(2,),
        push=numpy.array([3], numpy.uint32))
    # two groups of 4 threads: the first 8 values only
    assert out_values.tolist() == [3.0 * i for i in range(8)] + [0.0] * 8
    assert counts.view(numpy.uint32).tolist() == [8]  # a Buffer reads back as uint8
    assert counter.to_numpy(numpy.uint32).tolist() == [8]


def test_compute_with_arrays_bad_arguments():
    shader = hlsl.compile("RWStructuredBuffer<uint> o : register(u0);\n"
                          "[numthreads(1, 1, 1)] void main() { o[0] = 1; }")
    with pytest.raises(TypeError, match=r"shader must be SPIR-V bytes \(compushady.shaders.hlsl."
                       r"compile\(source\)\), got str"):
        compute_with_arrays("RWStructuredBuffer<uint> o;", uav=[(1, numpy.uint32)])
    with pytest.raises(ValueError, match="compute_with_arrays needs at least one uav"):
        compute_with_arrays(shader, srv=[numpy.zeros(4)])
    with pytest.raises(TypeError, match="uav must be a list of arrays, got ndarray"):
        compute_with_arrays(shader, uav=numpy.zeros(4))
    with pytest.raises(ValueError, match=r"compute_with_arrays uav\[0\] is empty"):
        compute_with_arrays(shader, uav=[((0,), numpy.uint32)])
    with pytest.raises(TypeError, match=r"uav\[0\]: textures are not read back"):
        compute_with_arrays(shader, uav=[compushady.Texture2D(1, 1, R32_FLOAT)])
    with pytest.raises(ValueError, match=r"groups must be \(x, y, z\)"):
        compute_with_arrays(shader, uav=[(1, numpy.uint32)], groups=(1, 1, 1, 1))
    with pytest.raises(compushady.ComputeException, match=r"^register t0 \(values\): the shader "
                       r"declares a read-only storage buffer .*but srv has 0 elements"):
        compute_with_arrays(hlsl.compile(
            "StructuredBuffer<uint> values : register(t0);\n"
            "RWStructuredBuffer<uint> o : register(u0);\n"
            "[numthreads(1, 1, 1)] void main() { o[0] = values[0]; }"), uav=[(1, numpy.uint32)])
    assert compute_with_arrays(shader, uav=[(1, numpy.uint32)])[0].tolist() == [1]


# >>without numpy ---------------------------------------------------------------

WITHOUT_NUMPY = r"""
import sys
sys.modules["numpy"] = None  # import numpy raises ImportError
import compushady
from compushady import Buffer, HEAP_UPLOAD, HEAP_READBACK, compute_with_arrays
from compushady.shaders import hlsl
upload = Buffer.from_numpy(b"no numpy", HEAP_UPLOAD)
view = memoryview(upload)
assert view.tobytes() == b"no numpy"
view[:2] = b"NO"
default = Buffer.from_numpy(upload.readback())
readback = Buffer(8, HEAP_READBACK)
default.copy_to(readback)
assert bytes(memoryview(readback)) == b"NO numpy", bytes(memoryview(readback))
for call in (lambda: readback.to_numpy(), lambda: compute_with_arrays(b"", uav=[b"x"])):
    try:
        call()
    except ImportError as error:
        print(error)
    else:
        raise AssertionError("no ImportError")
print("numpy" in sys.modules and sys.modules["numpy"] is None)
"""


def test_everything_but_the_numpy_helpers_works_without_numpy():
    result = subprocess.run([sys.executable, "-c", WITHOUT_NUMPY], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "Buffer.to_numpy() needs numpy, which is not installed: pip install numpy",
        "compushady.compute_with_arrays() needs numpy, which is not installed: pip install numpy",
        "True",
    ]


def test_importing_compushady_does_not_import_numpy():
    code = "import sys, compushady; print('numpy' in sys.modules)"
    output = subprocess.check_output([sys.executable, "-c", code], universal_newlines=True)
    assert output.strip() == "False"


# >>the README's numpy example -------------------------------------------------

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_numpy_quickstart_runs_and_is_in_the_readme():
    example = os.path.join(ROOT, "examples", "numpy_quickstart.py")
    output = subprocess.check_output([sys.executable, example], universal_newlines=True)
    assert output.splitlines() == ["[0.  0.5 1.  1.5]", "[64. 65. 66.]", "[1. 2. 3. 4.]"]
    with open(os.path.join(ROOT, "README.md")) as readme, open(example) as source:
        assert source.read().strip() in readme.read()


def test_the_zero_copy_path_and_the_helpers_are_in_help():
    for text in (compushady.__doc__, Buffer.__doc__):
        assert "numpy.asarray(buffer)" in text and "memoryview(buffer)" in text
    assert "from_numpy" in compushady.__doc__ and "compute_with_arrays" in compushady.__doc__
    assert "to_numpy()" in Buffer.__doc__ and "HEAP_READBACK staging" in Buffer.to_numpy.__doc__


# >>version -----------------------------------------------------------------------


def test_version_comes_from_the_header():
    with open(os.path.join(ROOT, "include", "compushady.h")) as f:
        macros = dict(line.split()[1:3] for line in f if line.startswith("#define CS_VERSION_"))
    expected = "{0}.{1}.{2}".format(macros["CS_VERSION_MAJOR"], macros["CS_VERSION_MINOR"],
                                    macros["CS_VERSION_PATCH"])
    assert compushady.__version__ == expected
    from importlib.metadata import version

    assert version("compushady") == expected


# >>long runs (COMPUSHADY_LONG_TESTS=1) ---------------------------------------------

long_run = pytest.mark.skipif(not os.environ.get("COMPUSHADY_LONG_TESTS"),
                              reason="long run: set COMPUSHADY_LONG_TESTS=1")


@long_run
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(array=hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=40)),
       heap_type=st.sampled_from(HEAPS))
def test_long_from_numpy_to_numpy_round_trip(array, heap_type):
    test_from_numpy_to_numpy_round_trip.hypothesis.inner_test(array, heap_type)


@long_run
@pytest.mark.parametrize("heap_type", HEAPS, ids=HEAP_NAMES.get)
def test_long_large_arrays_round_trip(heap_type):
    rng = numpy.random.default_rng(16)
    for megabytes in (1, 17, 64):
        array = rng.integers(0, 2**32, megabytes << 18, dtype=numpy.uint32)
        buffer = Buffer.from_numpy(array, heap_type)
        assert numpy.array_equal(buffer.to_numpy(numpy.uint32), array)
        if heap_type != HEAP_DEFAULT:  # the zero-copy view sees the same bytes
            assert numpy.array_equal(numpy.asarray(buffer).view(numpy.uint32), array)


@long_run
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    dtype=st.sampled_from(sorted(SCALARS, key=str)),
    shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=70),
    # at most 640 threads a group: within every device's 1024
    numthreads=st.tuples(st.sampled_from([1, 3, 8, 64]), st.sampled_from([1, 2, 5]),
                         st.sampled_from([1, 2])),
    data=st.data(),
)
def test_long_compute_with_arrays(dtype, shape, numthreads, data):
    test_compute_with_arrays_one_thread_per_element.hypothesis.inner_test(
        dtype, shape, numthreads, data)

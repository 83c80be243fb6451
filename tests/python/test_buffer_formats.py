"""What a bytes-like argument may be (issue 12 item 3, issue 16 item 8).

Every argument taken through the buffer protocol (uploads, readback targets,
shaders, sources, push constants) is asked for its format: plain bytes and
numbers, alone or in structures, of any byte order, are accepted; Python
objects and pointers are refused with a TypeError naming the argument;
non-contiguous views with a BufferError; read-only readback targets with a
BufferError. An error raised by the object itself while it exports its buffer
reaches the caller as it was raised (a BufferError is chained as the cause of
one naming the argument).
"""

import array
import ctypes
import gc
import struct
import sys

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import compushady
from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady import _native
from compushady.shaders import hlsl

SIZE = 256

PUSH_SHADER = """
struct Push { uint value; };
[[vk::push_constant]] ConstantBuffer<Push> push;
RWStructuredBuffer<uint> output : register(u0);
[numthreads(1, 1, 1)]
void main() { output[0] = push.value; }
"""

NOT_PLAIN = "must hold plain bytes or numbers"

settings.register_profile(
    "buffer_formats",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def buffers():
    upload = Buffer(SIZE, HEAP_UPLOAD)
    readback = Buffer(SIZE, HEAP_READBACK)
    pattern = bytes(range(256))[:SIZE]
    upload.upload(pattern)
    upload.copy_to(readback)
    return upload, readback, pattern


@pytest.fixture(scope="module")
def push_compute():
    output = Buffer(4, stride=4)
    return Compute(hlsl.compile(PUSH_SHADER), uav=[output], push_size=4)


plain_dtypes = st.one_of(
    hnp.integer_dtypes(endianness="?"),
    hnp.unsigned_integer_dtypes(endianness="?"),
    hnp.floating_dtypes(endianness="?"),
    hnp.complex_number_dtypes(endianness="?"),
    hnp.boolean_dtypes(),
    hnp.byte_string_dtypes(max_len=4),
    hnp.unicode_string_dtypes(max_len=2),
)
# field names of any text but NUL (numpy cuts its format there, see
# test_a_format_cut_short_is_refused) and ':' (numpy refuses to export it);
# names with O, P or & are names, not codes, in numpy's formats
field_names = st.text(
    alphabet=st.characters(blacklist_characters="\x00:", blacklist_categories=["Cs"]),
    min_size=1,
    max_size=6,
) | st.sampled_from(["O", "P", "Offset", "Position", "&x"])


def structures(members, max_size=3):
    """numpy structured dtypes: fields named by field_names, of members,
    some of them sub-arrays."""
    field = st.tuples(field_names, members, st.sampled_from([(), (2,), (2, 1)]))
    return st.lists(
        field, min_size=1, max_size=max_size, unique_by=lambda f: f[0]
    ).map(lambda fields: numpy.dtype([(n, d, shape) if shape else (n, d) for n, d, shape in fields]))


# structures of numbers (with nested structures and sub-arrays) are plain
plain_structures = structures(st.one_of(plain_dtypes, structures(plain_dtypes, 2)))
object_field_structures = st.lists(
    st.one_of(plain_dtypes, st.just(numpy.dtype(object))), min_size=1, max_size=3
).filter(lambda fields: any(f == numpy.dtype(object) for f in fields)).map(
    lambda fields: numpy.dtype([("f{0}".format(i), f) for i, f in enumerate(fields)])
)


def exportable(dtype):
    try:
        memoryview(numpy.zeros(1, dtype))
    except (ValueError, TypeError, NotImplementedError):
        return False
    return True


@settings.get_profile("buffer_formats")
@given(dtype=st.one_of(plain_dtypes, plain_structures), count=st.integers(1, 8))
def test_plain_numpy_arrays_upload_and_read_back(buffers, dtype, count):
    upload, readback, pattern = buffers
    if not exportable(dtype) or dtype.itemsize * count > SIZE:
        return
    target = numpy.zeros(count, dtype)
    readback.readback(target)
    assert target.tobytes() == pattern[: target.nbytes]
    source = numpy.frombuffer(bytes(reversed(pattern[: target.nbytes])), dtype)
    upload.upload(source)
    check = Buffer(SIZE, HEAP_READBACK)
    upload.copy_to(check)
    assert check.readback(target.nbytes) == source.tobytes()


@settings.get_profile("buffer_formats")
@given(dtype=object_field_structures, count=st.integers(1, 4))
def test_structures_with_object_fields_are_refused(buffers, dtype, count):
    upload, readback, _ = buffers
    target = numpy.empty(count, dtype)
    with pytest.raises(TypeError, match=r"buffer " + NOT_PLAIN + r".*Python objects"):
        readback.readback(target)
    with pytest.raises(TypeError, match=r"data " + NOT_PLAIN):
        upload.upload(target)


@settings.get_profile("buffer_formats")
@given(
    array=hnp.arrays(
        dtype=st.sampled_from([numpy.uint8, numpy.float32, numpy.int16]),
        shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
    ),
    step=st.integers(1, 3),
    transpose=st.booleans(),
)
def test_contiguity_is_checked(buffers, array, step, transpose):
    upload, readback, pattern = buffers
    view = array[::step]
    if transpose:
        view = view.T
    if view.nbytes > SIZE:
        return
    if view.flags.c_contiguous:
        upload.upload(view)
        readback.readback(view)
        assert view.tobytes() == pattern[: view.nbytes]
    else:
        with pytest.raises(BufferError, match="data must be a C-contiguous buffer"):
            upload.upload(view)
        with pytest.raises(
            BufferError, match="buffer must be a C-contiguous writable buffer"
        ):
            readback.readback(view)


@pytest.mark.parametrize(
    "make",
    [lambda size, c=c: memoryview(bytearray(size)).cast(c) for c in "bBhHiIlLqQnNfd?c"]
    + [lambda size, c=c: array.array(c, bytes(size)) for c in "bBuhHiIlLqQfd"],
)
def test_memoryviews_and_arrays_of_every_number_code(buffers, make):
    upload, readback, pattern = buffers
    target = make(32)
    readback.readback(target)
    assert bytes(target) == pattern[:32]
    upload.upload(target)


@pytest.mark.parametrize(
    "make, meaning",
    [
        (lambda: numpy.empty(2, dtype=object), "Python objects"),
        (lambda: (ctypes.py_object * 2)(), "Python objects"),
        (lambda: (ctypes.c_void_p * 2)(), "pointers"),
        (lambda: (ctypes.c_char_p * 2)(), "pointers|items that are not plain"),
    ],
)
def test_objects_and_pointers_are_refused_everywhere(buffers, push_compute, make, meaning):
    upload, readback, _ = buffers
    calls = {
        "buffer": lambda x: readback.readback(x),
        "data": lambda x: upload.upload(x),
        "data ": lambda x: upload.upload2d(x, 16, 4, 1, 4),
        " data": lambda x: upload.upload_chunked(x, 4, b"\0"),
        "filler": lambda x: upload.upload_chunked(b"1234", 4, x),
        "shader": lambda x: Compute(x),
        "source": lambda x: hlsl.compile(x),
        "spirv": lambda x: _native.reflect_shader(x),
        "push": lambda x: push_compute.dispatch(1, 1, 1, x),
    }
    for name, call in calls.items():
        with pytest.raises(TypeError, match=name.strip() + " " + NOT_PLAIN) as info:
            call(make())
        assert info.match(meaning)


def test_a_format_cut_short_is_refused(buffers):
    # a NUL in a numpy field name ends the format string inside the name:
    # what follows (an object field, maybe) cannot be read, so it is refused
    _, readback, _ = buffers
    target = numpy.zeros(2, dtype=[("a\x00", "<i4"), ("b", "<f4")])
    with pytest.raises(TypeError, match="buffer " + NOT_PLAIN):
        readback.readback(target)


def test_ctypes_field_names_cannot_hide_objects(buffers):
    # ctypes writes ':' in field names as they are: 'T{<i:a:b:<O:c:d:}'
    # reads as names "a", "<O", "d" around plain codes; where names are not
    # exact (any exporter but numpy) a name holding O, P or & is refused
    _, readback, _ = buffers

    class Hidden(ctypes.Structure):
        _fields_ = [("a:b", ctypes.c_int), ("c:d", ctypes.py_object)]

    class Plain(ctypes.Structure):
        _fields_ = [("x", ctypes.c_float), ("w", ctypes.c_int)]

    class Unsure(ctypes.Structure):
        _fields_ = [("Pos", ctypes.c_float), ("w", ctypes.c_int)]

    target = (Hidden * 2)()
    with pytest.raises(TypeError, match="a field name that may hide Python objects"):
        readback.readback(target)
    with pytest.raises(TypeError, match="a field name that may hide"):
        readback.readback((Unsure * 2)())
    plain = (Plain * 2)()
    readback.readback(plain)
    # numpy's names are exact (it refuses ':' in them), also under memoryviews
    named = numpy.zeros(2, dtype=[("Position", "<f4"), ("Offset", "<i4")])
    readback.readback(memoryview(memoryview(named)))
    readback.readback(named)


def test_readback_into_an_object_array_leaves_it_intact(buffers):
    _, readback, _ = buffers
    target = numpy.empty(2, dtype=object)
    target[:] = ["a", "b"]
    with pytest.raises(TypeError, match=r"buffer must hold plain bytes or numbers, got a numpy.ndarray of format 'O' \(Python objects\)"):
        readback.readback(target)
    assert list(target) == ["a", "b"]
    del target
    gc.collect()


def test_read_only_readback_targets_are_refused(buffers):
    _, readback, _ = buffers
    frozen = numpy.zeros(4, numpy.uint8)
    frozen.flags.writeable = False
    for target in (b"1234", memoryview(b"1234"), frozen, memoryview(bytearray(4)).toreadonly()):
        with pytest.raises(BufferError, match="buffer must be a C-contiguous writable buffer .*read-only"):
            readback.readback(target)


# >>errors of the exporter itself (issue 16 item 8)


def test_an_exporter_error_passes_through_with_a_note(buffers):
    upload, _, _ = buffers
    released = memoryview(b"abcd")
    released.release()
    with pytest.raises(ValueError, match="released memoryview") as info:
        upload.upload(released)
    if sys.version_info >= (3, 11):
        assert any("argument 'data'" in note for note in info.value.__notes__)


needs_pep688 = pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="__buffer__ in Python classes (PEP 688) needs Python 3.12",
)


class Exporter:
    def __init__(self, error):
        self.error = error

    def __buffer__(self, flags):
        raise self.error

    def __release_buffer__(self, view):
        pass


@needs_pep688
@pytest.mark.parametrize("error", [KeyboardInterrupt(), SystemExit(3), ValueError("mine"), RuntimeError("also mine")])
def test_dunder_buffer_errors_reach_the_caller_unchanged(buffers, error):
    upload, readback, _ = buffers
    for call in (upload.upload, readback.readback, hlsl.compile, Compute):
        with pytest.raises(type(error)) as info:
            call(Exporter(error))
        assert info.value is error


@needs_pep688
def test_dunder_buffer_buffer_error_is_the_cause(buffers):
    upload, _, _ = buffers
    error = BufferError("cannot export that")
    with pytest.raises(BufferError, match="data cannot be read as a buffer .*cannot export that") as info:
        upload.upload(Exporter(error))
    assert info.value.__cause__ is error


@needs_pep688
def test_dunder_buffer_that_works_is_checked_like_any_other(buffers):
    upload, readback, pattern = buffers

    class Wraps:
        def __init__(self, inner):
            self.inner = inner

        def __buffer__(self, flags):
            return memoryview(self.inner)

    target = bytearray(8)
    readback.readback(Wraps(target))
    assert target == pattern[:8]
    with pytest.raises(TypeError, match="data " + NOT_PLAIN):
        upload.upload(Wraps(numpy.empty(1, dtype=object)))

"""compute_with_arrays: run a compute shader over numpy arrays in one call.

numpy is imported when the function runs, so that ``import compushady``
works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, Union

from . import (
    HEAP_DEFAULT,
    Buffer,
    Compute,
    Resource,
    _bytes_of,
    _import_numpy,
    _native,
    _shape_tuple,
)

if TYPE_CHECKING:  # numpy is needed only to check types
    from _typeshed import ReadableBuffer
    from numpy.typing import DTypeLike, NDArray

    from . import Device

    # host data: any buffer-protocol object (numpy's stubs give arrays
    # __buffer__ only from Python 3.12 on)
    Data = Union[ReadableBuffer, NDArray[Any]]
    # an input: host data or a resource bound as it is
    Input = Union[Data, Resource]
    # an output: an array (initial contents), (shape, dtype) or a Buffer
    Output = Union[Data, Tuple[Union[int, Sequence[int]], DTypeLike], Buffer]


def _thread_counts(shape: Sequence[int]) -> Tuple[int, int, int]:
    """(x, y, z) threads for one per element of shape: the last axis along
    x, the one before along y, all the others together along z."""
    shape = tuple(shape) or (1,)
    x = shape[-1]
    y = shape[-2] if len(shape) >= 2 else 1
    z = 1
    for extent in shape[:-2]:
        z *= extent
    return x, y, z


def _groups_for(shader: bytes, shape: Sequence[int]) -> Tuple[int, ...]:
    size = _native.reflect_shader(shader)["workgroup_size"]
    return tuple(
        (count + threads - 1) // threads
        for count, threads in zip(_thread_counts(shape), size)
    )


def _input_buffer(entry: Input, device: Optional[Device]) -> Resource:
    if isinstance(entry, Resource):
        return entry
    return Buffer.from_numpy(entry, HEAP_DEFAULT, device=device)


def _constant_buffer(entry: Input, device: Optional[Device]) -> Resource:
    if isinstance(entry, Resource):
        return entry
    data = _bytes_of(entry, "compute_with_arrays cbv")
    padded = bytearray(-(-max(data.nbytes, 1) // 16) * 16)  # whole 16-byte rows
    padded[: data.nbytes] = data
    return Buffer.from_numpy(padded, HEAP_DEFAULT, device=device)


def _output(
    entry: Output, index: int, device: Optional[Device], numpy: Any
) -> Tuple[Buffer, Any, Tuple[int, ...]]:
    """(buffer, dtype, shape) of one uav entry."""
    if isinstance(entry, Resource):
        if not isinstance(entry, Buffer):
            raise TypeError(
                "compute_with_arrays uav[{0}]: textures are not read back; "
                "pass arrays, (shape, dtype) or Buffers".format(index)
            )
        return entry, numpy.dtype(numpy.uint8), (entry.size,)
    if isinstance(entry, tuple) and len(entry) == 2:
        shape, dtype = entry
        array = numpy.zeros(shape, dtype)
    else:
        array = numpy.asarray(entry)
        if array.dtype.hasobject:
            raise TypeError(
                "compute_with_arrays uav[{0}] must be an array, (shape, dtype) "
                "or a Buffer, got {1}".format(index, type(entry).__name__)
            )
    if array.nbytes == 0:
        raise ValueError(
            "compute_with_arrays uav[{0}] is empty (shape {1}): a buffer "
            "needs at least 1 byte".format(index, array.shape)
        )
    buffer = Buffer.from_numpy(array, HEAP_DEFAULT, device=device)
    return buffer, array.dtype, array.shape


def compute_with_arrays(
    shader: ReadableBuffer,
    srv: Sequence[Input] = (),
    uav: Sequence[Output] = (),
    cbv: Sequence[Input] = (),
    groups: Union[int, Sequence[int], None] = None,
    push: Optional[Data] = None,
    device: Optional[Device] = None,
) -> List[NDArray[Any]]:
    """Run a compute shader once over arrays; returns the uav contents.

    ``shader``: SPIR-V (``compushady.shaders.hlsl.compile(source)``).
    ``srv`` (registers t0, t1, ...): numpy arrays or other buffer-protocol
    objects, uploaded to HEAP_DEFAULT buffers; a Buffer or Texture is bound
    as it is. ``uav`` (u0, u1, ...): arrays (their contents are the
    buffer's initial contents and the result has their shape and dtype),
    ``(shape, dtype)`` pairs (zero-filled) or Buffers (read back as uint8).
    ``cbv`` (b0, ...): bytes-like constants (padded to 16 bytes) or Buffers.
    ``groups``: (x, y, z) thread groups; None dispatches one thread per
    element of the first uav, with the shader's numthreads: its last axis
    along x, the one before along y, the others along z. ``push``: push
    constant bytes.

    Returns a list with one new numpy array per uav, in order. Structured
    buffers need no stride here (the shader's declaration decides); for a
    typed ``Buffer<T>``/``RWBuffer<T>``, pass a Buffer made with
    ``Buffer.from_numpy(array, format=...)``. Needs numpy.
    """
    numpy = _import_numpy("compushady.compute_with_arrays()")
    if not isinstance(shader, (bytes, bytearray, memoryview)):
        raise TypeError(
            "shader must be SPIR-V bytes (compushady.shaders.hlsl.compile"
            "(source)), got {0}".format(type(shader).__name__)
        )
    for what, entries in (("srv", srv), ("uav", uav), ("cbv", cbv)):
        if not isinstance(entries, (list, tuple)):
            raise TypeError(
                "{0} must be a list of arrays, got {1}".format(
                    what, type(entries).__name__
                )
            )
    if not uav:
        raise ValueError(
            "compute_with_arrays needs at least one uav: the results are "
            "read back from them"
        )
    outputs = [_output(entry, index, device, numpy) for index, entry in enumerate(uav)]
    if groups is None:
        counts = _groups_for(bytes(shader), outputs[0][2])
    else:
        counts = _shape_tuple(groups)
        if len(counts) > 3:
            raise ValueError("groups must be (x, y, z), got {0!r}".format(counts))
        counts = counts + (1,) * (3 - len(counts))
    push_bytes = None
    if push is not None:
        push_bytes = _bytes_of(push, "compute_with_arrays push")
    compute = Compute(
        shader,
        cbv=[_constant_buffer(entry, device) for entry in cbv],
        srv=[_input_buffer(entry, device) for entry in srv],
        uav=[buffer for buffer, _, _ in outputs],
        push_size=push_bytes.nbytes if push_bytes is not None else 0,
        device=device,
    )
    # at once, also inside batch(): the results are read right after
    compute.handle.dispatch(counts[0], counts[1], counts[2], push_bytes)
    return [buffer.to_numpy(dtype, shape) for buffer, dtype, shape in outputs]

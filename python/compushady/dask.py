"""Compute shaders over Dask arrays: every block runs on the device of the
worker that computes it.

``map_blocks(shader, *arrays, dtype, cbv=None)`` returns a lazy
``dask.array.Array``. Each block is computed by ``shader`` (HLSL source, or
SPIR-V bytes):

- input block ``i`` is bound at ``t<i>`` as a ``StructuredBuffer`` of the
  input's dtype, its elements in C (row-major) order;
- the output block, of the first input's block shape and ``dtype``, is
  ``RWStructuredBuffer`` ``u0``;
- ``cbv`` (bytes, or a numpy scalar such as a structured ``numpy.void``) is
  the constant buffer ``b0``;
- if the shader declares push constants, they hold the block's geometry
  (``BLOCK_INFO_FIELDS``): its extent and its origin in the whole array,
  x being the last axis;
- the groups come from the shader's ``numthreads`` (read from the SPIR-V):
  a shader with push constants (the block info) gets ceil(extent /
  numthreads) groups along x (the last axis), y and z; a shader without
  them cannot know the block's shape, so it sees the block as one run of
  ``count`` elements along x (elementwise shaders work on any shape).

The shader is compiled and reflected once, in the calling process, so that
compile errors and bindings that do not fit are reported by map_blocks
itself; the tasks carry the SPIR-V. Each process that runs blocks keeps the
Computes it made, with their buffers, keyed by (shader, layout, device), and
reuses them for every block of that layout.

Which device a block runs on (the device rule): ``COMPUSHADY_DEVICE=N`` in
the worker's environment picks the N-th discovered device; otherwise a
``dask.distributed`` worker takes the device of its rank, where the rank is
the lowest free slot among the compushady workers of its host (claimed when
the worker computes its first block, freed when it exits), modulo the number
of devices of the best kind (hardware GPUs before CPU implementations such
as lavapipe). Outside a distributed worker (threaded or synchronous
scheduler) blocks run on ``compushady.get_current_device()``.

Dask and distributed are optional dependencies: ``import compushady`` never
imports this module.
"""

import collections
import hashlib
import math
import os
import socket
import struct
import sys
import tempfile
import threading
import weakref
from typing import Any, Dict, List, Optional, Tuple

try:
    import numpy
    import dask
    import dask.array
except ImportError:  # pragma: no cover - depends on the install
    raise ImportError(
        "compushady.dask needs numpy and dask: pip install 'dask[array]' "
        "(and 'distributed' for clusters); {0}".format(sys.exc_info()[1])
    )

import compushady
from compushady import _native

try:
    import fcntl
except ImportError:  # not POSIX: every distributed worker has rank 0
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "map_blocks",
    "worker_device",
    "worker_rank",
    "worker_info",
    "cache_info",
    "SUPPORTED_DTYPES",
    "BLOCK_INFO_FIELDS",
]

SPIRV_MAGIC = b"\x03\x02\x23\x07"

# The register numbers of the SPIR-V bindings (docs/conventions.md).
_CBV_BASE, _SRV_BASE, _UAV_BASE, _SAMPLER_BASE = 0, 1024, 2048, 3072

# What a StructuredBuffer element can be: 4- and 8-byte scalars (8-byte ones
# need the device's shaderFloat64 / shaderInt64), and records of them.
SUPPORTED_DTYPES = ("float32", "int32", "uint32", "float64", "int64", "uint64")

# The push constants compushady.dask fills, when the shader declares some:
# eight uint32, in this order; a shader may declare any prefix of them.
BLOCK_INFO_FIELDS = (
    "width",  # extent along x (the last axis)
    "height",  # extent along y (the axis before; 1 for 1D arrays)
    "depth",  # extent along z (1 for 1D and 2D arrays)
    "count",  # elements in the block: width * height * depth
    "x0",  # index of the block's first element in the whole array, along x
    "y0",  # ... along y
    "z0",  # ... along z
    "block",  # the block's index in C order over the array's grid of blocks
)
_BLOCK_INFO_SIZE = 4 * len(BLOCK_INFO_FIELDS)

# False makes CPU devices take the GPU path too (the tests use it).
_BIND_HOST_BUFFERS_ON_CPU_DEVICES = True

# How many idle Computes (with their buffers) a process keeps, over all
# shaders and layouts; more are released, least recently used first.
MAX_IDLE_COMPUTES = 16


# >>validation (in the calling process) ----------------------------------------


def _register(binding):
    for base, letter in (
        (_SAMPLER_BASE, "s"),
        (_UAV_BASE, "u"),
        (_SRV_BASE, "t"),
        (_CBV_BASE, "b"),
    ):
        if base <= binding < base + 1024:
            return letter, binding - base
    return "?", binding


def _element_dtype(dtype, what):
    """The native-byte-order dtype for a StructuredBuffer element, or a
    TypeError saying what is supported."""
    try:
        dtype = numpy.dtype(dtype)
    except TypeError as error:
        raise TypeError("{0} is not a numpy dtype: {1}".format(what, error)) from None
    if dtype.fields is not None:
        for name, field in dtype.fields.items():
            _element_dtype(field[0], "{0} field {1!r}".format(what, name))
        if dtype.itemsize % 4:
            raise TypeError(
                "{0} {1} is {2} bytes, not a multiple of 4: a StructuredBuffer "
                "element is a whole number of 32-bit words (pad the record)".format(
                    what, dtype, dtype.itemsize
                )
            )
        return dtype
    if dtype.subdtype is not None:
        base, _ = dtype.subdtype
        _element_dtype(base, what)
        return dtype
    if dtype.kind not in "fiu" or dtype.itemsize not in (4, 8):
        raise TypeError(
            "{0} {1} is not supported by compushady.dask: a StructuredBuffer "
            "element is one of {2} (or a record of them); convert the array "
            "with .astype(numpy.float32) or similar".format(
                what, dtype, ", ".join(SUPPORTED_DTYPES)
            )
        )
    return dtype.newbyteorder("=")


_compile_lock = threading.Lock()
_compiled: Dict[bytes, "_Shader"] = {}  # sha256 of the source -> _Shader
_stats: "collections.Counter[str]" = collections.Counter()
_stats_lock = threading.Lock()


def _count(name):
    with _stats_lock:
        _stats[name] += 1


class _Shader:
    """A compiled shader and what its reflection says map_blocks needs."""

    def __init__(self, spirv):
        self.spirv = bytes(spirv)
        self.digest = hashlib.sha256(self.spirv).hexdigest()
        try:
            info = _native.reflect_shader(self.spirv)
        except compushady.ComputeException as error:
            raise ValueError(
                "the shader is not valid SPIR-V compushady can reflect: "
                "{0}".format(error)
            ) from None
        self.workgroup_size = tuple(info["workgroup_size"])
        self.push_size = info["push_constant_size"]
        self.bindings = info["bindings"]


def _compile(shader):
    """The _Shader of HLSL source (str or UTF-8 bytes) or SPIR-V bytes;
    compiled once per process and source."""
    if isinstance(shader, str):
        source = shader.encode("utf-8")
        spirv = None
    else:
        try:
            source = bytes(memoryview(shader))
        except TypeError:
            raise TypeError(
                "shader must be HLSL source (str) or SPIR-V (bytes), got "
                "{0}".format(type(shader).__name__)
            ) from None
        spirv = source if source[:4] == SPIRV_MAGIC else None
        if spirv is None:
            try:
                source.decode("utf-8")
            except UnicodeDecodeError:
                raise TypeError(
                    "shader bytes are neither SPIR-V (they do not start with "
                    "the SPIR-V magic number 0x07230203) nor UTF-8 HLSL source"
                ) from None
    key = hashlib.sha256(source).digest()
    with _compile_lock:
        compiled = _compiled.get(key)
    if compiled is None:
        if spirv is None:
            from compushady.shaders import hlsl

            spirv = hlsl.compile(source)
            _count("shaders_compiled")
        compiled = _Shader(spirv)
        with _compile_lock:
            _compiled[key] = compiled
    return compiled


def _check_bindings(shader, n_inputs, has_cbv):
    """ValueError when the shader declares something map_blocks does not
    bind, or binds a register with a kind map_blocks cannot fill."""
    offered = "t0..t{0} (the inputs), u0 (the output) and b0 (cbv)".format(
        n_inputs - 1
    )
    has_u0 = False
    for binding in shader.bindings:
        letter, index = _register(binding["binding"])
        register = "{0}{1}".format(letter, index)
        if binding["set"] != 0:
            raise ValueError(
                "the shader declares {0} in space{1}: compushady.dask binds "
                "only space0 ({2})".format(register, binding["set"], offered)
            )
        kind = binding["type"]
        if letter == "u" and index == 0:
            if kind != "storage_buffer":
                raise ValueError(
                    "the shader's u0 is a {0}: compushady.dask writes the output "
                    "block to a RWStructuredBuffer<T> u0".format(kind)
                )
            has_u0 = True
        elif letter == "t" and index < n_inputs:
            if kind != "storage_buffer":
                raise ValueError(
                    "the shader's t{0} is a {1}: compushady.dask binds input "
                    "{0} as a StructuredBuffer<T>".format(index, kind)
                )
        elif letter == "t":
            raise ValueError(
                "the shader reads {0} but map_blocks got {1} input array(s): "
                "it binds {2}".format(register, n_inputs, offered)
            )
        elif letter == "b" and index == 0:
            if not has_cbv:
                raise ValueError(
                    "the shader declares the constant buffer b0 but cbv is None: "
                    "pass its bytes (or a numpy structured scalar) as cbv="
                )
        else:
            raise ValueError(
                "the shader declares {0}, which compushady.dask does not bind: "
                "it binds {1}".format(register, offered)
            )
    if not has_u0:
        raise ValueError(
            "the shader declares no u0: compushady.dask writes the output block "
            "to RWStructuredBuffer<T> u0"
        )
    if shader.push_size > _BLOCK_INFO_SIZE:
        raise ValueError(
            "the shader declares {0} bytes of push constants; compushady.dask "
            "fills at most {1} (the block info: {2})".format(
                shader.push_size, _BLOCK_INFO_SIZE, ", ".join(BLOCK_INFO_FIELDS)
            )
        )


def _cbv_bytes(cbv):
    if cbv is None:
        return None
    if isinstance(cbv, numpy.generic):
        data = cbv.tobytes()
    elif isinstance(cbv, numpy.ndarray):
        data = numpy.ascontiguousarray(cbv).tobytes()
    else:
        try:
            data = bytes(memoryview(cbv))
        except TypeError:
            raise TypeError(
                "cbv must be bytes or a numpy scalar (a structured numpy.void "
                "for several constants), got {0}".format(type(cbv).__name__)
            ) from None
    if not data:
        raise ValueError("cbv is empty: pass the constant buffer's bytes, or None")
    return data


def _check_arrays(arrays):
    if not arrays:
        raise TypeError(
            "map_blocks needs at least one input array: the output takes the "
            "first input's chunks"
        )
    for index, array in enumerate(arrays):
        if isinstance(array, (compushady.Resource, compushady.Compute)):
            raise TypeError(
                "input {0} is a compushady.{1}: map_blocks takes dask arrays "
                "and moves their blocks to each worker's device itself".format(
                    index, type(array).__name__
                )
            )
        if not isinstance(array, dask.array.Array):
            raise TypeError(
                "input {0} must be a dask.array.Array, got {1}: wrap it with "
                "dask.array.from_array(x, chunks=...)".format(
                    index, type(array).__name__
                )
            )
    first = arrays[0]
    if not 1 <= first.ndim <= 3:
        raise ValueError(
            "input 0 has {0} dimension(s): compushady.dask maps blocks of 1 to "
            "3 dimensions onto x, y, z (reshape the array)".format(first.ndim)
        )
    for index, array in enumerate(arrays[1:], 1):
        if array.shape != first.shape:
            raise ValueError(
                "input {0} has shape {1}, input 0 has {2}: map_blocks needs "
                "inputs of one shape".format(index, array.shape, first.shape)
            )
        if array.chunks != first.chunks:
            raise ValueError(
                "input {0} is chunked {1}, input 0 {2}: map_blocks needs equal "
                "chunks (use x.rechunk(first.chunks))".format(
                    index, array.chunks, first.chunks
                )
            )
    if any(math.isnan(size) for size in first.shape):
        raise ValueError(
            "input 0 has unknown chunk sizes: call compute_chunk_sizes() first"
        )
    if any(size >= 2**32 for size in first.shape):
        raise ValueError(
            "input 0 has shape {0}: compushady.dask needs every axis under "
            "2**32 elements".format(first.shape)
        )


# >>the task (pickled to the workers) -------------------------------------------


class _BlockKernel:
    """What every task runs: everything needed to compute one block, and
    nothing that cannot be pickled (SPIR-V, dtypes, constants)."""

    def __init__(self, shader, input_dtypes, output_dtype, cbv):
        self.spirv = shader.spirv
        self.digest = shader.digest
        self.workgroup_size = shader.workgroup_size
        self.push_size = shader.push_size
        self.input_dtypes = tuple(input_dtypes)
        self.output_dtype = output_dtype
        self.cbv = cbv

    def __dask_tokenize__(self):
        return (
            "compushady.dask",
            self.digest,
            tuple(d.str for d in self.input_dtypes),
            tuple(d.descr for d in self.input_dtypes),
            self.output_dtype.descr,
            self.cbv,
        )

    def __call__(self, *blocks, block_info=None):
        return _run_block(self, blocks, block_info)


def _block_geometry(shape, block_info):
    """(extents, origin, block index): x is the last axis."""
    extents = tuple(reversed(shape)) + (1,) * (3 - len(shape))
    origin = (0, 0, 0)
    block = 0
    info = block_info.get(None) if block_info else None
    if info is not None:
        location = info["array-location"]
        origin = tuple(start for start, _ in reversed(location)) + (0,) * (
            3 - len(location)
        )
        block = 0
        for index, count in zip(info["chunk-location"], info["num-chunks"]):
            block = block * count + index
    return extents, origin, block


class _Layout:
    """A Compute and the buffers it binds, for one shader, block size and
    device; used by one block at a time."""

    def __init__(self, kernel, device, threads):
        # CPU devices (lavapipe): device memory is host memory, so the host
        # buffers are bound directly; GPUs: device-local buffers and copies
        self.direct = _BIND_HOST_BUFFERS_ON_CPU_DEVICES and not device.is_hardware
        inputs = []
        self.staging = []
        for dtype in kernel.input_dtypes:
            size = threads * dtype.itemsize
            staging = compushady.Buffer(
                size,
                compushady.HEAP_UPLOAD,
                stride=dtype.itemsize if self.direct else 0,
                device=device,
            )
            self.staging.append(staging)
            if self.direct:
                inputs.append(staging)
            else:
                inputs.append(
                    compushady.Buffer(
                        size, compushady.HEAP_DEFAULT, stride=dtype.itemsize, device=device
                    )
                )
        out_item = kernel.output_dtype.itemsize
        self.readback = compushady.Buffer(
            threads * out_item,
            compushady.HEAP_READBACK,
            stride=out_item if self.direct else 0,
            device=device,
        )
        if self.direct:
            self.output = self.readback
        else:
            self.output = compushady.Buffer(
                threads * out_item, compushady.HEAP_DEFAULT, stride=out_item, device=device
            )
        self.constants = None
        cbv = []
        if kernel.cbv is not None:
            # constant buffers are read in 16-byte rows; at least 256 bytes,
            # zero past cbv's end, so that a cbuffer declaring more than cbv
            # gives reads zeros there, not whatever memory holds
            size = max(256, -(-len(kernel.cbv) // 16) * 16)
            self.constants = compushady.Buffer(size, compushady.HEAP_UPLOAD, device=device)
            self.constants.upload(bytes(size))
            cbv.append(self.constants)
        self.inputs = inputs
        self.compute = compushady.Compute(
            kernel.spirv,
            cbv=cbv,
            srv=inputs,
            uav=[self.output],
            push_size=kernel.push_size,
            device=device,
        )
        self.commands = None if self.direct else compushady.CommandList(device)
        _count("computes_created")

    def run(self, kernel, device, blocks, groups, push, count, result):
        if self.constants is not None:
            self.constants.upload(kernel.cbv)
        for staging, block in zip(self.staging, blocks):
            staging.upload(block)
        if self.direct:
            # one dispatch: the compute's own submission is the cheapest
            self.compute.dispatch(*groups, push=push)
        else:
            # copies in, dispatch, copy out: one submission of a list kept
            # with the layout (reset and recorded again: the push differs)
            commands = self.commands
            commands.reset()
            for staging, buffer, block in zip(self.staging, self.inputs, blocks):
                commands.copy(staging, buffer, size=block.nbytes)
            commands.dispatch(self.compute, *groups, push=push)
            commands.copy(self.output, self.readback, size=result.nbytes)
            commands.submit(wait=True)
        self.readback.readback(result.reshape(-1).view(numpy.uint8))


_pool_lock = threading.Lock()
# key -> [idle _Layout], oldest key first
_idle: "collections.OrderedDict[Tuple[Any, ...], List[_Layout]]" = collections.OrderedDict()
_idle_count = 0


def _take_layout(key, make):
    global _idle_count
    with _pool_lock:
        entries = _idle.get(key)
        if entries:
            _idle.move_to_end(key)
            _idle_count -= 1
            entry = entries.pop()
            if not entries:
                del _idle[key]
            return entry
    return make()


def _give_back_layout(key, entry):
    global _idle_count
    released = []
    with _pool_lock:
        _idle.setdefault(key, []).append(entry)
        _idle.move_to_end(key)
        _idle_count += 1
        while _idle_count > MAX_IDLE_COMPUTES:
            oldest = next(iter(_idle))
            released.append(_idle[oldest].pop(0))
            if not _idle[oldest]:
                del _idle[oldest]
            _idle_count -= 1
    del released  # freed here, outside the lock


def _run_block(kernel, blocks, block_info):
    _count("blocks")
    shape = numpy.shape(blocks[0])
    result = numpy.empty(shape, dtype=kernel.output_dtype)
    count = result.size
    if count == 0:
        return result
    arrays = []
    for index, (block, dtype) in enumerate(zip(blocks, kernel.input_dtypes)):
        block = numpy.ascontiguousarray(block, dtype=dtype)
        if block.shape != shape:
            raise ValueError(
                "block of input {0} has shape {1}, input 0's {2}: the inputs' "
                "chunks differ".format(index, block.shape, shape)
            )
        arrays.append(block)
    extents, origin, block_index = _block_geometry(shape, block_info)
    # Without the block info a shader cannot know the block's shape, so it
    # can only be elementwise: it gets the block as one run of elements
    # along x. With it, the groups cover the block's shape.
    covered = extents if kernel.push_size else (count, 1, 1)
    groups = tuple(-(-e // n) for e, n in zip(covered, kernel.workgroup_size))
    device = worker_device()
    limits = tuple(device.max_compute_workgroup_count)
    for axis, (needed, limit) in enumerate(zip(groups, limits)):
        if needed > limit:
            raise ValueError(
                "a block of shape {0} needs {1} groups of numthreads {2} along "
                "{3}, more than the {4} device's limit of {5}: use smaller "
                "chunks or a larger numthreads".format(
                    shape, needed, kernel.workgroup_size[axis], "xyz"[axis],
                    device.name, limit
                )
            )
    # Buffers hold one element per thread dispatched, so an unguarded
    # write of a thread past the block's edge lands in padding (never read).
    threads = 1
    for g, n in zip(groups, kernel.workgroup_size):
        threads *= g * n
    push = None
    if kernel.push_size:
        info = struct.pack("<8I", *extents, count, *origin, block_index & 0xFFFFFFFF)
        push = info[: kernel.push_size]
    key = (
        kernel.digest,
        id(device),
        threads,
        tuple(d.itemsize for d in kernel.input_dtypes),
        kernel.output_dtype.itemsize,
        None if kernel.cbv is None else len(kernel.cbv),
        kernel.push_size,
    )
    entry = _take_layout(key, lambda: _Layout(kernel, device, threads))
    # when run raises, the entry is not given back: its state is unknown
    entry.run(kernel, device, arrays, groups, push, count, result)
    _give_back_layout(key, entry)
    return result


# >>the device rule -------------------------------------------------------------

_device_lock = threading.Lock()
_worker_devices: Dict[int, Tuple[Any, Optional[int]]] = {}  # id(worker) -> (Device, rank)
_slot_files: Dict[int, int] = {}  # id(worker) -> fd holding the rank's lock


def _slot_directory():
    directory = os.environ.get("COMPUSHADY_DASK_SLOT_DIR")
    if not directory:
        uid = os.getuid() if hasattr(os, "getuid") else 0
        directory = os.path.join(
            tempfile.gettempdir(), "compushady-dask-slots-{0}".format(uid)
        )
    os.makedirs(directory, exist_ok=True)
    return directory


def _claim_slot():
    """The lowest slot no live process of this host holds, and the open file
    whose lock holds it (the lock goes when the process exits)."""
    if fcntl is None:
        return 0, None
    directory = _slot_directory()
    slot = 0
    while True:
        path = os.path.join(directory, "{0}.lock".format(slot))
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            slot += 1
            continue
        return slot, fd


def _current_worker():
    """The dask.distributed Worker running this thread, or None."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.get_worker()  # in a task
    except ValueError:
        pass
    # outside a task (Client.run): the process's only worker, if one
    instances = list(getattr(distributed.Worker, "_instances", ()))
    return instances[0] if len(instances) == 1 else None


def _rank_devices():
    """The devices ranks are spread over: those of the best kind."""
    devices = compushady.get_discovered_devices()
    if not devices:
        raise compushady.BackendError("no device found by the Vulkan backend")
    best = max((d.is_hardware, d.is_discrete) for d in devices)
    return [d for d in devices if (d.is_hardware, d.is_discrete) == best]


def _choose(worker):
    if os.environ.get("COMPUSHADY_DEVICE", "").strip():
        return compushady.get_current_device(), None  # COMPUSHADY_DEVICE wins
    slot, fd = _claim_slot()
    if fd is not None:
        _slot_files[id(worker)] = fd
        try:
            weakref.finalize(worker, _release_slot, id(worker))
        except TypeError:  # not weak-referenceable: freed at exit
            pass
    devices = _rank_devices()
    return devices[slot % len(devices)], slot


def _release_slot(worker_id):
    with _device_lock:
        _worker_devices.pop(worker_id, None)
        fd = _slot_files.pop(worker_id, None)
    if fd is not None:
        os.close(fd)


def _worker_choice():
    worker = _current_worker()
    if worker is None:
        # not cached: follows set_current_device() of the process
        return compushady.get_current_device(), None
    with _device_lock:
        choice = _worker_devices.get(id(worker))
        if choice is None:
            choice = _worker_devices[id(worker)] = _choose(worker)
    return choice


def worker_device():
    """The compushady.Device the calling worker (or process) runs blocks on,
    by the device rule (see the module's documentation)."""
    return _worker_choice()[0]


def worker_rank():
    """The calling distributed worker's rank on its host (its slot), or
    None outside a distributed worker or when COMPUSHADY_DEVICE is set."""
    return _worker_choice()[1]


def worker_info():
    """What this worker (or process) uses, for ``Client.run(worker_info)``:
    its rank (None outside a worker or with COMPUSHADY_DEVICE), its
    device's name and index in compushady.get_discovered_devices(), the
    host name and process id, and cache_info()."""
    device, rank = _worker_choice()
    devices = compushady.get_discovered_devices()
    return {
        "rank": rank,
        "device": device.name,
        "device_index": next(i for i, d in enumerate(devices) if d is device),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "cache": cache_info(),
    }


def cache_info():
    """Counters of this process: shaders_compiled, computes_created (a
    Compute with its buffers, per shader, layout and device), blocks, and
    idle_computes (kept for reuse now)."""
    with _pool_lock:
        idle = _idle_count
    with _stats_lock:
        info = {name: _stats[name] for name in ("shaders_compiled", "computes_created", "blocks")}
    info["idle_computes"] = idle
    return info


_inherited: List[Any] = []  # a forked child's copies of the parent's objects, never freed


def _after_fork_in_child():
    global _pool_lock, _device_lock, _compile_lock, _stats_lock, _idle_count
    # Objects of the parent's device are not the child's to destroy: keep
    # them alive forever; the child makes its own.
    _inherited.append((dict(_idle), dict(_worker_devices)))
    for fd in _slot_files.values():
        os.close(fd)  # the parent still holds its slot
    _slot_files.clear()
    _idle.clear()
    _idle_count = 0
    _worker_devices.clear()
    _pool_lock = threading.Lock()
    _device_lock = threading.Lock()
    _compile_lock = threading.Lock()
    _stats_lock = threading.Lock()
    _stats.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# >>the public function ---------------------------------------------------------


def map_blocks(shader, *arrays, dtype, cbv=None):
    """A lazy dask array: ``shader`` run over the blocks of ``arrays``.

    shader: HLSL source (str) or SPIR-V (bytes). arrays: dask arrays of one
    shape and equal chunks, 1 to 3 dimensions; block i is ``t<i>``
    (StructuredBuffer of its dtype). dtype: the output's dtype; the output
    block (the first input's block shape) is ``u0``. cbv: the constants at
    ``b0`` (bytes or a numpy scalar), or None. See the module documentation
    for the push constants, the groups and the device rule.
    """
    _check_arrays(arrays)
    if dtype is None:  # numpy would read None as float64
        raise TypeError("dtype must be the output's numpy dtype, got None")
    output_dtype = _element_dtype(dtype, "dtype")
    input_dtypes = [
        _element_dtype(array.dtype, "input {0}'s dtype".format(index))
        for index, array in enumerate(arrays)
    ]
    constants = _cbv_bytes(cbv)
    compiled = _compile(shader)
    _check_bindings(compiled, len(arrays), constants is not None)
    kernel = _BlockKernel(compiled, input_dtypes, output_dtype, constants)
    first = arrays[0]
    return dask.array.map_blocks(
        kernel,
        *arrays,
        dtype=output_dtype,
        chunks=first.chunks,
        meta=numpy.empty((0,) * first.ndim, dtype=output_dtype),
        token="compushady-map_blocks",
    )

"""compushady: run GPU compute shaders from Python.

A drop-in replacement for the compushady 0.17 module, built on the native
extension ``compushady._native``. Importing this package starts nothing: the
backend (the Vulkan instance) is created by the first ``get_backend()`` call,
directly or through the first device or resource, with the settings of
``compushady.config`` at that time.

numpy (optional, imported only by the calls that need it):
``compute_with_arrays(shader, srv=[arrays], uav=[arrays or (shape,
dtype)])`` runs a shader over arrays and returns arrays;
``Buffer.from_numpy(array)`` and ``buffer.to_numpy(dtype, shape)`` copy
arrays into and out of any buffer; a HEAP_UPLOAD or HEAP_READBACK Buffer is
itself a buffer-protocol object over its mapped memory (zero-copy:
``memoryview(buffer)``, ``numpy.asarray(buffer)``).

``compushady.__version__`` is this build's version.
"""

import atexit
import importlib
import operator
import os
import sys
import threading

from . import config
from . import formats
from . import _native
from ._native import (
    BackendError,
    BufferException,
    ComputeException,
    DeviceLost,
    GPUTimeout,
    HeapException,
    OutOfDeviceMemory,
    SamplerException,
    ShaderCompileError,
    SwapchainOutOfDate,
    Texture1DException,
    Texture2DException,
    Texture3DException,
    UnknownBackend,
)
from .backends import KNOWN_BACKENDS

__version__ = "{0}.{1}.{2}".format(*_native.VERSION)
"""The version of this compushady (include/compushady.h's CS_VERSION_*)."""

HEAP_DEFAULT = 0
HEAP_UPLOAD = 1
HEAP_READBACK = 2

SHADER_BINARY_TYPE_DXIL = 0
SHADER_BINARY_TYPE_SPIRV = 1
SHADER_BINARY_TYPE_DXBC = 2
SHADER_BINARY_TYPE_MSL = 3
SHADER_BINARY_TYPE_GLSL = 4

SAMPLER_FILTER_POINT = 0
SAMPLER_FILTER_LINEAR = 1

# what Device.get_format_support(format) answers, as bits
FORMAT_SUPPORT_TEXTURE_SRV = _native.FORMAT_SUPPORT_TEXTURE_SRV
FORMAT_SUPPORT_TEXTURE_UAV = _native.FORMAT_SUPPORT_TEXTURE_UAV
FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR = _native.FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR
FORMAT_SUPPORT_BUFFER_SRV = _native.FORMAT_SUPPORT_BUFFER_SRV
FORMAT_SUPPORT_BUFFER_UAV = _native.FORMAT_SUPPORT_BUFFER_UAV

SAMPLER_ADDRESS_MODE_WRAP = 0
SAMPLER_ADDRESS_MODE_MIRROR = 1
SAMPLER_ADDRESS_MODE_CLAMP = 2

# >>backend and devices ------------------------------------------------------

# Guards the lazily created module state below; reentrant because
# get_current_device() -> get_best_device() -> get_discovered_devices() ->
# get_backend() nest.
_lock = threading.RLock()
_backend = None
_discovered_devices = None
_current_device = None


def _print_debug_messages():
    """atexit: print the validation messages nobody has taken yet."""
    device = _current_device
    if device is None and _discovered_devices:
        device = _discovered_devices[0]
    if device is None:
        return
    for message in device.get_debug_messages():
        print(message)


def get_backend():
    """The backend module in use (``compushady.backends.vulkan``).

    The first call starts it: it reads ``config.wanted_backend`` (default
    from the COMPUSHADY_BACKEND environment variable) and ``config.debug``.
    An unknown name raises UnknownBackend.
    """
    global _backend
    with _lock:
        if _backend is None:
            if config._environment_error:
                raise ValueError(config._environment_error)
            name = config.wanted_backend
            if name not in KNOWN_BACKENDS:
                raise UnknownBackend(
                    "unknown backend {0!r}{1}: this build of compushady knows "
                    "{2}".format(
                        name,
                        " (from the COMPUSHADY_BACKEND environment variable)"
                        if config._backend_from_environment
                        else "",
                        ", ".join(repr(n) for n in KNOWN_BACKENDS),
                    )
                )
            backend = importlib.import_module("compushady.backends." + name)
            if config.debug:
                backend.enable_debug()
                atexit.register(_print_debug_messages)
            _backend = backend
        return _backend


def _refuse_pickle(self):
    """__reduce__ of the objects that live on one process's device: pickling
    one (sending it to another process, as Dask and multiprocessing do)
    raises a TypeError that says what to send instead."""
    raise TypeError(
        "a compushady.{0} cannot be pickled or deep-copied (sent to another "
        "process): it refers to Vulkan objects of this process. Instead, {1}".format(
            type(self).__name__, self._send_instead
        )
    )


def _shallow_copy(self):
    """__copy__ of the same objects: a new wrapper sharing the native one."""
    clone = type(self).__new__(type(self))
    clone.__dict__.update(self.__dict__)
    return clone


def _forget_parent_devices():
    """In a fork()ed child: the parent's devices are unusable there (the
    library refuses every call on objects inherited through fork(), see
    docs/decisions.md, "fork()"); forget them so that the next use starts
    with the child's own instance. The lock is new: another thread of the
    parent may have held it at the fork."""
    global _lock, _discovered_devices, _current_device
    _lock = threading.RLock()
    _discovered_devices = None
    _current_device = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_devices)


class Device:
    """A GPU (or CPU implementation such as lavapipe) of the backend.

    ``handle`` is the native device; its other attributes (``supports_sparse``,
    ``max_push_constants_size``, ...) are reachable through this object too.
    """

    _send_instead = (
        "send its index in compushady.get_discovered_devices() and look it up "
        "there, or let each process pick its device (COMPUSHADY_DEVICE; "
        "compushady.dask.worker_device())"
    )
    __reduce__ = _refuse_pickle
    __copy__ = _shallow_copy

    def __init__(self, handle):
        self.handle = handle

    @property
    def name(self):
        """The device's name, as the driver reports it."""
        return self.handle.name

    @property
    def dedicated_video_memory(self):
        """Bytes of device-local memory (discrete GPUs)."""
        return self.handle.dedicated_video_memory

    @property
    def dedicated_system_memory(self):
        """Always 0 on Vulkan."""
        return self.handle.dedicated_system_memory

    @property
    def shared_system_memory(self):
        """Bytes of host memory the device can use."""
        return self.handle.shared_system_memory

    @property
    def vendor_id(self):
        """The PCI vendor id (0x10de NVIDIA, 0x1002 AMD, 0x8086 Intel)."""
        return self.handle.vendor_id

    @property
    def device_id(self):
        """The vendor's device id."""
        return self.handle.device_id

    @property
    def is_hardware(self):
        """False for CPU implementations such as lavapipe."""
        return self.handle.is_hardware

    @property
    def is_discrete(self):
        """True for a discrete GPU."""
        return self.handle.is_discrete

    def get_debug_messages(self):
        """The validation messages collected so far (the list is emptied)."""
        return self.handle.get_debug_messages()

    def get_format_support(self, format):
        """What the device can do with a compushady.formats constant, as
        FORMAT_SUPPORT_* bits: TEXTURE_SRV (Texture*), TEXTURE_UAV
        (RWTexture*), TEXTURE_FILTER_LINEAR (a LINEAR sampler), BUFFER_SRV
        (Buffer<T>), BUFFER_UAV (RWBuffer<T>). A texture is created when its
        format has TEXTURE_SRV or TEXTURE_UAV, a typed buffer when it has
        BUFFER_SRV or BUFFER_UAV (else a ValueError subclass); binding one
        for a use its format lacks raises ComputeException. ValueError for
        an unknown format."""
        return self.handle.get_format_support(format)

    def __getattr__(self, name):
        if name == "handle":
            raise AttributeError(name)
        return getattr(self.handle, name)

    def __repr__(self):
        return "<compushady.Device {0!r} vendor=0x{1:04x} device=0x{2:04x}>".format(
            self.name, self.vendor_id, self.device_id
        )


def get_discovered_devices():
    """The list of Device of the backend (discovered once, then cached)."""
    global _discovered_devices
    with _lock:
        if _discovered_devices is None:
            _discovered_devices = [
                Device(handle) for handle in get_backend().get_discovered_devices()
            ]
        return _discovered_devices


def _device_at(index, what):
    devices = get_discovered_devices()
    try:
        index = operator.index(index)
    except TypeError:
        raise TypeError(
            "{0} must be a device index (int), got {1}".format(
                what, type(index).__name__
            )
        ) from None
    if not 0 <= index < len(devices):
        raise IndexError(
            "{0} {1} is out of range: {2} device(s) discovered{3}".format(
                what,
                index,
                len(devices),
                " (valid: 0..{0})".format(len(devices) - 1) if devices else "",
            )
        )
    return devices[index]


def get_best_device():
    """The device to use by default.

    COMPUSHADY_DEVICE=N selects the N-th discovered device; otherwise the
    one with the highest (is_hardware, is_discrete, dedicated_video_memory).
    """
    env = os.environ.get("COMPUSHADY_DEVICE")
    if env is not None and env.strip() != "":
        try:
            index = int(env)
        except ValueError:
            raise ValueError(
                "COMPUSHADY_DEVICE must be a device index, got {0!r}".format(env)
            ) from None
        return _device_at(index, "COMPUSHADY_DEVICE")
    devices = get_discovered_devices()
    if not devices:
        raise BackendError(
            "no device found by the {0} backend: install a Vulkan driver "
            "(Debian/Ubuntu: apt-get install mesa-vulkan-drivers, which has "
            "lavapipe for the CPU; for NVIDIA, the NVIDIA driver) and check "
            "with 'vulkaninfo --summary'".format(get_backend().name)
        )
    return max(
        devices,
        key=lambda d: (d.is_hardware, d.is_discrete, d.dedicated_video_memory),
    )


def get_current_device():
    """The device used when a resource is created with device=None."""
    global _current_device
    with _lock:
        if _current_device is None:
            _current_device = get_best_device()
        return _current_device


def set_current_device(index):
    """Make the index-th discovered device the current one."""
    global _current_device
    with _lock:
        _current_device = _device_at(index, "device index")


def _native_device(device):
    if device is None:
        return get_current_device()
    if isinstance(device, Device):
        return device
    # a native device given directly
    for known in get_discovered_devices():
        if known.handle is device:
            return known
    raise TypeError(
        "device must be a compushady.Device (or None for the current "
        "device), got {0}".format(type(device).__name__)
    )


def _handle(obj):
    """The native object behind a wrapper (resource, heap, sampler)."""
    return getattr(obj, "handle", obj)


# >>resources ---------------------------------------------------------------


class Resource:
    """Common part of Buffer and Texture1D/2D/3D; ``handle`` is native.

    Every resource also has ``device`` (its Device) and ``heap`` (the Heap
    it was placed in, or None).
    """

    _exception = ValueError
    _send_instead = "send its data and create it where it is used"
    __reduce__ = _refuse_pickle
    __copy__ = _shallow_copy

    @property
    def size(self):
        """Bytes of the resource's linear, packed representation."""
        return self.handle.size

    @property
    def heap_size(self):
        """Bytes of device memory the resource really takes."""
        return self.handle.heap_size

    @property
    def heap_type(self):
        """HEAP_DEFAULT, HEAP_UPLOAD or HEAP_READBACK (textures: HEAP_DEFAULT)."""
        return self.handle.heap_type

    @property
    def stride(self):
        """Structured buffers: bytes per element; otherwise 0."""
        return self.handle.stride

    @property
    def format(self):
        """The texel format (a compushady.formats constant); 0 for raw and structured buffers."""
        return self.handle.format

    @property
    def width(self):
        """Textures: width in texels; buffers: the size in bytes."""
        return self.handle.width

    @property
    def height(self):
        """Textures 2D/3D: height in texels; otherwise 1."""
        return self.handle.height

    @property
    def depth(self):
        """Textures 3D: depth in texels; otherwise 1."""
        return self.handle.depth

    @property
    def slices(self):
        """Textures 1D/2D: array layers; otherwise 1."""
        return self.handle.slices

    @property
    def row_pitch(self):
        """Textures: bytes from one row to the next in the linear representation (the layout copy_to to and from buffers uses)."""
        return self.handle.row_pitch

    @property
    def tiles_x(self):
        """Sparse resources: tiles along x (0 when not sparse)."""
        return self.handle.tiles_x

    @property
    def tiles_y(self):
        """Sparse resources: tiles along y (0 when not sparse)."""
        return self.handle.tiles_y

    @property
    def tiles_z(self):
        """Sparse resources: tiles along z (0 when not sparse)."""
        return self.handle.tiles_z

    @property
    def tile_width(self):
        """Sparse resources: tile width in texels (bytes for buffers)."""
        return self.handle.tile_width

    @property
    def tile_height(self):
        """Sparse resources: tile height in texels."""
        return self.handle.tile_height

    @property
    def tile_depth(self):
        """Sparse resources: tile depth in texels."""
        return self.handle.tile_depth

    def copy_to(
        self,
        destination,
        size=0,
        src_offset=0,
        dst_offset=0,
        width=0,
        height=0,
        depth=0,
        src_x=0,
        src_y=0,
        src_z=0,
        dst_x=0,
        dst_y=0,
        dst_z=0,
        src_slice=0,
        dst_slice=0,
    ):
        """GPU copy to another resource; finished when the call returns.
        Inside ``with compushady.batch():`` it is recorded instead, and runs
        at the end of the block."""
        if not isinstance(destination, Resource):
            raise TypeError(
                "copy_to destination must be a Buffer or a Texture, got "
                "{0}".format(type(destination).__name__)
            )
        target = self.handle
        if _batch_depth:
            recording = _current_batch()
            if recording is not None:
                target = None
                copy = recording._record_copy
        if target is None:
            copy(self, destination, dict(
                size=size, src_offset=src_offset, dst_offset=dst_offset,
                width=width, height=height, depth=depth, src_x=src_x,
                src_y=src_y, src_z=src_z, dst_x=dst_x, dst_y=dst_y,
                dst_z=dst_z, src_slice=src_slice, dst_slice=dst_slice))
            return
        target.copy_to(
            destination.handle,
            size=size,
            src_offset=src_offset,
            dst_offset=dst_offset,
            width=width,
            height=height,
            depth=depth,
            src_x=src_x,
            src_y=src_y,
            src_z=src_z,
            dst_x=dst_x,
            dst_y=dst_y,
            dst_z=dst_z,
            src_slice=src_slice,
            dst_slice=dst_slice,
        )

    def bind_tile(self, x, y, z, heap, heap_offset=0, slice=0):
        """Map the tile at (x, y, z) (tile units; buffers: x only) of a sparse
        resource onto heap at heap_offset (a multiple of the tile size);
        heap=None unmaps it."""
        self.handle.bind_tile(x, y, z, _check_heap(heap), heap_offset, slice)

    def __repr__(self):
        return "<compushady.{0} size={1} heap_type={2}>".format(
            type(self).__name__, self.size, self.heap_type
        )


def _as_int(value, name, hint=""):
    """value as an int, or a TypeError naming the argument (also for
    objects such as numpy arrays whose __index__ raises its own error)."""
    try:
        return operator.index(value)
    except TypeError:
        pass
    raise TypeError(
        "{0} must be an int, got {1}{2}".format(name, type(value).__name__, hint)
    )


def _shape_tuple(shape):
    return tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)


def _import_numpy(what):
    try:
        import numpy
    except ImportError as error:
        raise ImportError(
            "{0} needs numpy, which is not installed: pip install numpy".format(what)
        ) from error
    return numpy


def _bytes_of(obj, what):
    """A 1-D unsigned-byte memoryview of obj's bytes in C order (a copy
    when obj is not C-contiguous or has a format memoryview cannot cast)."""
    if isinstance(obj, Resource):
        raise TypeError(
            "{0} needs host data (a numpy array or another buffer-protocol "
            "object), got a compushady {1}: copy resources with "
            "copy_to()".format(what, type(obj).__name__)
        )
    try:
        view = memoryview(obj)
    except TypeError:
        raise TypeError(
            "{0} needs a numpy array or another object with the buffer "
            "protocol (bytes, bytearray, memoryview, array.array), got "
            "{1}".format(what, type(obj).__name__)
        ) from None
    except (ValueError, BufferError):
        # numpy exports no buffer for some dtypes (datetime64): its bytes
        view = _numpy_bytes(obj)
        if view is None:
            raise
    if view.format == "O":
        raise TypeError(
            "{0} needs plain data, got an array of Python objects (dtype "
            "object): their bytes are pointers".format(what)
        )
    if view.c_contiguous:
        try:
            return view.cast("B")
        except TypeError:  # a format cast() does not know ('Zf', '>i', 'T{...}')
            pass
    return memoryview(view.tobytes())


def _numpy_bytes(obj):
    """The bytes of a numpy array as a memoryview, or None for other objects."""
    numpy = sys.modules.get("numpy")
    if numpy is None or not isinstance(obj, numpy.ndarray):
        return None
    return memoryview(numpy.ascontiguousarray(obj).reshape(-1).view(numpy.uint8))


def _check_heap(heap):
    if heap is not None and not isinstance(heap, Heap):
        raise TypeError(
            "heap must be a compushady.Heap or None, got {0}".format(
                type(heap).__name__
            )
        )
    return heap.handle if heap is not None else None


class Buffer(Resource, _native.MappedBuffer):
    """A linear block of memory: raw, structured (stride) or typed (format).

    ``Buffer(size, heap_type=HEAP_DEFAULT, stride=0, format=0, ...)``: size
    in bytes. ``Buffer.from_numpy(array)`` makes one holding an array.

    Zero-copy host access: a HEAP_UPLOAD (writable) or HEAP_READBACK
    (read-only) buffer is itself a buffer-protocol object over its mapped
    memory, so ``memoryview(buffer)`` and ``numpy.asarray(buffer)`` (uint8;
    ``.view(numpy.float32)`` to reinterpret) read and write it in place. A
    view keeps the memory mapped as long as it lives. A HEAP_DEFAULT buffer
    has no host memory: viewing it raises BufferError; ``to_numpy()`` reads
    a copy of any buffer.
    """

    _exception = BufferException
    _send_instead = (
        "send the data (bytes or a numpy array, e.g. what readback() returns) "
        "and create the Buffer where it is used; over Dask, "
        "compushady.dask.map_blocks moves blocks to each worker's device"
    )

    def __init__(
        self,
        size,
        heap_type=HEAP_DEFAULT,
        stride=0,
        format=0,
        heap=None,
        heap_offset=0,
        sparse=False,
        device=None,
    ):
        size = _as_int(
            size,
            "size",
            "; Buffer.from_numpy(array) makes a buffer holding an array",
        )
        self.device = _native_device(device)
        self.heap = heap
        self.handle = self.device.handle.create_buffer(
            _as_int(heap_type, "heap_type"),
            size,
            stride=_as_int(stride, "stride"),
            format=_as_int(format, "format"),
            heap=_check_heap(heap),
            heap_offset=_as_int(heap_offset, "heap_offset"),
            sparse=sparse,
        )

    @classmethod
    def from_numpy(cls, array, heap_type=HEAP_DEFAULT, stride=0, format=0, device=None):
        """A new buffer holding a copy of ``array``'s bytes.

        ``array``: a numpy array or any other buffer-protocol object (bytes,
        bytearray, memoryview, array.array), copied in C order when it is
        not contiguous. The buffer is ``array.nbytes`` bytes in
        ``heap_type``; a HEAP_DEFAULT buffer is filled through a HEAP_UPLOAD
        staging buffer. ``stride`` and ``format`` are Buffer's (a structured
        or typed buffer). numpy itself is not needed. The upload and the
        staging copy happen at once, also inside ``batch()``.
        """
        data = _bytes_of(array, "Buffer.from_numpy")
        if data.nbytes == 0:
            raise BufferException(
                "Buffer.from_numpy needs at least 1 byte, the array is empty"
            )
        buffer = cls(data.nbytes, heap_type, stride=stride, format=format, device=device)
        if buffer.heap_type == HEAP_DEFAULT:
            staging = Buffer(data.nbytes, HEAP_UPLOAD, device=buffer.device)
            staging.handle.upload(data)
            staging.handle.copy_to(buffer.handle)
        else:
            buffer.handle.upload(data)
        return buffer

    def to_numpy(self, dtype=None, shape=None):
        """A numpy array holding a copy of the buffer's contents.

        ``dtype``: the element type (default numpy.uint8). ``shape``: the
        array's shape (an int or a tuple, -1 allowed); None means as many
        elements as the buffer holds. A shape smaller than the buffer reads
        its first bytes. HEAP_DEFAULT buffers are read through a
        HEAP_READBACK staging buffer. The copy happens at once, also inside
        ``batch()`` (read results after the block). Needs numpy.
        """
        numpy = _import_numpy("Buffer.to_numpy()")
        dtype = numpy.dtype(numpy.uint8 if dtype is None else dtype)
        if dtype.hasobject or dtype.itemsize == 0:
            raise TypeError(
                "to_numpy needs a dtype of plain data, got {0}".format(dtype)
            )
        size = self.size
        if shape is None or -1 in _shape_tuple(shape):
            if size % dtype.itemsize:
                raise ValueError(
                    "the buffer's {0} bytes are not a whole number of {1} "
                    "({2} bytes each): pass a shape to read fewer".format(
                        size, dtype, dtype.itemsize
                    )
                )
            array = numpy.empty(size // dtype.itemsize, dtype)
            if shape is not None:
                array = array.reshape(shape)
        else:
            array = numpy.empty(shape, dtype)
            if array.nbytes > size:
                raise ValueError(
                    "shape {0} of {1} needs {2} bytes, the buffer has {3}".format(
                        array.shape, dtype, array.nbytes, size
                    )
                )
        if array.nbytes == 0:
            return array
        target = array.reshape(-1).view(numpy.uint8)
        if self.heap_type == HEAP_DEFAULT:
            staging = Buffer(array.nbytes, HEAP_READBACK, device=self.device)
            self.handle.copy_to(staging.handle, size=array.nbytes)
            staging.handle.readback_to_buffer(target)
        else:
            self.handle.readback_to_buffer(target)
        return array

    def __array__(self, dtype=None, copy=None):
        # numpy.asarray(buffer) uses the buffer protocol and reaches this
        # only when it failed (HEAP_DEFAULT): numpy would otherwise make a
        # 0-d object array, so memoryview's error is raised instead.
        numpy = _import_numpy("numpy.asarray(buffer)")
        array = numpy.frombuffer(memoryview(self), numpy.uint8)
        if dtype is not None:
            array = array.astype(dtype)
        return array.copy() if copy else array

    def upload(self, data, offset=0):
        """Copy bytes-like data into this UPLOAD buffer at offset."""
        self.handle.upload(data, offset)

    def upload2d(self, data, pitch, width, height, bytes_per_pixel):
        """Copy height packed rows of width*bytes_per_pixel into pitch-apart rows."""
        return self.handle.upload2d(data, pitch, width, height, bytes_per_pixel)

    def upload_chunked(self, data, stride, filler):
        """Copy data, writing filler after every stride bytes (RGB -> RGBA)."""
        return self.handle.upload_chunked(data, stride, filler)

    def readback(self, buffer_or_size=0, offset=0):
        """Read this READBACK buffer.

        With an int: returns that many bytes from offset (0 = to the end).
        With a writable bytes-like object: fills it and returns None.
        """
        try:
            size = operator.index(buffer_or_size)
        except TypeError:
            self.handle.readback_to_buffer(buffer_or_size, offset)
            return None
        return self.handle.readback(size, offset)

    def readback2d(self, pitch, width, height, bytes_per_pixel):
        """The inverse of upload2d: returns the rows packed as bytes."""
        return self.handle.readback2d(pitch, width, height, bytes_per_pixel)


class _Texture(Resource):
    """What the three texture kinds share: copying texels in and out of a
    box in one call, through a staging buffer."""

    def _box(self, x, y, z, width, height, depth):
        sizes = (self.width, self.height, self.depth)
        box = []
        for name, start, extent, full in zip("xyz", (x, y, z), (width, height, depth), sizes):
            start, extent = operator.index(start), operator.index(extent)
            if start < 0 or extent < 0 or start + extent > full or start >= full:
                raise self._exception(
                    "the box {0}={1}, {2}={3} does not fit in the texture's "
                    "{4} texels along {0}".format(
                        name, start, {"x": "width", "y": "height", "z": "depth"}[name],
                        extent, full))
            box.append(extent or full - start)
        return box

    def upload_region(self, data, x=0, y=0, z=0, width=0, height=0, depth=0, slice=0):
        """Copy texels into the box at (x, y, z) of ``slice`` at once, also
        inside ``batch()``: ``data`` holds the box tightly packed (rows of
        width * texel bytes, height rows to a depth plane); a size of 0
        reaches the end of the texture."""
        width, height, depth = self._box(x, y, z, width, height, depth)
        texel = formats.get_pixel_size(self.format)
        row = width * texel
        view = memoryview(data).cast("B")
        if view.nbytes != row * height * depth:
            raise self._exception(
                "upload_region needs {0} bytes for a {1}x{2}x{3} box of {4}-byte "
                "texels, got {5}".format(row * height * depth, width, height,
                                         depth, texel, view.nbytes))
        pitch = self.row_pitch
        staging = Buffer(pitch * height * depth, HEAP_UPLOAD, device=self.device)
        if depth == 1:
            staging.upload2d(view, pitch, width, height, texel)
        else:
            padded = bytearray(staging.size)
            for r in range(height * depth):
                padded[r * pitch:r * pitch + row] = view[r * row:(r + 1) * row]
            staging.upload(padded)
        staging.handle.copy_to(self.handle, dst_x=x, dst_y=y, dst_z=z, width=width,
                               height=height, depth=depth, dst_slice=slice)

    def readback_region(self, x=0, y=0, z=0, width=0, height=0, depth=0, slice=0):
        """The texels of the box at (x, y, z) of ``slice``, tightly packed
        (as upload_region takes them), read at once, also inside
        ``batch()``; a size of 0 reaches the end of the texture."""
        width, height, depth = self._box(x, y, z, width, height, depth)
        texel = formats.get_pixel_size(self.format)
        pitch = self.row_pitch
        staging = Buffer(pitch * height * depth, HEAP_READBACK, device=self.device)
        self.handle.copy_to(staging.handle, src_x=x, src_y=y, src_z=z, width=width,
                            height=height, depth=depth, src_slice=slice)
        if depth == 1:
            return staging.readback2d(pitch, width, height, texel)
        rows = staging.readback()
        row = width * texel
        return b"".join(rows[r * pitch:r * pitch + row] for r in range(height * depth))

    def upload_subresource(self, data, x, y, width, height):
        """upload_region(data, x, y, width=width, height=height): the name
        the compushady-lrtu fork gives it."""
        self.upload_region(data, x, y, 0, width, height)

    def download(self):
        """readback_region() of the whole texture (slice 0): the fork's name."""
        return self.readback_region()


class Texture1D(_Texture):
    """A 1D texture (``slices`` > 1: an array), always in HEAP_DEFAULT memory.

    ``Texture1D``/``RWTexture1D`` in HLSL (``...Array`` with slices)."""

    _exception = Texture1DException
    _send_instead = (
        "send the texels (bytes or a numpy array, with the format and size) "
        "and create the texture where it is used"
    )

    def __init__(
        self, width, format, heap=None, heap_offset=0, slices=1, sparse=False, device=None
    ):
        self.device = _native_device(device)
        self.heap = heap
        self.handle = self.device.handle.create_texture(
            1,
            width,
            1,
            1,
            format,
            heap=_check_heap(heap),
            heap_offset=heap_offset,
            slices=slices,
            sparse=sparse,
        )


class Texture2D(_Texture):
    """A 2D texture (``slices`` > 1: an array), always in HEAP_DEFAULT memory.

    ``Texture2D``/``RWTexture2D`` in HLSL (``...Array`` with slices)."""

    _exception = Texture2DException
    _send_instead = (
        "send the texels (bytes or a numpy array, with the format and size) "
        "and create the texture where it is used"
    )

    def __init__(
        self,
        width,
        height,
        format,
        heap=None,
        heap_offset=0,
        slices=1,
        sparse=False,
        device=None,
    ):
        self.device = _native_device(device)
        self.heap = heap
        self.handle = self.device.handle.create_texture(
            2,
            width,
            height,
            1,
            format,
            heap=_check_heap(heap),
            heap_offset=heap_offset,
            slices=slices,
            sparse=sparse,
        )


class Texture3D(_Texture):
    """A 3D texture, always in HEAP_DEFAULT memory.

    ``Texture3D``/``RWTexture3D`` in HLSL."""

    _exception = Texture3DException
    _send_instead = (
        "send the texels (bytes or a numpy array, with the format and size) "
        "and create the texture where it is used"
    )

    def __init__(
        self, width, height, depth, format, heap=None, heap_offset=0, sparse=False, device=None
    ):
        self.device = _native_device(device)
        self.heap = heap
        self.handle = self.device.handle.create_texture(
            3,
            width,
            height,
            depth,
            format,
            heap=_check_heap(heap),
            heap_offset=heap_offset,
            slices=1,
            sparse=sparse,
        )


class Heap:
    """A block of device memory that resources can be placed in (aliasing)."""

    _send_instead = "send its heap type and size and create it where it is used"
    __reduce__ = _refuse_pickle
    __copy__ = _shallow_copy

    def __init__(self, heap_type, size, device=None):
        self.device = _native_device(device)
        self.handle = self.device.handle.create_heap(heap_type, size)

    @property
    def size(self):
        """Bytes of the heap."""
        return self.handle.size

    @property
    def heap_type(self):
        """HEAP_DEFAULT, HEAP_UPLOAD or HEAP_READBACK."""
        return self.handle.heap_type

    def __repr__(self):
        return "<compushady.Heap size={0} heap_type={1}>".format(
            self.size, self.heap_type
        )


class Sampler:
    """A sampler state, bound with ``Compute(samplers=[...])`` to register sN.

    Address modes are SAMPLER_ADDRESS_MODE_*, filters SAMPLER_FILTER_*."""

    _send_instead = (
        "send its address modes and filters and create it where it is used"
    )
    __reduce__ = _refuse_pickle
    __copy__ = _shallow_copy

    def __init__(
        self,
        address_mode_u=SAMPLER_ADDRESS_MODE_WRAP,
        address_mode_v=SAMPLER_ADDRESS_MODE_WRAP,
        address_mode_w=SAMPLER_ADDRESS_MODE_WRAP,
        filter_min=SAMPLER_FILTER_POINT,
        filter_mag=SAMPLER_FILTER_POINT,
        device=None,
    ):
        self.device = _native_device(device)
        self.handle = self.device.handle.create_sampler(
            address_mode_u, address_mode_v, address_mode_w, filter_min, filter_mag
        )


def _window_handle_part(value, what):
    # ctypes pointers (c_void_p) carry the address in .value
    value = getattr(value, "value", value)
    if value is None:
        raise ValueError("window_handle's {0} is NULL (None)".format(what))
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(
            "window_handle's {0} must be an int (a pointer or window id), "
            "got {1}".format(what, type(value).__name__)
        ) from None
    if value <= 0:
        raise ValueError(
            "window_handle's {0} must be a positive pointer or window id, "
            "got {1}".format(what, value)
        )
    return value


def _window_handle(window_handle):
    """(platform, display, window) from a Swapchain window_handle."""
    if sys.platform == "win32" and not isinstance(window_handle, (tuple, list)):
        # the original's Windows form: the HWND alone
        return ("win32", 0, _window_handle_part(window_handle, "HWND"))
    if not isinstance(window_handle, (tuple, list)):
        raise TypeError(
            "window_handle must be a tuple (display, window): "
            "(x11_display_ptr, x11_window_id) on X11, (wl_display_ptr, "
            "wl_surface_ptr) on Wayland; got {0}".format(type(window_handle).__name__)
        )
    if len(window_handle) == 3 and window_handle[0] in ("x11", "wayland", "win32"):
        platform, display, window = window_handle
    elif len(window_handle) == 2:
        display, window = window_handle
        wayland = (
            os.environ.get("XDG_SESSION_TYPE") == "wayland"
            and os.environ.get("WAYLAND_DISPLAY")
        )
        platform = "wayland" if wayland else "x11"
    else:
        raise ValueError(
            "window_handle must be (display, window) or (platform, display, "
            "window) with platform \"x11\", \"wayland\" or \"win32\"; got "
            "{0!r}".format(
                window_handle
            )
        )
    names = ("wl_display pointer", "wl_surface pointer")
    if platform == "x11":
        names = ("X11 Display pointer", "X11 window id")
    if platform == "win32":
        # the HINSTANCE may be 0 (None): the program's own
        display = getattr(display, "value", display)
        return (
            platform,
            0 if display in (None, 0) else _window_handle_part(display, "HINSTANCE"),
            _window_handle_part(window, "HWND"),
        )
    return (
        platform,
        _window_handle_part(display, names[0]),
        _window_handle_part(window, names[1]),
    )


class Swapchain:
    """Presents textures to a window with vsync (FIFO).

    ``window_handle`` is ``(x11_display_ptr, x11_window_id)`` on X11 and
    ``(wl_display_ptr, wl_surface_ptr)`` when the session is Wayland
    (XDG_SESSION_TYPE=wayland); ``("x11" or "wayland", display, window)``
    names the platform explicitly. On Windows it is the window's HWND (or
    ``("win32", hinstance_or_0, hwnd)``). ``format`` is the swapchain's format
    (B8G8R8A8_UNORM works everywhere); width and height (0 = the window's)
    matter only where the window system lets the application choose the
    size (Wayland).

    ``present_mode``: ``"fifo"`` (default, everywhere: one image per
    vertical blank), ``"mailbox"`` (no wait, never torn) or ``"immediate"``
    (no wait, may tear); ``present_modes`` lists what the window offers.
    When the window changes, present() recreates the images itself
    (``recreate_count`` counts it); with ``auto_recreate=False`` it raises
    SwapchainOutOfDate instead, and the program calls recreate().
    """

    def __init__(
        self,
        window_handle,
        format,
        num_buffers=3,
        device=None,
        width=0,
        height=0,
        present_mode="fifo",
        auto_recreate=True,
    ):
        platform, display, window = _window_handle(window_handle)
        self.device = _native_device(device)
        self.handle = self.device.handle.create_swapchain(
            platform,
            display,
            window,
            format,
            num_buffers=num_buffers,
            width=width,
            height=height,
            present_mode=present_mode,
            auto_recreate=auto_recreate,
        )

    @property
    def present_mode(self):
        """``"fifo"``, ``"mailbox"`` or ``"immediate"``."""
        return self.handle.present_mode

    @property
    def present_modes(self):
        """The present modes the window offers (``"fifo"`` always)."""
        return self.handle.present_modes

    @property
    def recreate_count(self):
        """How many times the images were recreated (window resized, out of
        date or suboptimal, recreate()): compare it to notice a change."""
        return self.handle.recreate_count

    def recreate(self, width=0, height=0):
        """Rebuild the images for the window's current size (after
        SwapchainOutOfDate); width/height: the new size where the
        application chooses it (Wayland), 0 keeps the current one."""
        self.handle.recreate(width, height)

    @property
    def width(self):
        """Width of the swapchain's images (the window's on X11)."""
        return self.handle.width

    @property
    def height(self):
        """Height of the swapchain's images (the window's on X11)."""
        return self.handle.height

    @property
    def format(self):
        """The images' format (a compushady.formats constant)."""
        return self.handle.format

    def present(self, resource, x=0, y=0):
        """Show a Texture2D with its top-left corner at (x, y) of the window
        (the rest of the window is black), converting its format where
        needed. FIFO blocks while every image waits for a vertical blank;
        mailbox and immediate do not wait for the display."""
        if not isinstance(resource, Texture2D):
            raise TypeError(
                "present needs a compushady.Texture2D, got {0}".format(
                    type(resource).__name__
                )
            )
        self.handle.present(resource.handle, x, y)

    def __repr__(self):
        return "<compushady.Swapchain {0}x{1} format={2}>".format(
            self.width, self.height, self.format
        )


# >>compute -----------------------------------------------------------------


def _handles(objects, what, expected_type):
    handles = []
    for index, obj in enumerate(objects):
        if not isinstance(obj, expected_type):
            raise TypeError(
                "{0}[{1}] must be a {2}, got {3}".format(
                    what,
                    index,
                    "compushady.Sampler"
                    if expected_type is Sampler
                    else "compushady Buffer or Texture",
                    type(obj).__name__,
                )
            )
        handles.append(obj.handle)
    return handles


_SPIRV_MAGIC = (b"\x03\x02\x23\x07", b"\x07\x23\x02\x03")


def _shader_format(shader, device):
    """The native SHADER_FORMAT_* of a Compute's shader bytes: SPIR-V, or,
    on a device that takes no SPIR-V (get_shader_binary_type() says GLSL),
    GLSL source for bytes that do not start with SPIR-V's magic number."""
    if device.shader_formats & _native.SHADER_FORMAT_SPIRV:
        return _native.SHADER_FORMAT_SPIRV
    try:
        head = bytes(memoryview(shader).cast("B")[:4])
    except (TypeError, ValueError):
        return _native.SHADER_FORMAT_SPIRV  # the native call says what is wrong
    if head in _SPIRV_MAGIC or not device.shader_formats & _native.SHADER_FORMAT_GLSL:
        return _native.SHADER_FORMAT_SPIRV
    return _native.SHADER_FORMAT_GLSL


class Compute:
    """A compute pipeline with its bound resources.

    The i-th element of cbv/srv/uav/samplers binds to register bi/ti/ui/si.
    The resources stay alive as long as this object. ``push_size``: bytes of
    push constants (a multiple of 4). ``bindless=True``: descriptor arrays
    of ``max_bindless`` entries, filled with bind_cbv/bind_srv/bind_uav.
    ``timestamps=True``: every dispatch() is timed on the GPU and
    ``last_gpu_time`` holds its seconds (None before the first).
    """

    _send_instead = (
        "send the shader (HLSL source or SPIR-V bytes) and create the Compute, "
        "with its resources, where it runs; over Dask, "
        "compushady.dask.map_blocks does this and caches Computes per worker"
    )
    __reduce__ = _refuse_pickle
    __copy__ = _shallow_copy

    def __init__(
        self,
        shader,
        cbv=(),
        srv=(),
        uav=(),
        samplers=(),
        push_size=0,
        bindless=False,
        max_bindless=64,
        device=None,
        timestamps=False,
    ):
        self.device = _native_device(device)
        # timestamps=True: every dispatch() is timed on the GPU and
        # last_gpu_time holds its seconds
        self.timestamps = bool(timestamps)
        self.last_gpu_time = None
        self.cbv = list(cbv)
        self.srv = list(srv)
        self.uav = list(uav)
        self.samplers = list(samplers)
        self._bound = {}
        self.handle = self.device.handle.create_compute(
            shader,
            cbv=_handles(self.cbv, "cbv", Resource),
            srv=_handles(self.srv, "srv", Resource),
            uav=_handles(self.uav, "uav", Resource),
            samplers=_handles(self.samplers, "samplers", Sampler),
            push_size=push_size,
            bindless=bindless,
            max_bindless=max_bindless,
            format=_shader_format(shader, self.device.handle),
        )

    def dispatch(self, x, y, z, push=None):
        """Run x*y*z thread groups; returns when the GPU has finished.
        Inside ``with compushady.batch():`` it is recorded instead, and runs
        at the end of the block. With timestamps=True, last_gpu_time is set
        to the GPU seconds of the dispatch."""
        if _batch_depth:
            recording = _current_batch()
            if recording is not None:
                recording.dispatch(self, x, y, z, push)
                return
        if self.timestamps:
            self.last_gpu_time = self.handle.dispatch_timed(x, y, z, push)
        else:
            self.handle.dispatch(x, y, z, push)

    def dispatch_timed(self, x, y, z, push=None):
        """Like dispatch (never batched); returns the GPU seconds it took,
        measured with timestamps."""
        self.last_gpu_time = self.handle.dispatch_timed(x, y, z, push)
        return self.last_gpu_time

    def dispatch_indirect(self, indirect_buffer, offset=0, push=None):
        """Like dispatch, reading the 3 uint32 group counts from a buffer."""
        if not isinstance(indirect_buffer, Buffer):
            raise TypeError(
                "indirect_buffer must be a compushady.Buffer, got {0}".format(
                    type(indirect_buffer).__name__
                )
            )
        if _batch_depth:
            recording = _current_batch()
            if recording is not None:
                recording.dispatch_indirect(self, indirect_buffer, offset, push)
                return
        self.handle.dispatch_indirect(indirect_buffer.handle, offset, push)

    def _bind(self, kind, index, resource):
        if not isinstance(resource, Resource):
            raise TypeError(
                "bind_{0} {0} must be a compushady Buffer or Texture, "
                "got {1}".format(kind, type(resource).__name__)
            )
        getattr(self.handle, "bind_" + kind)(index, resource.handle)
        self._bound[(kind, index)] = resource

    # the argument names are the original's: bind_cbv(index, cbv=...)
    def bind_cbv(self, index, cbv):
        """Bindless computes: put resource cbv at index of the cbv (b) array."""
        self._bind("cbv", index, cbv)

    def bind_srv(self, index, srv):
        """Bindless computes: put resource srv at index of the srv (t) array."""
        self._bind("srv", index, srv)

    def bind_uav(self, index, uav):
        """Bindless computes: put resource uav at index of the uav (u) array."""
        self._bind("uav", index, uav)


# >>command lists -------------------------------------------------------------


class Fence:
    """The work of one CommandList.submit(); ``handle`` is native."""

    def __init__(self, handle):
        self.handle = handle

    def wait(self, timeout=None):
        """Wait for the work, at most timeout seconds (None: as long as it
        takes). True when it is done, False when the time ran out."""
        return self.handle.wait(timeout)

    @property
    def done(self):
        """True once the work has finished (never blocks)."""
        return self.handle.done

    @property
    def gpu_time(self):
        """GPU seconds of the whole submission (waits for it), or None for
        a list made without timestamps."""
        return self.handle.gpu_time

    @property
    def gpu_times(self):
        """GPU seconds of each command, or None without timestamps."""
        return self.handle.gpu_times


class CommandList:
    """Dispatches and copies recorded now, run on the GPU together by
    submit(), in order, each seeing the writes of the ones before it.

    The list keeps every compute and resource it records alive until it is
    reset or garbage-collected (both wait for its work). timestamps=True
    records GPU timestamps: Fence.gpu_time / gpu_times.
    """

    def __init__(self, device=None, timestamps=False):
        self.device = _native_device(device)
        self.timestamps = bool(timestamps)
        self.handle = _native.create_command_list(
            self.device.handle, timestamps=self.timestamps
        )
        if type(self).dispatch is CommandList.dispatch:
            # the native method takes a Compute itself and checks everything
            # this one does: one call per dispatch instead of two
            self.dispatch = self.handle.dispatch

    def __len__(self):
        """The number of commands recorded since the last reset."""
        return self.handle.count

    def dispatch(self, compute, x, y, z, push=None, repeat=1):
        """Records compute.dispatch(x, y, z, push); checked now, run by submit().
        repeat=N records it N times, each run after the one before (one call
        for many dispatches: cheaper than N calls from Python)."""
        if not isinstance(compute, Compute):
            raise TypeError(
                "compute must be a compushady.Compute, got {0}".format(
                    type(compute).__name__
                )
            )
        self.handle.dispatch(compute.handle, x, y, z, push, repeat)

    def dispatch_indirect(self, compute, indirect_buffer, offset=0, push=None):
        """Records compute.dispatch_indirect(...); the group counts are read
        when the GPU runs it (an earlier command may write them)."""
        if not isinstance(compute, Compute):
            raise TypeError(
                "compute must be a compushady.Compute, got {0}".format(
                    type(compute).__name__
                )
            )
        if not isinstance(indirect_buffer, Buffer):
            raise TypeError(
                "indirect_buffer must be a compushady.Buffer, got {0}".format(
                    type(indirect_buffer).__name__
                )
            )
        self.handle.dispatch_indirect(
            compute.handle, indirect_buffer.handle, offset, push
        )

    def copy(self, source, destination, **kwargs):
        """Records source.copy_to(destination, **kwargs)."""
        self._record_copy(source, destination, kwargs)

    def _record_copy(self, source, destination, kwargs):
        for what, obj in (("source", source), ("destination", destination)):
            if not isinstance(obj, Resource):
                raise TypeError(
                    "copy {0} must be a Buffer or a Texture, got {1}".format(
                        what, type(obj).__name__
                    )
                )
        self.handle.copy(source.handle, destination.handle, **kwargs)

    def submit(self, wait=True):
        """Run the recorded commands; returns a Fence (already done when
        wait is True). Submitting again runs the same commands again."""
        return Fence(self.handle.submit(wait=wait))

    def reset(self):
        """Wait for the list's work, forget its commands: record again."""
        self.handle.reset()


_batches = threading.local()
_batch_depth = 0  # batches open on any thread: 0 keeps dispatch() fast


def _current_batch():
    stack = getattr(_batches, "stack", None)
    return stack[-1] if stack else None


class batch:
    """``with compushady.batch() as commands:`` records every
    Compute.dispatch / dispatch_indirect and Resource.copy_to made on this
    thread inside the block into one CommandList (``commands``), submitted
    and waited for at the end of the block (not when the block raises).
    Uploads and readbacks inside the block still happen on the host at
    once: read results back after the block. ``list`` is the CommandList,
    ``fence`` the submission's Fence afterwards (gpu_time with
    timestamps=True)."""

    def __init__(self, device=None, timestamps=False):
        self._device = device
        self._timestamps = timestamps
        self._thread = None  # the entering thread's ident while open
        self.list = None
        self.fence = None

    def __enter__(self):
        global _batch_depth
        if self._thread is not None:
            raise RuntimeError(
                "this batch() is already open (entered on thread {0}): "
                "use a new batch() for a nested block".format(self._thread)
            )
        commands = CommandList(self._device, timestamps=self._timestamps)
        stack = getattr(_batches, "stack", None)
        if stack is None:
            stack = _batches.stack = []
        self.list = commands
        self.fence = None
        self._thread = threading.get_ident()
        stack.append(commands)
        with _lock:
            _batch_depth += 1
        return commands

    def __exit__(self, exc_type, exc, tb):
        global _batch_depth
        # A batch records the calls of the thread that entered it: leaving
        # it from elsewhere (or out of order) would drop another batch's
        # list or leave the entering thread recording into a list nobody
        # submits. Refuse and change nothing: the entering thread's batch
        # stays open and is submitted when that thread leaves it.
        if self._thread is None:
            raise RuntimeError("this batch() is not open: __exit__ without __enter__")
        if self._thread != threading.get_ident():
            raise RuntimeError(
                "a batch() entered on thread {0} was exited on thread {1}: "
                "exit it on the thread that entered it (its calls are "
                "recorded per thread)".format(self._thread, threading.get_ident())
            )
        stack = _batches.stack
        if not stack or stack[-1] is not self.list:
            raise RuntimeError(
                "batch() blocks must be exited in the reverse order they "
                "were entered: a batch entered later on this thread is "
                "still open"
            )
        stack.pop()
        self._thread = None
        with _lock:
            _batch_depth -= 1
        if exc_type is None:
            self.fence = self.list.submit(wait=True)
        return False


# >>numpy helpers (numpy is imported by them, not by this package) ----------

from .arrays import compute_with_arrays  # noqa: E402

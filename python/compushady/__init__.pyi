# Types of the public API (python/compushady/__init__.py), for mypy and
# editors. tests/python/test_typing.py checks them against the module (mypy
# stubtest) and runs mypy --strict over examples/*.py.
import types
from typing import Any, Final, Sequence, Union, overload

from _typeshed import ReadableBuffer, WriteableBuffer
from typing_extensions import Self
import numpy
from numpy.typing import DTypeLike, NDArray

from . import _native, config as config
from ._native import (
    BackendError as BackendError,
    BufferException as BufferException,
    ComputeException as ComputeException,
    DeviceLost as DeviceLost,
    GPUTimeout as GPUTimeout,
    HeapException as HeapException,
    OutOfDeviceMemory as OutOfDeviceMemory,
    SamplerException as SamplerException,
    ShaderCompileError as ShaderCompileError,
    Texture1DException as Texture1DException,
    Texture2DException as Texture2DException,
    Texture3DException as Texture3DException,
    UnknownBackend as UnknownBackend,
)
from .arrays import compute_with_arrays as compute_with_arrays
from .backends import KNOWN_BACKENDS as KNOWN_BACKENDS

__version__: str

HEAP_DEFAULT: Final = 0
HEAP_UPLOAD: Final = 1
HEAP_READBACK: Final = 2

SHADER_BINARY_TYPE_DXIL: Final = 0
SHADER_BINARY_TYPE_SPIRV: Final = 1
SHADER_BINARY_TYPE_DXBC: Final = 2
SHADER_BINARY_TYPE_MSL: Final = 3
SHADER_BINARY_TYPE_GLSL: Final = 4

SAMPLER_FILTER_POINT: Final = 0
SAMPLER_FILTER_LINEAR: Final = 1

FORMAT_SUPPORT_TEXTURE_SRV: Final[int]
FORMAT_SUPPORT_TEXTURE_UAV: Final[int]
FORMAT_SUPPORT_TEXTURE_FILTER_LINEAR: Final[int]
FORMAT_SUPPORT_BUFFER_SRV: Final[int]
FORMAT_SUPPORT_BUFFER_UAV: Final[int]

SAMPLER_ADDRESS_MODE_WRAP: Final = 0
SAMPLER_ADDRESS_MODE_MIRROR: Final = 1
SAMPLER_ADDRESS_MODE_CLAMP: Final = 2

# an int-like argument (int, numpy integer, anything with __index__)
_Int = int
# host data: any buffer-protocol object; numpy arrays are named because
# numpy's stubs give them __buffer__ only from Python 3.12 on
_Data = Union[ReadableBuffer, NDArray[Any], numpy.generic]

def get_backend() -> types.ModuleType: ...

# helpers shared with compushady.arrays (not public)
def _import_numpy(what: str) -> Any: ...
def _bytes_of(obj: object, what: str) -> memoryview: ...
def _shape_tuple(shape: Any) -> tuple[Any, ...]: ...

class Device:
    def __copy__(self) -> Self: ...  # shallow; pickling raises TypeError
    handle: _native.Device
    def __init__(self, handle: _native.Device) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def dedicated_video_memory(self) -> int: ...
    @property
    def dedicated_system_memory(self) -> int: ...
    @property
    def shared_system_memory(self) -> int: ...
    @property
    def vendor_id(self) -> int: ...
    @property
    def device_id(self) -> int: ...
    @property
    def is_hardware(self) -> bool: ...
    @property
    def is_discrete(self) -> bool: ...
    # forwarded to the native device
    max_buffer_size: int
    max_push_constants_size: int
    max_compute_workgroup_count: tuple[int, int, int]
    max_compute_workgroup_size: tuple[int, int, int]
    supports_bindless: bool
    supports_float16: bool
    supports_sparse: bool
    supports_heaps: bool
    supports_storage_image_without_format: bool
    supports_storage_image_write_without_format: bool
    def get_debug_messages(self) -> list[str]: ...
    def get_format_support(self, format: _Int) -> int: ...
    def __getattr__(self, name: str) -> Any: ...

def get_discovered_devices() -> list[Device]: ...
def get_best_device() -> Device: ...
def get_current_device() -> Device: ...
def set_current_device(index: _Int) -> None: ...

class Resource:
    def __copy__(self) -> Self: ...  # shallow; pickling raises TypeError
    handle: _native.Resource
    device: Device
    heap: Heap | None
    @property
    def size(self) -> int: ...
    @property
    def heap_size(self) -> int: ...
    @property
    def heap_type(self) -> int: ...
    @property
    def stride(self) -> int: ...
    @property
    def format(self) -> int: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def depth(self) -> int: ...
    @property
    def slices(self) -> int: ...
    @property
    def row_pitch(self) -> int: ...
    @property
    def tiles_x(self) -> int: ...
    @property
    def tiles_y(self) -> int: ...
    @property
    def tiles_z(self) -> int: ...
    @property
    def tile_width(self) -> int: ...
    @property
    def tile_height(self) -> int: ...
    @property
    def tile_depth(self) -> int: ...
    def copy_to(
        self,
        destination: Resource,
        size: _Int = 0,
        src_offset: _Int = 0,
        dst_offset: _Int = 0,
        width: _Int = 0,
        height: _Int = 0,
        depth: _Int = 0,
        src_x: _Int = 0,
        src_y: _Int = 0,
        src_z: _Int = 0,
        dst_x: _Int = 0,
        dst_y: _Int = 0,
        dst_z: _Int = 0,
        src_slice: _Int = 0,
        dst_slice: _Int = 0,
    ) -> None: ...
    def bind_tile(
        self,
        x: _Int,
        y: _Int,
        z: _Int,
        heap: Heap | None,
        heap_offset: _Int = 0,
        slice: _Int = 0,
    ) -> None: ...

class Buffer(Resource, _native.MappedBuffer):
    def __init__(
        self,
        size: _Int,
        heap_type: _Int = 0,
        stride: _Int = 0,
        format: _Int = 0,
        heap: Heap | None = None,
        heap_offset: _Int = 0,
        sparse: bool = False,
        device: Device | None = None,
    ) -> None: ...
    @classmethod
    def from_numpy(
        cls,
        array: _Data,
        heap_type: _Int = 0,
        stride: _Int = 0,
        format: _Int = 0,
        device: Device | None = None,
    ) -> Buffer: ...
    def to_numpy(
        self, dtype: DTypeLike | None = None, shape: _Int | Sequence[_Int] | None = None
    ) -> NDArray[Any]: ...
    def __array__(self, dtype: DTypeLike | None = None, copy: bool | None = None) -> NDArray[Any]: ...
    def upload(self, data: _Data, offset: _Int = 0) -> None: ...
    def upload2d(
        self, data: _Data, pitch: _Int, width: _Int, height: _Int, bytes_per_pixel: _Int
    ) -> None: ...
    def upload_chunked(self, data: _Data, stride: _Int, filler: _Data) -> None: ...
    @overload
    def readback(self, buffer_or_size: _Int = 0, offset: _Int = 0) -> bytes: ...
    @overload
    def readback(
        self, buffer_or_size: WriteableBuffer | NDArray[Any], offset: _Int = 0
    ) -> None: ...
    def readback2d(self, pitch: _Int, width: _Int, height: _Int, bytes_per_pixel: _Int) -> bytes: ...

class _Texture(Resource):
    def upload_region(
        self,
        data: _Data,
        x: _Int = 0,
        y: _Int = 0,
        z: _Int = 0,
        width: _Int = 0,
        height: _Int = 0,
        depth: _Int = 0,
        slice: _Int = 0,
    ) -> None: ...
    def readback_region(
        self,
        x: _Int = 0,
        y: _Int = 0,
        z: _Int = 0,
        width: _Int = 0,
        height: _Int = 0,
        depth: _Int = 0,
        slice: _Int = 0,
    ) -> bytes: ...
    def upload_subresource(
        self, data: _Data, x: _Int, y: _Int, width: _Int, height: _Int
    ) -> None: ...
    def download(self) -> bytes: ...

class Texture1D(_Texture):
    def __init__(
        self,
        width: _Int,
        format: _Int,
        heap: Heap | None = None,
        heap_offset: _Int = 0,
        slices: _Int = 1,
        sparse: bool = False,
        device: Device | None = None,
    ) -> None: ...

class Texture2D(_Texture):
    def __init__(
        self,
        width: _Int,
        height: _Int,
        format: _Int,
        heap: Heap | None = None,
        heap_offset: _Int = 0,
        slices: _Int = 1,
        sparse: bool = False,
        device: Device | None = None,
    ) -> None: ...

class Texture3D(_Texture):
    def __init__(
        self,
        width: _Int,
        height: _Int,
        depth: _Int,
        format: _Int,
        heap: Heap | None = None,
        heap_offset: _Int = 0,
        sparse: bool = False,
        device: Device | None = None,
    ) -> None: ...

class Heap:
    def __copy__(self) -> Self: ...  # shallow; pickling raises TypeError
    handle: _native.Heap
    device: Device
    def __init__(self, heap_type: _Int, size: _Int, device: Device | None = None) -> None: ...
    @property
    def size(self) -> int: ...
    @property
    def heap_type(self) -> int: ...

class Sampler:
    def __copy__(self) -> Self: ...  # shallow; pickling raises TypeError
    handle: _native.Sampler
    device: Device
    def __init__(
        self,
        address_mode_u: _Int = 0,
        address_mode_v: _Int = 0,
        address_mode_w: _Int = 0,
        filter_min: _Int = 0,
        filter_mag: _Int = 0,
        device: Device | None = None,
    ) -> None: ...

class Swapchain:
    handle: _native.Swapchain
    device: Device
    def __init__(
        self,
        window_handle: tuple[Any, Any] | tuple[str, Any, Any],
        format: _Int,
        num_buffers: _Int = 3,
        device: Device | None = None,
        width: _Int = 0,
        height: _Int = 0,
        present_mode: str = "fifo",
        auto_recreate: bool = True,
    ) -> None: ...
    @property
    def present_mode(self) -> str: ...
    @property
    def present_modes(self) -> list[str]: ...
    @property
    def recreate_count(self) -> int: ...
    def recreate(self, width: _Int = 0, height: _Int = 0) -> None: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def format(self) -> int: ...
    def present(self, resource: Texture2D, x: _Int = 0, y: _Int = 0) -> None: ...

class Compute:
    def __copy__(self) -> Self: ...  # shallow; pickling raises TypeError
    handle: _native.Compute
    device: Device
    timestamps: bool
    last_gpu_time: float | None
    cbv: list[Resource]
    srv: list[Resource]
    uav: list[Resource]
    samplers: list[Sampler]
    def __init__(
        self,
        shader: ReadableBuffer,
        cbv: Sequence[Resource] = (),
        srv: Sequence[Resource] = (),
        uav: Sequence[Resource] = (),
        samplers: Sequence[Sampler] = (),
        push_size: _Int = 0,
        bindless: bool = False,
        max_bindless: _Int = 64,
        device: Device | None = None,
        timestamps: bool = False,
    ) -> None: ...
    def dispatch(
        self, x: _Int, y: _Int, z: _Int, push: _Data | None = None
    ) -> None: ...
    def dispatch_timed(
        self, x: _Int, y: _Int, z: _Int, push: _Data | None = None
    ) -> float: ...
    def dispatch_indirect(
        self, indirect_buffer: Buffer, offset: _Int = 0, push: _Data | None = None
    ) -> None: ...
    def bind_cbv(self, index: _Int, cbv: Resource) -> None: ...
    def bind_srv(self, index: _Int, srv: Resource) -> None: ...
    def bind_uav(self, index: _Int, uav: Resource) -> None: ...

class Fence:
    handle: _native.Fence
    def __init__(self, handle: _native.Fence) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...
    @property
    def done(self) -> bool: ...
    @property
    def gpu_time(self) -> float | None: ...
    @property
    def gpu_times(self) -> list[float] | None: ...

class CommandList:
    handle: _native.CommandList
    device: Device
    timestamps: bool
    def __init__(self, device: Device | None = None, timestamps: bool = False) -> None: ...
    def __len__(self) -> int: ...
    def dispatch(
        self,
        compute: Compute,
        x: _Int,
        y: _Int,
        z: _Int,
        push: _Data | None = None,
        repeat: _Int = 1,
    ) -> None: ...
    def dispatch_indirect(
        self,
        compute: Compute,
        indirect_buffer: Buffer,
        offset: _Int = 0,
        push: _Data | None = None,
    ) -> None: ...
    def copy(self, source: Resource, destination: Resource, **kwargs: _Int) -> None: ...
    def submit(self, wait: bool = True) -> Fence: ...
    def reset(self) -> None: ...

class batch:
    list: CommandList | None
    fence: Fence | None
    def __init__(self, device: Device | None = None, timestamps: bool = False) -> None: ...
    def __enter__(self) -> CommandList: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> bool: ...

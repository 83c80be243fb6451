"""Objects that live on this process's device cannot be pickled (sent to
another process by multiprocessing or Dask): a TypeError says what to send
instead. copy.copy stays a shallow copy sharing the native object."""

import copy
import pickle

import pytest

import compushady
import compushady.formats
from compushady import HEAP_UPLOAD, Buffer, Compute, Heap, Sampler
from compushady import Texture1D, Texture2D, Texture3D
from compushady.shaders import hlsl

RGBA8 = compushady.formats.R8G8B8A8_UNORM


def compute():
    shader = hlsl.compile(
        "RWStructuredBuffer<uint> o : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { o[0] = 1; }"
    )
    return Compute(shader, uav=[Buffer(4, stride=4)])


# (factory, class name, what the message tells to send instead)
OBJECTS = [
    (lambda: Buffer(16), "Buffer", r"send the data \(bytes or a numpy array"),
    (lambda: Buffer(16, HEAP_UPLOAD), "Buffer", r"compushady\.dask\.map_blocks"),
    (lambda: Texture1D(4, RGBA8), "Texture1D", r"send the texels"),
    (lambda: Texture2D(4, 4, RGBA8), "Texture2D", r"send the texels"),
    (lambda: Texture3D(2, 2, 2, RGBA8), "Texture3D", r"send the texels"),
    (compushady.get_current_device, "Device", r"send its index in "
     r"compushady\.get_discovered_devices\(\)"),
    (lambda: Heap(compushady.HEAP_DEFAULT, 65536), "Heap", r"send its heap type"),
    (lambda: Sampler(), "Sampler", r"send its address modes"),
    (compute, "Compute", r"send the shader \(HLSL source or SPIR-V bytes\)"),
]


@pytest.mark.parametrize("factory, name, instead", OBJECTS,
                         ids=[o[1] + str(i) for i, o in enumerate(OBJECTS)])
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_says_what_to_send_instead(factory, name, instead, protocol):
    if name == "Heap" and not compushady.get_current_device().supports_heaps:
        pytest.skip("the device cannot place resources in heaps (supports_heaps is False)")
    obj = factory()
    message = r"a compushady\.{0} cannot be pickled .*Instead, .*{1}".format(name, instead)
    with pytest.raises(TypeError, match=message):
        pickle.dumps(obj, protocol=protocol)
    with pytest.raises(TypeError, match=message):
        copy.deepcopy(obj)


def test_cloudpickle_gives_the_same_message():
    cloudpickle = pytest.importorskip("cloudpickle")
    with pytest.raises(TypeError, match=r"a compushady\.Buffer cannot be pickled"):
        cloudpickle.dumps({"data": [Buffer(16)]})


@pytest.mark.parametrize("factory, name, instead", OBJECTS[:1] + OBJECTS[5:6] + OBJECTS[-1:])
def test_copy_is_still_shallow(factory, name, instead):
    obj = factory()
    clone = copy.copy(obj)
    assert type(clone) is type(obj) and clone is not obj
    assert clone.handle is obj.handle

"""Small helpers shared by the tests: staging through UPLOAD/READBACK
buffers and one-shot compute runs."""

import pytest

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import glsl, hlsl


def upload_buffer(data, heap_type=HEAP_DEFAULT, stride=0, format=0, size=None):
    """A buffer of heap_type holding data (staged through an UPLOAD buffer)."""
    data = bytes(data)
    size = len(data) if size is None else size
    staging = Buffer(size, HEAP_UPLOAD)
    staging.upload(data)
    if heap_type == HEAP_UPLOAD and not stride and not format:
        return staging
    buffer = Buffer(size, heap_type, stride=stride, format=format)
    staging.copy_to(buffer)
    return buffer


def read_buffer(buffer, size=0):
    """The bytes of any buffer, through a READBACK copy."""
    readback = Buffer(buffer.size, HEAP_READBACK)
    buffer.copy_to(readback)
    return readback.readback(size)


def run_hlsl(source, groups=(1, 1, 1), **bindings):
    """Compile source, bind the resources, dispatch once; returns the Compute."""
    compute = Compute(hlsl.compile(source), **bindings)
    compute.dispatch(*groups)
    return compute


def run_glsl(source, groups=(1, 1, 1), **bindings):
    compute = Compute(glsl.compile(source), **bindings)
    compute.dispatch(*groups)
    return compute


def device():
    return compushady.get_current_device()


def needs(feature):
    """Marks a test that needs a device feature (a Device attribute such as
    "supports_sparse"): skipped, naming the feature and the backend, where
    the current device lacks it."""
    device = compushady.get_current_device()
    return pytest.mark.skipif(
        not getattr(device, feature, False),
        reason="the {0} backend's device {1!r} lacks {2}".format(
            compushady.get_backend().name, device.name, feature),
    )

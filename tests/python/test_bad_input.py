"""Every public Python call x every class of bad argument that applies: the
exception type and the start of its message.

CASES is the one table: each row is a test, and docs/bad-input.md lists
the same case ids (test_doc_lists_every_case checks both ways). Print the
doc's table with `python tests/python/test_bad_input.py`.
"""

import os
import re
import sys

import pytest

import compushady
from compushady import _native
from compushady import formats as F
from compushady.shaders import glsl, hlsl, wgsl

C = compushady
DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "bad-input.md")

SOURCE = """
RWByteAddressBuffer output : register(u0);
struct Push { uint a; uint b; };
[[vk::push_constant]] ConstantBuffer<Push> push;
[numthreads(1, 1, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    output.Store(tid.x * 4, push.a + tid.x * push.b);
}
"""


class Env:
    """Objects the cases use, built once per module."""

    def __init__(self):
        self.shader = hlsl.compile(SOURCE)
        self.up = C.Buffer(64, C.HEAP_UPLOAD)
        self.rb = C.Buffer(64, C.HEAP_READBACK)
        self.dev = C.Buffer(64)
        self.tex = C.Texture2D(4, 4, F.R8G8B8A8_UNORM)
        self.compute = C.Compute(self.shader, uav=[self.dev], push_size=8)
        self.indirect = C.Buffer(12, C.HEAP_UPLOAD)
        self._other = None

    @property
    def other(self):
        """A device of a second Instance: a distinct device object, as a
        second GPU would be."""
        if self._other is None:
            instance = _native.create_instance(debug=True)
            self._other = C.Device(instance.devices()[0])
        return self._other


# (id, call, class of bad argument, action, exception, message start)
CASES = [
    # >>Buffer
    ("buffer-size-zero", "Buffer", "zero size",
     lambda e: C.Buffer(0), C.BufferException, "buffer size must be greater than 0"),
    ("buffer-size-negative", "Buffer", "negative size",
     lambda e: C.Buffer(-1), C.BufferException, "size must be >= 0, got -1"),
    ("buffer-size-huge", "Buffer", "huge size (over the device's limit)",
     lambda e: C.Buffer(2**62), C.BufferException, "buffer size 4611686018427387904 is larger than the device's limit"),
    ("buffer-size-2-64", "Buffer", "size past 64 bits",
     lambda e: C.Buffer(2**64), C.BufferException, "size 18446744073709551616 does not fit in 64 bits"),
    ("buffer-size-type", "Buffer", "wrong type (str size)",
     lambda e: C.Buffer("64"), TypeError, "size must be an int, got str"),
    ("buffer-size-float", "Buffer", "wrong type (float size)",
     lambda e: C.Buffer(64.0), TypeError, "size must be an int, got float"),
    ("buffer-heap-type", "Buffer", "unknown heap type",
     lambda e: C.Buffer(64, 7), C.BufferException, "invalid heap type 7 for buffer"),
    ("buffer-format", "Buffer", "unknown format",
     lambda e: C.Buffer(64, format=9999), C.BufferException, "invalid format 9999 for a typed buffer"),
    ("buffer-format-unsupported", "Buffer", "unsupported format (typed buffer)",
     lambda e: C.Buffer(64, format=F.R32G32B32_FLOAT), C.BufferException,
     "a typed buffer (Buffer with format=): format R32G32B32_FLOAT is not supported as a typed buffer, neither"),
    ("buffer-heap-wrong-type", "Buffer", "wrong heap type",
     lambda e: C.Buffer(64, C.HEAP_UPLOAD, heap=C.Heap(C.HEAP_DEFAULT, 65536)), C.BufferException, "buffer: the heap is HEAP_DEFAULT, expected HEAP_UPLOAD"),
    ("buffer-heap-offset-past-end", "Buffer", "past-the-end heap_offset",
     lambda e: C.Buffer(64, heap=C.Heap(C.HEAP_DEFAULT, 65536), heap_offset=65536), C.BufferException, "buffer: heap_offset 65536 is past the end of the 65536-byte heap"),
    ("buffer-heap-not-heap", "Buffer", "wrong type (heap)",
     lambda e: C.Buffer(64, heap=5), TypeError, "heap must be a compushady.Heap or None, got int"),
    ("buffer-device-type", "Buffer", "wrong type (device)",
     lambda e: C.Buffer(64, device=3), TypeError, "device must be a compushady.Device"),
    ("buffer-heap-other-device", "Buffer", "heap of another device",
     lambda e: C.Buffer(64, heap=C.Heap(C.HEAP_DEFAULT, 65536, device=e.other)), C.BufferException, "buffer: the heap belongs to another device"),
    ("buffer-sparse-unsupported", "Buffer", "unsupported feature (sparse)",
     lambda e: C.Buffer(65536, sparse=True) if not C.get_current_device().supports_sparse else pytest.skip("device supports sparse"),
     C.BufferException, "sparse resources need sparse binding"),
    # >>upload / upload2d / upload_chunked
    ("upload-default-heap", "Buffer.upload", "wrong heap type (HEAP_DEFAULT)",
     lambda e: e.dev.upload(b"1234"), C.BufferException, "upload needs a host-visible buffer, this one is in HEAP_DEFAULT"),
    ("upload-past-end", "Buffer.upload", "past-the-end offset",
     lambda e: e.up.upload(b"1234", 62), C.BufferException, "upload of 4 bytes at offset 62 does not fit in the 64-byte buffer"),
    ("upload-too-long", "Buffer.upload", "data longer than the buffer",
     lambda e: e.up.upload(b"x" * 65), C.BufferException, "upload of 65 bytes at offset 0 does not fit"),
    ("upload-offset-negative", "Buffer.upload", "negative offset",
     lambda e: e.up.upload(b"x", -1), C.BufferException, "offset must be >= 0, got -1"),
    ("upload-offset-huge", "Buffer.upload", "huge offset (2**64-1)",
     lambda e: e.up.upload(b"x", 2**64 - 1), C.BufferException, "upload of 1 bytes at offset 18446744073709551615 does not fit"),
    ("upload-data-str", "Buffer.upload", "wrong type (str data)",
     lambda e: e.up.upload("abc"), TypeError, "data must be a bytes-like object, got str"),
    ("upload-data-noncontiguous", "Buffer.upload", "wrong type (non-contiguous array)",
     lambda e: e.up.upload(memoryview(bytearray(16))[::2]), BufferError, "data must be a C-contiguous buffer"),
    ("upload2d-pitch-short", "Buffer.upload2d", "pitch smaller than a row",
     lambda e: e.up.upload2d(b"x" * 16, 2, 4, 2, 2), C.BufferException, "upload2d: a row of 4 pixels of 2 bytes (8 bytes) is longer than the pitch"),
    ("upload2d-default-heap", "Buffer.upload2d", "wrong heap type (HEAP_DEFAULT)",
     lambda e: e.dev.upload2d(b"x" * 16, 8, 2, 2, 4), C.BufferException, "upload2d needs a host-visible buffer"),
    ("upload2d-negative", "Buffer.upload2d", "negative size",
     lambda e: e.up.upload2d(b"x" * 16, 8, -2, 2, 4), C.BufferException, "width must be >= 0, got -2"),
    ("upload2d-past-end", "Buffer.upload2d", "past-the-end rows",
     lambda e: e.up.upload2d(b"x" * 128, 64, 16, 2, 4), C.BufferException, "upload2d:"),
    ("upload-chunked-stride-zero", "Buffer.upload_chunked", "zero stride",
     lambda e: e.up.upload_chunked(b"x" * 16, 0, b"\0"), C.BufferException, "upload_chunked: stride must be greater than 0"),
    ("upload-chunked-too-long", "Buffer.upload_chunked", "data longer than the buffer",
     lambda e: e.up.upload_chunked(b"x" * 60, 3, b"\0"), C.BufferException, "upload_chunked: 60 bytes of data with 1 filler bytes every 3 bytes need 80 bytes, the buffer has 64"),
    ("upload-chunked-filler-type", "Buffer.upload_chunked", "wrong type (filler)",
     lambda e: e.up.upload_chunked(b"x" * 6, 3, 0), TypeError, "filler must be a bytes-like object, got int"),
    # >>readback / readback2d
    ("readback-default-heap", "Buffer.readback", "wrong heap type (HEAP_DEFAULT)",
     lambda e: e.dev.readback(), C.BufferException, "readback needs a host-visible buffer, this one is in HEAP_DEFAULT"),
    ("readback-past-end", "Buffer.readback", "past-the-end size",
     lambda e: e.rb.readback(8, 60), C.BufferException, "readback of 8 bytes at offset 60 does not fit in the 64-byte buffer"),
    ("readback-offset-past-end", "Buffer.readback", "past-the-end offset",
     lambda e: e.rb.readback(0, 65), C.BufferException, "readback of 0 bytes at offset 65 does not fit"),
    ("readback-size-negative", "Buffer.readback", "negative size",
     lambda e: e.rb.readback(-1), C.BufferException, "size must be >= 0, got -1"),
    ("readback-size-huge", "Buffer.readback", "huge size",
     lambda e: e.rb.readback(2**63), C.BufferException, "readback of 9223372036854775808 bytes at offset 0 does not fit"),
    ("readback-into-readonly", "Buffer.readback", "wrong type (read-only target)",
     lambda e: e.rb.readback(b"12345678"), BufferError, "buffer must be a C-contiguous writable buffer"),
    ("readback-into-too-long", "Buffer.readback", "target longer than the buffer",
     lambda e: e.rb.readback(bytearray(65)), C.BufferException, "readback of 65 bytes at offset 0 does not fit"),
    ("readback-str", "Buffer.readback", "wrong type (str)",
     lambda e: e.rb.readback("x"), TypeError, "buffer must be a writable bytes-like object, got str"),
    ("readback2d-past-end", "Buffer.readback2d", "past-the-end rows",
     lambda e: e.rb.readback2d(32, 8, 4, 4), C.BufferException, "readback2d: 4 rows with a pitch of 32 bytes need 128 bytes"),
    ("readback2d-huge", "Buffer.readback2d", "huge sizes (product past 64 bits)",
     lambda e: e.rb.readback2d(2**32 - 1, 2**32 - 1, 2**32 - 1, 2**32 - 1), C.BufferException, "readback2d of 4294967295 rows"),
    ("readback2d-too-large-to-allocate", "Buffer.readback2d", "huge sizes (more bytes than memory, within 64 bits)",
     lambda e: e.rb.readback2d(2**31, 2**31, 2**20, 1), C.BufferException,
     "readback2d: 1048576 rows with a pitch of 2147483648 bytes need 2251799813685248 bytes, the buffer has"),
    ("readback2d-row-longer-than-pitch", "Buffer.readback2d", "huge sizes (rows longer than the pitch)",
     lambda e: e.rb.readback2d(16, 2**31, 2**20, 4), C.BufferException,
     "readback2d: a row of 2147483648 pixels of 4 bytes (8589934592 bytes) is longer than the pitch of 16 bytes"),
    ("readback2d-default-heap", "Buffer.readback2d", "wrong heap type (HEAP_DEFAULT)",
     lambda e: e.dev.readback2d(16, 4, 4, 4), C.BufferException, "readback2d needs a host-visible buffer"),
    # >>copy_to
    ("copy-src-past-end", "copy_to", "past-the-end src_offset + size",
     lambda e: e.up.copy_to(e.dev, 8, 60), C.BufferException, "copy: 8 bytes from src_offset 60 exceed the 64-byte source buffer"),
    ("copy-dst-past-end", "copy_to", "past-the-end dst_offset + size",
     lambda e: e.up.copy_to(e.dev, 8, 0, 60), C.BufferException, "copy: 8 bytes to dst_offset 60 exceed the 64-byte destination buffer"),
    ("copy-whole-too-big", "copy_to", "size 0 (whole source) larger than destination",
     lambda e: C.Buffer(128, C.HEAP_UPLOAD).copy_to(e.dev), C.BufferException, "copy: 128 bytes to dst_offset 0 exceed"),
    ("copy-offset-huge", "copy_to", "huge src_offset (wraps around)",
     lambda e: e.up.copy_to(e.dev, 8, 2**64 - 8), C.BufferException, "copy: src_offset 18446744073709551608 is past the end"),
    ("copy-size-negative", "copy_to", "negative size",
     lambda e: e.up.copy_to(e.dev, -1), C.BufferException, "size must be >= 0, got -1"),
    ("copy-destination-type", "copy_to", "wrong type (destination)",
     lambda e: e.up.copy_to(5), TypeError, "copy_to destination must be a Buffer or a Texture, got int"),
    ("copy-overlap-same-buffer", "copy_to", "overlapping ranges of one buffer",
     lambda e: e.dev.copy_to(e.dev, 8, 0, 4), C.BufferException, "copy: 8 bytes from src_offset 0 to dst_offset 4 overlap in the same buffer"),
    ("copy-overlap-same-texture", "copy_to", "overlapping boxes of one texture",
     lambda e: e.tex.copy_to(e.tex, width=2, height=2, dst_x=1), C.Texture2DException, "copy: the 2x2x1 box from (0, 0, 0) to (1, 0, 0) overlaps itself"),
    ("copy-other-device", "copy_to", "resource of another device",
     lambda e: e.up.copy_to(C.Buffer(64, device=e.other)), C.BufferException, "copy: the source is on device"),
    ("copy-buffer-to-texture-short", "copy_to", "buffer smaller than the texture",
     lambda e: C.Buffer(8, C.HEAP_UPLOAD).copy_to(e.tex), C.BufferException, "copy: the source buffer needs 64 bytes"),
    ("copy-texture-to-buffer-short", "copy_to", "buffer smaller than the texture",
     lambda e: e.tex.copy_to(C.Buffer(8, C.HEAP_READBACK)), C.Texture2DException, "copy: the destination buffer needs 64 bytes"),
    ("copy-dst-slice", "copy_to", "past-the-end slice",
     lambda e: C.Buffer(64, C.HEAP_UPLOAD).copy_to(e.tex, dst_slice=1), C.BufferException, "copy: dst_slice 1 is out of range"),
    ("copy-src-x", "copy_to", "past-the-end texel coordinate",
     lambda e: e.tex.copy_to(C.Texture2D(4, 4, F.R8G8B8A8_UNORM), src_x=4), C.Texture2DException, "copy: src_x 4 is outside the Texture2D width of 4"),
    ("copy-box-too-big", "copy_to", "box larger than the destination",
     lambda e: e.tex.copy_to(C.Texture2D(2, 2, F.R8G8B8A8_UNORM)), C.Texture2DException, "copy: a box of 4 texels from dst_x 0 exceeds"),
    ("copy-texel-size", "copy_to", "unsupported formats (texel sizes differ)",
     lambda e: e.tex.copy_to(C.Texture2D(4, 4, F.R32G32_FLOAT)), C.Texture2DException, "copy: texel sizes differ"),
    # >>textures
    ("texture1d-width-zero", "Texture1D", "zero size",
     lambda e: C.Texture1D(0, F.R8G8B8A8_UNORM), C.Texture1DException, "Texture1D width must be greater than 0"),
    ("texture1d-width-huge", "Texture1D", "huge size",
     lambda e: C.Texture1D(2**31, F.R8G8B8A8_UNORM), C.Texture1DException, "Texture1D width 2147483648 is larger than the device's limit"),
    ("texture1d-format-negative", "Texture1D", "negative format",
     lambda e: C.Texture1D(4, -1), C.Texture1DException, "format must be >= 0, got -1"),
    ("texture2d-width-zero", "Texture2D", "zero size",
     lambda e: C.Texture2D(0, 4, F.R8G8B8A8_UNORM), C.Texture2DException, "Texture2D width must be greater than 0"),
    ("texture2d-width-negative", "Texture2D", "negative size",
     lambda e: C.Texture2D(-4, 4, F.R8G8B8A8_UNORM), C.Texture2DException, "width must be >= 0, got -4"),
    ("texture2d-huge", "Texture2D", "huge size",
     lambda e: C.Texture2D(2**20, 2**20, F.R8G8B8A8_UNORM), C.Texture2DException, "Texture2D width 1048576 is larger than the device's limit"),
    ("texture2d-format-unknown", "Texture2D", "unknown format",
     lambda e: C.Texture2D(4, 4, 9999), C.Texture2DException, "invalid format 9999 for a Texture2D"),
    ("texture2d-format-zero", "Texture2D", "zero format",
     lambda e: C.Texture2D(4, 4, 0), C.Texture2DException, "invalid format 0 for a Texture2D"),
    ("texture2d-width-float", "Texture2D", "wrong type (float width)",
     lambda e: C.Texture2D(4.0, 4, F.R8G8B8A8_UNORM), TypeError, "width must be an int, got float"),
    ("texture2d-slices-huge", "Texture2D", "huge slices",
     lambda e: C.Texture2D(4, 4, F.R8G8B8A8_UNORM, slices=100000), C.Texture2DException, "Texture2D slices 100000 is larger than the device's limit"),
    ("texture2d-heap-upload", "Texture2D", "wrong heap type",
     lambda e: C.Texture2D(4, 4, F.R8G8B8A8_UNORM, heap=C.Heap(C.HEAP_UPLOAD, 65536)), C.Texture2DException, "Texture2D: the heap is HEAP_UPLOAD, expected HEAP_DEFAULT"),
    ("texture2d-heap-too-small", "Texture2D", "heap smaller than the texture",
     lambda e: C.Texture2D(256, 256, F.R8G8B8A8_UNORM, heap=C.Heap(C.HEAP_DEFAULT, 1024)), C.Texture2DException, "a 256x256x1 R8G8B8A8_UNORM texture needs"),
    ("texture2d-heap-offset-past-end", "Texture2D", "past-the-end heap_offset",
     lambda e: C.Texture2D(4, 4, F.R8G8B8A8_UNORM, heap=C.Heap(C.HEAP_DEFAULT, 65536), heap_offset=65536), C.Texture2DException, "Texture2D: heap_offset 65536 is past the end"),
    ("texture2d-upload", "Texture2D (native upload)", "wrong resource kind",
     lambda e: e.tex.handle.upload(b"x"), C.Texture2DException, "upload needs a buffer, not a Texture2D"),
    ("texture2d-bind-tile", "bind_tile", "not a sparse resource",
     lambda e: e.tex.bind_tile(0, 0, 0, None), C.Texture2DException, "bind_tile needs a sparse resource"),
    ("texture3d-depth-zero", "Texture3D", "zero size",
     lambda e: C.Texture3D(4, 4, 0, F.R8G8B8A8_UNORM), C.Texture3DException, "Texture3D depth must be greater than 0"),
    ("texture3d-huge", "Texture3D", "huge size",
     lambda e: C.Texture3D(2**16, 2**16, 2**16, F.R8G8B8A8_UNORM), C.Texture3DException, "Texture3D width 65536 is larger than the device's limit"),
    ("texture3d-format-unknown", "Texture3D", "unknown format",
     lambda e: C.Texture3D(4, 4, 4, 12345), C.Texture3DException, "invalid format 12345 for a Texture3D"),
    # >>Heap
    ("heap-size-zero", "Heap", "zero size",
     lambda e: C.Heap(C.HEAP_DEFAULT, 0), C.HeapException, "heap size must be greater than 0"),
    ("heap-size-negative", "Heap", "negative size",
     lambda e: C.Heap(C.HEAP_DEFAULT, -5), C.HeapException, "size must be >= 0, got -5"),
    ("heap-size-huge", "Heap", "huge size (more than the device has)",
     lambda e: C.Heap(C.HEAP_DEFAULT, 2**62), C.OutOfDeviceMemory, "out of device memory creating a heap: 4611686018427387904 bytes"),
    ("heap-type-unknown", "Heap", "unknown heap type",
     lambda e: C.Heap(7, 64), C.HeapException, "invalid heap type 7"),
    ("heap-size-float", "Heap", "wrong type (float size)",
     lambda e: C.Heap(C.HEAP_DEFAULT, 1.5), TypeError, "size must be an int, got float"),
    # >>Sampler
    ("sampler-address-unknown", "Sampler", "unknown address mode",
     lambda e: C.Sampler(9), C.SamplerException, "invalid address mode 9 for u"),
    ("sampler-address-negative", "Sampler", "negative address mode",
     lambda e: C.Sampler(-1), C.SamplerException, "address_u must be >= 0, got -1"),
    ("sampler-filter-unknown", "Sampler", "unknown filter",
     lambda e: C.Sampler(filter_min=5), C.SamplerException, "invalid min filter 5"),
    ("sampler-type", "Sampler", "wrong type (str)",
     lambda e: C.Sampler("wrap"), TypeError, "address_u must be an int, got str"),
    # >>Compute
    ("compute-spirv-garbage", "Compute", "invalid SPIR-V bytes (too short)",
     lambda e: C.Compute(b"garbage!"), C.ComputeException, "SPIR-V blob is 2 words, shorter than the 5-word header"),
    ("compute-spirv-version", "Compute", "invalid SPIR-V bytes (bad header)",
     lambda e: C.Compute(b"\x03\x02\x23\x07" + b"\0" * 40), C.ComputeException, "bad SPIR-V version word"),
    ("compute-spirv-truncated", "Compute", "invalid SPIR-V bytes (not a multiple of 4)",
     lambda e: C.Compute(e.shader[:-1], uav=[e.dev], push_size=8), C.ComputeException, "SPIR-V blob is"),
    ("compute-spirv-empty", "Compute", "zero-length shader",
     lambda e: C.Compute(b""), C.ComputeException, "the shader is empty"),
    ("compute-shader-str", "Compute", "wrong type (str shader)",
     lambda e: C.Compute("main"), TypeError, "shader must be a bytes-like object, got str"),
    ("compute-binding-missing", "Compute", "mismatched bindings (missing uav)",
     lambda e: C.Compute(e.shader, push_size=8), C.ComputeException, "register u0 (output): the shader declares a read-write storage buffer"),
    ("compute-binding-wrong-kind", "Compute", "mismatched bindings (texture for a buffer)",
     lambda e: C.Compute(e.shader, uav=[C.Texture2D(4, 4, F.R32_UINT)], push_size=8), C.ComputeException, "register u0 (output): the shader declares a read-write storage buffer"),
    ("compute-binding-srv-for-uav", "Compute", "mismatched bindings (srv given, uav declared)",
     lambda e: C.Compute(e.shader, srv=[e.dev], push_size=8), C.ComputeException, "register u0 (output):"),
    ("compute-binding-not-resource", "Compute", "wrong type (int in uav)",
     lambda e: C.Compute(e.shader, uav=[5], push_size=8), TypeError, "uav[0] must be a compushady Buffer or Texture, got int"),
    ("compute-binding-not-list", "Compute", "wrong type (uav not a list)",
     lambda e: C.Compute(e.shader, uav=e.dev, push_size=8), TypeError, "'Buffer' object is not iterable"),
    ("compute-sampler-type", "Compute", "wrong type (buffer in samplers)",
     lambda e: C.Compute(e.shader, uav=[e.dev], samplers=[e.dev], push_size=8), TypeError, "samplers[0] must be a compushady.Sampler, got Buffer"),
    ("compute-push-size-short", "Compute", "push_size smaller than the shader's",
     lambda e: C.Compute(e.shader, uav=[e.dev], push_size=4), C.ComputeException, "the shader declares 8 bytes of push constants, push_size is 4"),
    ("compute-push-size-odd", "Compute", "push_size not a multiple of 4",
     lambda e: C.Compute(e.shader, uav=[e.dev], push_size=3), C.ComputeException, "push_size must be a multiple of 4, got 3"),
    ("compute-push-size-huge", "Compute", "push_size over the device's limit",
     lambda e: C.Compute(e.shader, uav=[e.dev], push_size=1 << 20), C.ComputeException, "push_size 1048576 is larger than the device's limit"),
    ("compute-other-device", "Compute", "resource of another device",
     lambda e: C.Compute(e.shader, uav=[C.Buffer(64, device=e.other)], push_size=8), C.ComputeException, "uav[0] belongs to device"),
    ("compute-bindless-unsupported", "Compute", "unsupported feature (bindless)",
     lambda e: C.Compute(e.shader, bindless=True) if not C.get_current_device().supports_bindless else pytest.skip("device supports bindless"),
     C.ComputeException, "bindless computes need descriptor indexing"),
    # >>dispatch / dispatch_indirect / bind_*
    ("dispatch-negative", "Compute.dispatch", "negative group count",
     lambda e: e.compute.dispatch(-1, 1, 1), C.ComputeException, "x must be >= 0, got -1"),
    ("dispatch-huge", "Compute.dispatch", "huge group count (over the device's limit)",
     lambda e: e.compute.dispatch(2**31, 1, 1), C.ComputeException, "dispatch: 2147483648 groups in x exceed the device's limit"),
    ("dispatch-2-32", "Compute.dispatch", "group count past 32 bits",
     lambda e: e.compute.dispatch(1, 2**32, 1), C.ComputeException, "y 4294967296 does not fit in 32 bits"),
    ("dispatch-type", "Compute.dispatch", "wrong type (str)",
     lambda e: e.compute.dispatch("1", 1, 1), TypeError, "x must be an int, got str"),
    ("dispatch-push-too-long", "Compute.dispatch", "push data longer than push_size",
     lambda e: e.compute.dispatch(1, 1, 1, b"x" * 12), C.ComputeException, "push data is 12 bytes, more than the compute's push_size of 8"),
    ("dispatch-push-type", "Compute.dispatch", "wrong type (str push)",
     lambda e: e.compute.dispatch(1, 1, 1, "abcd"), TypeError, "push must be a bytes-like object, got str"),
    ("dispatch-indirect-past-end", "Compute.dispatch_indirect", "past-the-end offset",
     lambda e: e.compute.dispatch_indirect(e.indirect, 4), C.ComputeException, "dispatch_indirect: 12 bytes of group counts at offset 4 do not fit"),
    ("dispatch-indirect-small", "Compute.dispatch_indirect", "buffer smaller than 12 bytes",
     lambda e: e.compute.dispatch_indirect(C.Buffer(8, C.HEAP_UPLOAD)), C.ComputeException, "dispatch_indirect: 12 bytes of group counts at offset 0 do not fit in the 8-byte buffer"),
    ("dispatch-indirect-unaligned", "Compute.dispatch_indirect", "offset not a multiple of 4",
     lambda e: e.compute.dispatch_indirect(C.Buffer(32, C.HEAP_UPLOAD), 2), C.ComputeException, "dispatch_indirect: offset 2 is not a multiple of 4"),
    ("dispatch-indirect-texture", "Compute.dispatch_indirect", "wrong type (texture)",
     lambda e: e.compute.dispatch_indirect(e.tex), TypeError, "indirect_buffer must be a compushady.Buffer, got Texture2D"),
    ("dispatch-indirect-other-device", "Compute.dispatch_indirect", "resource of another device",
     lambda e: e.compute.dispatch_indirect(C.Buffer(12, C.HEAP_UPLOAD, device=e.other)), C.ComputeException, "dispatch_indirect: the buffer belongs to another device"),
    ("bind-uav-not-bindless", "Compute.bind_uav", "compute not bindless",
     lambda e: e.compute.bind_uav(0, e.dev), C.ComputeException, "bind_uav needs a compute created with bindless=True"),
    ("bind-srv-not-bindless", "Compute.bind_srv", "compute not bindless",
     lambda e: e.compute.bind_srv(0, e.dev), C.ComputeException, "bind_srv needs a compute created with bindless=True"),
    ("bind-cbv-not-bindless", "Compute.bind_cbv", "compute not bindless",
     lambda e: e.compute.bind_cbv(0, e.dev), C.ComputeException, "bind_cbv needs a compute created with bindless=True"),
    ("bind-not-resource", "Compute.bind_uav", "wrong type (int)",
     lambda e: e.compute.bind_uav(0, 5), TypeError, "bind_uav uav must be a compushady Buffer or Texture, got int"),
    # >>shaders
    ("hlsl-garbage", "hlsl.compile", "garbage HLSL",
     lambda e: hlsl.compile("garbage"), C.ShaderCompileError, "shader:1: error:"),
    ("hlsl-empty", "hlsl.compile", "zero-length source",
     lambda e: hlsl.compile(""), C.ShaderCompileError, "source is empty"),
    ("hlsl-type", "hlsl.compile", "wrong type (int source)",
     lambda e: hlsl.compile(5), TypeError, "source must be a bytes-like object, got int"),
    ("hlsl-entry-point", "hlsl.compile", "unknown entry point",
     lambda e: hlsl.compile(SOURCE, "nope"), C.ShaderCompileError, "shader: entry point 'nope' not found"),
    ("hlsl-target", "hlsl.compile", "unsupported target",
     lambda e: hlsl.compile(SOURCE, "main", "ps_6_0"), C.ShaderCompileError, 'HLSL target "ps_6_0" is not a compute shader profile'),
    ("hlsl-bytes-not-utf8", "hlsl.compile", "garbage bytes (not UTF-8)",
     lambda e: hlsl.compile(b"\xff\xfe\x80"), C.ShaderCompileError, "shader:1: error: '<bad token>'"),
    ("glsl-garbage", "glsl.compile", "garbage GLSL",
     lambda e: glsl.compile("#version 450\nlayout(local_size_x = 1) in;\ngarbage"), C.ShaderCompileError, "shader:3: error:"),
    ("glsl-no-version", "glsl.compile", "garbage GLSL (no #version: the original's dialect)",
     lambda e: glsl.compile("layout(local_size_x = 1) in; garbage"), C.ShaderCompileError, "shader:1: error: '' :  syntax error, unexpected IDENTIFIER"),
    ("glsl-bytes-not-utf8", "glsl.compile", "garbage bytes (not UTF-8)",
     lambda e: glsl.compile(b"\xff\xfe"), C.ShaderCompileError, "shader:1: error: '"),
    ("wgsl-garbage", "wgsl.compile", "garbage WGSL",
     lambda e: wgsl.compile("garbage"), C.ShaderCompileError, "shader:1:1: error: unexpected 'garbage': expected a declaration"),
    ("wgsl-type-error", "wgsl.compile", "ill-typed WGSL",
     lambda e: wgsl.compile("@compute @workgroup_size(1)\nfn main() { let x: u32 = 1.5; }"), C.ShaderCompileError, "shader:2:26: error: the initializer of 'x' has type 'abstract-float', expected 'u32'"),
    ("wgsl-entry-point", "wgsl.compile", "unknown entry point",
     lambda e: wgsl.compile("@compute @workgroup_size(1) fn main() {}", "nope"), C.ShaderCompileError, "shader:1:1: error: entry point 'nope' not found"),
    ("wgsl-bytes-not-utf8", "wgsl.compile", "garbage bytes (not UTF-8)",
     lambda e: wgsl.compile(b"\xff\xfe"), C.ShaderCompileError, "shader:1:1: error: non-ASCII character"),
    # >>devices
    ("hlsl-nesting-too-deep", "hlsl.compile", "pathological source (4000 nested parentheses)",
     lambda e: hlsl.compile("[numthreads(1,1,1)] void main(){uint x=" + "(" * 4000 + "1" + ")" * 4000 + ";}"),
     C.ShaderCompileError, "shader:1: error: nested parentheses nest more than 1024 levels deep"),
    ("glsl-expression-too-long", "glsl.compile", "pathological source (50000-term sum)",
     lambda e: glsl.compile("#version 450\nlayout(local_size_x=1) in;\nvoid main(){uint x=" + "+".join(["1"] * 50000) + ";}"),
     C.ShaderCompileError, "shader:3: error: more than 32768 operators in one statement"),
    ("hlsl-macro-bomb", "hlsl.compile", "pathological source (macros doubling 60 times)",
     lambda e: hlsl.compile("#define A0 1\n" + "".join("#define A%d A%d+A%d\n" % (i, i - 1, i - 1) for i in range(1, 60)) + "[numthreads(1,1,1)] void main(){uint x=A59;}"),
     C.ShaderCompileError, "shader:23: error: the source would hold more than 4194304 tokens"),
    ("set-current-device-range", "set_current_device", "past-the-end index",
     lambda e: C.set_current_device(len(C.get_discovered_devices())), IndexError, "device index"),
    ("set-current-device-negative", "set_current_device", "negative index",
     lambda e: C.set_current_device(-1), IndexError, "device index -1 is out of range"),
    ("set-current-device-type", "set_current_device", "wrong type (str)",
     lambda e: C.set_current_device("0"), TypeError, "device index must be a device index (int), got str"),
    ("get-debug-messages-args", "Device.get_debug_messages", "wrong arguments",
     lambda e: C.get_current_device().get_debug_messages(1), TypeError, "Device.get_debug_messages() takes 1 positional argument"),
    ("format-support-unknown", "Device.get_format_support", "unknown format",
     lambda e: C.get_current_device().get_format_support(9999), ValueError,
     "invalid format 9999: expected one of compushady.formats"),
    ("format-support-type", "Device.get_format_support", "wrong type (str)",
     lambda e: C.get_current_device().get_format_support("R8_UNORM"), TypeError, "format must be an int, got str"),
    ("compute-typed-buffer-uav-unsupported", "Compute", "typed buffer format without UAV support",
     lambda e: C.Compute(hlsl.compile("RWBuffer<float4> b : register(u0);\n[numthreads(1, 1, 1)] void main() { b[0] = 1; }"),
                         uav=[C.Buffer(64, format=F.R32G32B32_FLOAT)]),
     C.ComputeException, "register u0: format R32G32B32_FLOAT is not supported as a read-write typed buffer"),
    ("compute-format-uav-unsupported", "Compute", "texture format without UAV support",
     lambda e: C.Compute(hlsl.compile("RWTexture2D<float4> t : register(u0);\n[numthreads(1, 1, 1)] void main() { t[uint2(0, 0)] = 1; }"),
                         uav=[C.Texture2D(1, 1, F.R32G32B32_FLOAT)]),
     C.ComputeException, "register u0: format R32G32B32_FLOAT is not supported as a read-write texture"),
]

# cases about a format the device lacks for a use: (format, the
# FORMAT_SUPPORT_* bits the case needs the device to lack, the use, the
# bits it needs it to have to get that far); they skip on other devices
# (what a format supports: tests/python/test_format_support.py)
UNSUPPORTED_FORMAT_CASES = {
    "buffer-format-unsupported": (F.R32G32B32_FLOAT, C.FORMAT_SUPPORT_BUFFER_SRV | C.FORMAT_SUPPORT_BUFFER_UAV,
                                  "a typed buffer (Buffer<T> or RWBuffer<T>)", 0),
    "compute-typed-buffer-uav-unsupported": (F.R32G32B32_FLOAT, C.FORMAT_SUPPORT_BUFFER_UAV,
                                             "a read-write typed buffer (RWBuffer<T>)", C.FORMAT_SUPPORT_BUFFER_SRV),
    "compute-format-uav-unsupported": (F.R32G32B32_FLOAT, C.FORMAT_SUPPORT_TEXTURE_UAV,
                                       "a read-write texture (RWTexture*)", C.FORMAT_SUPPORT_TEXTURE_SRV),
}

IDS = [case[0] for case in CASES]
assert len(IDS) == len(set(IDS)), "duplicate case ids"


@pytest.fixture(scope="module")
def env():
    return Env()


@pytest.fixture
def other_device_clean(env):
    yield
    if env._other is not None:
        messages = env._other.get_debug_messages()
        assert not messages, "validation messages on the second instance: " + "\n".join(messages)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input(env, other_device_clean, case):
    _, _, _, action, exception, message = case
    if "Heap" in action.__code__.co_names and not C.get_current_device().supports_heaps:
        pytest.skip("the device cannot place resources in heaps (supports_heaps is False)")
    if case[0] in UNSUPPORTED_FORMAT_CASES:
        fmt, bits, use, needed = UNSUPPORTED_FORMAT_CASES[case[0]]
        device = C.get_current_device()
        support = device.get_format_support(fmt)
        if support & bits:
            pytest.skip("device '{0}' supports {1} as {2} (get_format_support): nothing to refuse".format(
                device.name, F.get_format_name(fmt), use))
        if support & needed != needed:
            pytest.skip("device '{0}' lacks more uses of {1} than the case is about (get_format_support)".format(
                device.name, F.get_format_name(fmt)))
    with pytest.raises(exception) as info:
        action(env)
    assert str(info.value).startswith(message), str(info.value)[:500]
    # the resource exceptions are ValueErrors, as programs written for the
    # original catch them
    if exception in (C.BufferException, C.Texture1DException, C.Texture2DException,
                     C.Texture3DException, C.HeapException, C.SamplerException,
                     C.ComputeException, C.ShaderCompileError):
        assert isinstance(info.value, ValueError)


def test_process_works_after_bad_input(env):
    """After every kind of failure above, the device still computes."""
    out = C.Buffer(16, C.HEAP_READBACK)
    compute = C.Compute(env.shader, uav=[env.dev], push_size=8)
    compute.dispatch(4, 1, 1, (7).to_bytes(4, "little") + (2).to_bytes(4, "little"))
    env.dev.copy_to(out, 16)
    values = [int.from_bytes(out.readback(4, 4 * i), "little") for i in range(4)]
    assert values == [7, 9, 11, 13]


def _doc_ids():
    with open(DOC, encoding="utf-8") as doc:
        return re.findall(r"^\| `([a-z0-9-]+)` \|", doc.read(), re.M)


def test_doc_lists_every_case():
    documented = _doc_ids()
    assert sorted(set(documented)) == sorted(documented), "duplicate ids in the doc"
    missing = sorted(set(IDS) - set(documented))
    extra = sorted(set(documented) - set(IDS))
    assert not missing, "cases missing from docs/bad-input.md: {0}".format(missing)
    assert not extra, "docs/bad-input.md lists cases the test does not: {0}".format(extra)


def render_table():
    lines = ["| case | call | bad argument | exception | message starts with |",
             "| --- | --- | --- | --- | --- |"]
    for case_id, call, bad, _, exception, message in CASES:
        lines.append("| `{0}` | `{1}` | {2} | `{3}` | {4} |".format(
            case_id, call, bad, exception.__name__,
            "`" + message.replace("|", "\\|") + "`"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render_table() + "\n")

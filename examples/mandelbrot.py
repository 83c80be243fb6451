#!/usr/bin/env python3
"""Render the Mandelbrot set on the GPU with compushady and save it as a PNG.

    python3 examples/mandelbrot.py [--device N] [--output mandelbrot.png]
                                   [--size 1024x1024] [--iterations 256]
                                   [--center -0.5,0] [--scale 3.0]

An HLSL compute shader writes one RGBA8 pixel (packed in a uint) per thread
into a RWStructuredBuffer<uint>; the image is copied to a READBACK buffer,
read back and written as a PNG with the standard library only (zlib and
struct). Prints the device used and the time of each step.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import time
import zlib
from typing import Callable, TypeVar

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute
from compushady.shaders import hlsl

SHADER = """
cbuffer Params : register(b0)
{
    uint width;
    uint height;
    uint max_iterations;
    float scale;      // width of the view in the complex plane
    float2 center;
};

RWStructuredBuffer<uint> image : register(u0);

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    if (tid.x >= width || tid.y >= height)
        return;

    float2 c = center + (float2(tid.xy) - 0.5 * float2(width, height)) * (scale / width);
    float2 z = float2(0, 0);
    uint i = 0;
    for (; i < max_iterations && dot(z, z) < 256.0; i++)
        z = float2(z.x * z.x - z.y * z.y, 2.0 * z.x * z.y) + c;

    float3 rgb = float3(0, 0, 0);  // inside the set: black
    if (i < max_iterations)
    {
        // smooth iteration count, then a cosine palette
        float smooth_i = i + 1.0 - log2(log2(dot(z, z)) * 0.5);
        float t = sqrt(smooth_i / max_iterations);
        rgb = 0.5 + 0.5 * cos(6.2831853 * (t * 2.0 + float3(0.0, 0.15, 0.30)));
    }
    uint3 c8 = uint3(saturate(rgb) * 255.0 + 0.5);
    image[tid.y * width + tid.x] = c8.r | (c8.g << 8) | (c8.b << 16) | (255u << 24);
}
"""

T = TypeVar("T")


def write_png(path: str, width: int, height: int, rgba: bytes) -> None:
    """Writes 8-bit RGBA pixels (rows top to bottom) as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    stride = width * 4
    # every row starts with its filter type (0 = none)
    raw = b"".join(
        b"\x00" + rgba[y * stride : (y + 1) * stride] for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", ihdr))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def parse_pair(text: str, kind: Callable[[str], T]) -> tuple[T, T]:
    try:
        a, b = text.replace("x", ",").split(",")
        return kind(a), kind(b)
    except ValueError:
        raise argparse.ArgumentTypeError("expected two values like 1024x768 or -0.5,0")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", type=int, help="device index (default: the best device)")
    parser.add_argument("--output", default="mandelbrot.png", help="PNG path (default: %(default)s)")
    parser.add_argument("--size", default=(1024, 1024), type=lambda s: parse_pair(s, int),
                        help="WIDTHxHEIGHT (default: 1024x1024)")
    parser.add_argument("--iterations", type=int, default=256, help="max iterations per pixel")
    parser.add_argument("--center", default=(-0.5, 0.0), type=lambda s: parse_pair(s, float),
                        help="X,Y center of the view (default: -0.5,0)")
    parser.add_argument("--scale", type=float, default=3.0,
                        help="width of the view in the complex plane (default: 3.0)")
    args = parser.parse_args()
    width, height = args.size
    if width <= 0 or height <= 0 or args.iterations <= 0:
        parser.error("size and iterations must be positive")

    devices = compushady.get_discovered_devices()
    if args.device is not None:
        if not 0 <= args.device < len(devices):
            parser.error("--device {0}: {1} device(s) found".format(args.device, len(devices)))
        compushady.set_current_device(args.device)
    device = compushady.get_current_device()
    print("device: {0} ({1})".format(
        device.name, "hardware" if device.is_hardware else "software, no GPU"))

    t0 = time.perf_counter()
    shader = hlsl.compile(SHADER)
    t_compile = time.perf_counter() - t0

    t0 = time.perf_counter()
    params_upload = Buffer(32, HEAP_UPLOAD)
    params_upload.upload(struct.pack("<IIIfff", width, height, args.iterations,
                                     args.scale, args.center[0], args.center[1]))
    params = Buffer(32, HEAP_DEFAULT)
    params_upload.copy_to(params)
    image = Buffer(width * height * 4, HEAP_DEFAULT, stride=4)
    compute = Compute(shader, cbv=[params], uav=[image])
    t_setup = time.perf_counter() - t0

    t0 = time.perf_counter()
    compute.dispatch((width + 7) // 8, (height + 7) // 8, 1)
    t_dispatch = time.perf_counter() - t0

    t0 = time.perf_counter()
    readback = Buffer(image.size, HEAP_READBACK)
    image.copy_to(readback)
    pixels = readback.readback()
    t_readback = time.perf_counter() - t0

    t0 = time.perf_counter()
    write_png(args.output, width, height, pixels)
    t_png = time.perf_counter() - t0

    print("image: {0}x{1}, {2} iterations max".format(width, height, args.iterations))
    print("compile  {0:8.1f} ms  (HLSL -> SPIR-V)".format(t_compile * 1e3))
    print("setup    {0:8.1f} ms  (buffers + Compute)".format(t_setup * 1e3))
    print("dispatch {0:8.1f} ms".format(t_dispatch * 1e3))
    print("readback {0:8.1f} ms  ({1} bytes)".format(t_readback * 1e3, len(pixels)))
    print("png      {0:8.1f} ms".format(t_png * 1e3))
    print("wrote", os.path.abspath(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())

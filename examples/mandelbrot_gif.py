#!/usr/bin/env python3
"""Zoom into the Mandelbrot set on the GPU and save it as an animated GIF.

    python3 examples/mandelbrot_gif.py [--output mandelbrot_zoom.gif]
        [--size 320x240] [--frames 48] [--iterations 256]
        [--target -0.743643887,0.131825904] [--zoom 0.9] [--fps 20]

Every frame is one dispatch of an HLSL compute shader that gets the view
(center, scale) as push constants and writes RGBA8 pixels into a
RWStructuredBuffer<uint>; each frame is copied on the GPU into its slot of
one READBACK buffer, which is read back once at the end. Pillow writes the
GIF (pip install pillow).
"""

from __future__ import annotations

import argparse
import math
import os
import struct
import sys
import time
from typing import Callable, Iterator, TypeVar

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, Buffer, Compute
from compushady.shaders import hlsl

SHADER = """
struct View
{
    uint width;
    uint height;
    uint max_iterations;
    float scale;      // width of the view in the complex plane
    float2 center;
};
[[vk::push_constant]] ConstantBuffer<View> view;

RWStructuredBuffer<uint> image : register(u0);

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    if (tid.x >= view.width || tid.y >= view.height)
        return;

    float2 size = float2(view.width, view.height);
    float2 c = view.center + (float2(tid.xy) - 0.5 * size) * (view.scale / view.width);
    float2 z = float2(0, 0);
    uint i = 0;
    for (; i < view.max_iterations && dot(z, z) < 256.0; i++)
        z = float2(z.x * z.x - z.y * z.y, 2.0 * z.x * z.y) + c;

    float3 rgb = float3(0, 0, 0);  // inside the set: black
    if (i < view.max_iterations)
    {
        float smooth_i = i + 1.0 - log2(log2(dot(z, z)) * 0.5);
        float t = smooth_i / 64.0;  // palette cycles with depth
        rgb = 0.5 + 0.5 * cos(6.2831853 * (t + float3(0.0, 0.1, 0.2)));
    }
    uint3 c8 = uint3(saturate(rgb) * 255.0 + 0.5);
    image[tid.y * view.width + tid.x] = c8.r | (c8.g << 8) | (c8.b << 16) | (255u << 24);
}
"""

T = TypeVar("T")


def parse_pair(text: str, kind: Callable[[str], T]) -> tuple[T, T]:
    try:
        a, b = text.replace("x", ",").split(",")
        return kind(a), kind(b)
    except ValueError:
        raise argparse.ArgumentTypeError("expected two values like 320x240 or -0.74,0.13")


def views(
    frames: int, target: tuple[float, float], start_scale: float, zoom: float
) -> Iterator[tuple[float, float, float]]:
    """(center_x, center_y, scale) of each frame: the center glides from
    the whole set towards the target while the scale shrinks by `zoom`."""
    start = (-0.5, 0.0)
    for frame in range(frames):
        # the first frames move the center, the zoom then follows it
        t = min(1.0, frame / max(1.0, frames * 0.25))
        t = t * t * (3 - 2 * t)
        center = (start[0] + (target[0] - start[0]) * t,
                  start[1] + (target[1] - start[1]) * t)
        yield center[0], center[1], start_scale * zoom ** frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", type=int, help="device index (default: the best device)")
    parser.add_argument("--output", default="mandelbrot_zoom.gif", help="GIF path (default: %(default)s)")
    parser.add_argument("--size", default=(320, 240), type=lambda s: parse_pair(s, int),
                        help="WIDTHxHEIGHT (default: 320x240)")
    parser.add_argument("--frames", type=int, default=48, help="frames (default: %(default)s)")
    parser.add_argument("--iterations", type=int, default=256, help="max iterations per pixel")
    parser.add_argument("--target", default=(-0.743643887, 0.131825904),
                        type=lambda s: parse_pair(s, float), help="X,Y point to zoom into")
    parser.add_argument("--scale", type=float, default=3.0, help="width of the first view")
    parser.add_argument("--zoom", type=float, default=0.9, help="scale factor per frame (default: 0.9)")
    parser.add_argument("--fps", type=float, default=20, help="GIF frame rate")
    args = parser.parse_args(argv)
    width, height = args.size
    if min(width, height, args.frames, args.iterations) <= 0 or not 0 < args.zoom <= 1:
        parser.error("size, frames and iterations must be positive, 0 < zoom <= 1")
    if args.scale * args.zoom ** (args.frames - 1) / width < 1e-7:
        print("warning: the last frames go past float precision", file=sys.stderr)
    try:
        from PIL import Image
    except ImportError:
        sys.exit("this example writes the GIF with Pillow: pip install pillow")

    if args.device is not None:
        compushady.set_current_device(args.device)
    device = compushady.get_current_device()
    print("device: {0} ({1})".format(
        device.name, "hardware" if device.is_hardware else "software, no GPU"))

    t0 = time.perf_counter()
    frame_size = width * height * 4
    image = Buffer(frame_size, HEAP_DEFAULT, stride=4)
    frames = Buffer(frame_size * args.frames, HEAP_READBACK)
    compute = Compute(hlsl.compile(SHADER), uav=[image], push_size=24)
    t_setup = time.perf_counter() - t0

    t0 = time.perf_counter()
    for index, (x, y, scale) in enumerate(views(args.frames, args.target, args.scale, args.zoom)):
        push = struct.pack("<IIIfff", width, height, args.iterations, scale, x, y)
        compute.dispatch(math.ceil(width / 8), math.ceil(height / 8), 1, push=push)
        image.copy_to(frames, dst_offset=index * frame_size)
        print("\rframe {0}/{1}".format(index + 1, args.frames), end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    t_gpu = time.perf_counter() - t0

    t0 = time.perf_counter()
    pixels = frames.readback()
    images = [
        Image.frombuffer("RGBA", (width, height), pixels[i * frame_size:(i + 1) * frame_size],
                         "raw", "RGBA", 0, 1).convert("RGB")
        for i in range(args.frames)
    ]
    images[0].save(args.output, save_all=True, append_images=images[1:],
                   duration=int(1000 / args.fps), loop=0)
    t_gif = time.perf_counter() - t0

    print("frames: {0} of {1}x{2}, {3} iterations max".format(args.frames, width, height, args.iterations))
    print("setup    {0:8.1f} ms  (compile, buffers, Compute)".format(t_setup * 1e3))
    print("gpu      {0:8.1f} ms  ({1:.1f} ms a frame)".format(t_gpu * 1e3, t_gpu * 1e3 / args.frames))
    print("gif      {0:8.1f} ms".format(t_gif * 1e3))
    print("wrote", os.path.abspath(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Blur an image and find its edges on the GPU (HLSL compute on textures).

    python3 examples/image_filter.py [input.png] [--output-dir DIR]
                                     [--radius 2] [--device N]

The image is loaded with compushady.utils.load_image (Pillow), uploaded into
a Texture2D (R8G8B8A8_UNORM) and filtered by two compute shaders that read it
as a Texture2D SRV and write a RWTexture2D UAV:
  - a box blur of (2*radius+1)^2 texels (edges clamped),
  - a Sobel edge filter on the luminance.
Writes <name>_blur.png and <name>_edges.png. Without an input it first
writes a small test image (shapes and a gradient) and filters that.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import compushady
from compushady import HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute, Texture2D
from compushady.formats import R8G8B8A8_UNORM
from compushady.shaders import hlsl
from compushady.utils import load_image

BLUR = """
Texture2D<float4> source : register(t0);
RWTexture2D<float4> target : register(u0);
struct Params { int radius; };
[[vk::push_constant]] ConstantBuffer<Params> params;

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint width, height;
    source.GetDimensions(width, height);
    if (tid.x >= width || tid.y >= height)
        return;
    float4 sum = float4(0, 0, 0, 0);
    for (int dy = -params.radius; dy <= params.radius; dy++)
        for (int dx = -params.radius; dx <= params.radius; dx++)
        {
            int2 at = clamp(int2(tid.xy) + int2(dx, dy), int2(0, 0), int2(width - 1, height - 1));
            sum += source.Load(int3(at, 0));
        }
    float side = 2 * params.radius + 1;
    target[tid.xy] = sum / (side * side);
}
"""

EDGES = """
Texture2D<float4> source : register(t0);
RWTexture2D<float4> target : register(u0);

float luma(int2 at, uint width, uint height)
{
    at = clamp(at, int2(0, 0), int2(width - 1, height - 1));
    return dot(source.Load(int3(at, 0)).rgb, float3(0.299, 0.587, 0.114));
}

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint width, height;
    source.GetDimensions(width, height);
    if (tid.x >= width || tid.y >= height)
        return;
    int2 p = int2(tid.xy);
    float l[3][3];
    for (int y = 0; y < 3; y++)
        for (int x = 0; x < 3; x++)
            l[y][x] = luma(p + int2(x - 1, y - 1), width, height);
    float gx = (l[0][2] + 2 * l[1][2] + l[2][2]) - (l[0][0] + 2 * l[1][0] + l[2][0]);
    float gy = (l[2][0] + 2 * l[2][1] + l[2][2]) - (l[0][0] + 2 * l[0][1] + l[0][2]);
    float g = saturate(sqrt(gx * gx + gy * gy) / 4.0);
    target[tid.xy] = float4(g, g, g, 1);
}
"""


def make_test_image(path: str, width: int = 160, height: int = 120) -> None:
    """A small RGB test picture: a gradient, a white square, a red disc."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // (width - 1) // 2, 40, y * 255 // (height - 1) // 2)
                   for y in range(height) for x in range(width)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 59, 59), fill=(255, 255, 255))
    draw.ellipse((90, 40, 139, 89), fill=(230, 30, 30))
    image.save(path)


def save_png(path: str, rgba: bytes, width: int, height: int) -> None:
    from PIL import Image

    Image.frombytes("RGBA", (width, height), rgba).save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", nargs="?", help="image to filter (default: a generated test image)")
    parser.add_argument("--output-dir", default=".", help="where the PNGs go (default: .)")
    parser.add_argument("--radius", type=int, default=2, help="blur radius in texels (default: 2)")
    parser.add_argument("--device", type=int, help="device index (default: the best device)")
    args = parser.parse_args(argv)
    if not 0 <= args.radius <= 32:
        parser.error("--radius must be between 0 and 32")
    try:
        import PIL  # noqa: F401  (load_image needs it too)
    except ImportError:
        sys.exit("this example loads and writes images with Pillow: pip install pillow")

    os.makedirs(args.output_dir, exist_ok=True)
    path = args.input
    if path is None:
        path = os.path.join(args.output_dir, "test_image.png")
        make_test_image(path)
        print("wrote a test image:", path)
    name = os.path.splitext(os.path.basename(path))[0]

    if args.device is not None:
        compushady.set_current_device(args.device)
    print("device:", compushady.get_current_device().name)

    rgba, width, height = load_image(path)
    print("image: {0} ({1}x{2})".format(path, width, height))

    t0 = time.perf_counter()
    source = Texture2D(width, height, R8G8B8A8_UNORM)
    staging = Buffer(source.size, HEAP_UPLOAD)
    staging.upload2d(rgba, source.row_pitch, width, height, 4)
    staging.copy_to(source)
    target = Texture2D(width, height, R8G8B8A8_UNORM)
    readback = Buffer(target.size, HEAP_READBACK)
    groups = ((width + 7) // 8, (height + 7) // 8, 1)

    outputs = {}
    for kind, shader, push in (("blur", BLUR, args.radius.to_bytes(4, "little")),
                               ("edges", EDGES, None)):
        compute = Compute(hlsl.compile(shader), srv=[source], uav=[target],
                          push_size=4 if push else 0)
        compute.dispatch(*groups, push=push)
        target.copy_to(readback)
        outputs[kind] = readback.readback2d(target.row_pitch, width, height, 4)
    elapsed = time.perf_counter() - t0

    for kind, pixels in outputs.items():
        out = os.path.join(args.output_dir, "{0}_{1}.png".format(name, kind))
        save_png(out, pixels, width, height)
        print("wrote", out)
    print("gpu work (compile, upload, 2 filters, readback): {0:.1f} ms".format(elapsed * 1e3))
    return 0


if __name__ == "__main__":
    sys.exit(main())

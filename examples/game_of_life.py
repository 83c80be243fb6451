#!/usr/bin/env python3
"""Conway's Game of Life on the GPU.

    python3 examples/game_of_life.py [--headless] [--size 96x64]
        [--generations 64] [--scale 4] [--output life.png] [--gif life.gif]

The grid lives on a torus in two RWStructuredBuffer<uint> that one compute
shader steps alternately (A -> B, B -> A); a second shader draws the cells
into a RWTexture2D (`scale` pixels a cell).

With a display and the `glfw` module, the generations are shown in a window
through compushady's Swapchain (close it or press Escape to stop). Headless
(--headless, no DISPLAY/WAYLAND_DISPLAY, no glfw, or no Swapchain in this
build): runs --generations steps from a known start (a glider and a
blinker), checks that the glider moved by (1, 1) every 4 generations and
that the blinker oscillates, prints the result, and writes the last
generation as a PNG (and every generation as a GIF with --gif, Pillow).
Exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import zlib
from typing import Any, Iterable, Tuple

import compushady
from compushady import HEAP_DEFAULT, HEAP_READBACK, HEAP_UPLOAD, Buffer, Compute, Texture2D
from compushady.formats import B8G8R8A8_UNORM, R8G8B8A8_UNORM
from compushady.shaders import hlsl

STEP = """
RWStructuredBuffer<uint> current : register(u0);
RWStructuredBuffer<uint> next : register(u1);
struct Grid { uint width; uint height; };
[[vk::push_constant]] ConstantBuffer<Grid> grid;

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    if (tid.x >= grid.width || tid.y >= grid.height)
        return;
    uint neighbours = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
        {
            if (dx == 0 && dy == 0)
                continue;
            uint x = (tid.x + grid.width + dx) % grid.width;
            uint y = (tid.y + grid.height + dy) % grid.height;
            neighbours += current[y * grid.width + x];
        }
    uint alive = current[tid.y * grid.width + tid.x];
    next[tid.y * grid.width + tid.x] = (neighbours == 3 || (alive == 1 && neighbours == 2)) ? 1 : 0;
}
"""

DRAW = """
RWStructuredBuffer<uint> cells : register(u0);
RWTexture2D<float4> target : register(u1);
struct Grid { uint width; uint height; uint scale; };
[[vk::push_constant]] ConstantBuffer<Grid> grid;

[numthreads(8, 8, 1)]
void main(uint3 tid : SV_DispatchThreadID)
{
    uint2 cell = tid.xy / grid.scale;
    if (cell.x >= grid.width || cell.y >= grid.height)
        return;
    bool alive = cells[cell.y * grid.width + cell.x] != 0;
    // a dark grid line on each cell's top-left border when cells are big
    bool border = grid.scale >= 4 && (tid.x % grid.scale == 0 || tid.y % grid.scale == 0);
    float3 color = alive ? float3(0.95, 0.85, 0.2) : float3(0.05, 0.07, 0.12);
    if (border)
        color *= 0.6;
    target[tid.xy] = float4(color, 1);
}
"""

GLIDER = [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)]  # moves by (+1, +1) every 4 generations
BLINKER = [(0, 0), (1, 0), (2, 0)]  # horizontal, then vertical, period 2

Cell = Tuple[int, int]  # (x, y)


class Life:
    def __init__(self, width: int, height: int, scale: int, image_format: int = R8G8B8A8_UNORM) -> None:
        self.width, self.height, self.scale = width, height, scale
        size = width * height * 4
        self.cells = [Buffer(size, HEAP_DEFAULT, stride=4) for _ in range(2)]
        self.staging = Buffer(size, HEAP_UPLOAD)
        self.readback = Buffer(size, HEAP_READBACK)
        step = hlsl.compile(STEP)
        self.steps = [Compute(step, uav=[self.cells[0], self.cells[1]], push_size=8),
                      Compute(step, uav=[self.cells[1], self.cells[0]], push_size=8)]
        self.image = Texture2D(width * scale, height * scale, image_format)
        draw = hlsl.compile(DRAW)
        self.draws = [Compute(draw, uav=[cells, self.image], push_size=12) for cells in self.cells]
        self.image_readback = Buffer(self.image.size, HEAP_READBACK)
        self.current = 0  # index of the buffer holding the current generation
        self.generation = 0

    def set_cells(self, alive: Iterable[Cell]) -> None:
        data = bytearray(self.width * self.height * 4)
        for x, y in alive:
            struct.pack_into("<I", data, ((y % self.height) * self.width + x % self.width) * 4, 1)
        self.staging.upload(data)
        self.staging.copy_to(self.cells[0])
        self.current, self.generation = 0, 0

    def step(self, count: int = 1) -> None:
        push = struct.pack("<II", self.width, self.height)
        groups = ((self.width + 7) // 8, (self.height + 7) // 8, 1)
        for _ in range(count):
            self.steps[self.current].dispatch(*groups, push=push)
            self.current ^= 1
            self.generation += 1

    def alive(self) -> set[Cell]:
        """The set of live cells (x, y) of the current generation."""
        self.cells[self.current].copy_to(self.readback)
        values = struct.unpack("<{0}I".format(self.width * self.height), self.readback.readback())
        return {(i % self.width, i // self.width) for i, v in enumerate(values) if v}

    def draw(self) -> Texture2D:
        """Draws the current generation into self.image (on the GPU)."""
        push = struct.pack("<III", self.width, self.height, self.scale)
        self.draws[self.current].dispatch((self.image.width + 7) // 8, (self.image.height + 7) // 8, 1,
                                          push=push)
        return self.image

    def rgba(self) -> bytes:
        """The drawn image as packed RGBA8 rows."""
        self.draw().copy_to(self.image_readback)
        return self.image_readback.readback2d(self.image.row_pitch, self.image.width,
                                              self.image.height, 4)


def shifted(cells: Iterable[Cell], dx: int, dy: int, origin: Cell, width: int, height: int) -> set[Cell]:
    return {((origin[0] + x + dx) % width, (origin[1] + y + dy) % height) for x, y in cells}


def write_png(path: str, width: int, height: int, rgba: bytes) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride:(y + 1) * stride] for y in range(height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def run_headless(args: argparse.Namespace) -> int:
    width, height = args.size
    life = Life(width, height, args.scale)
    glider_at, blinker_at = (2, 2), (width // 2 - 1, min(height - 2, height // 2 + width // 4))
    life.set_cells(shifted(GLIDER, 0, 0, glider_at, width, height)
                   | shifted(BLINKER, 0, 0, blinker_at, width, height))
    frames = []
    if args.gif:
        frames.append(life.rgba())
    for _ in range(args.generations):
        life.step()
        if args.gif:
            frames.append(life.rgba())
        if args.generations >= 20 and life.generation % max(1, args.generations // 20) == 0:
            print("\rgeneration {0}/{1}".format(life.generation, args.generations),
                  end="", file=sys.stderr, flush=True)
    if args.generations >= 20:
        print(file=sys.stderr)

    n = args.generations
    alive = life.alive()
    moves = n // 4
    blinker = BLINKER if n % 2 == 0 else [(1, -1), (1, 0), (1, 1)]
    glider_phase: Iterable[Cell] = GLIDER
    if n % 4:
        # compare only whole periods: step a CPU copy of the phase
        glider_phase = cpu_steps(GLIDER, n % 4)
    expected_glider = shifted(glider_phase, moves, moves, glider_at, width, height)
    expected_blinker = shifted(blinker, 0, 0, blinker_at, width, height)
    glider_ok = expected_glider <= alive
    blinker_ok = expected_blinker <= alive
    others = alive - expected_glider - expected_blinker
    print("grid {0}x{1}, {2} generations, {3} live cells".format(width, height, n, len(alive)))
    print("glider: started at {0}, expected moved by ({1}, {1}): {2}".format(
        glider_at, moves, "OK" if glider_ok else "FAILED"))
    print("blinker at {0}: {1} after {2} generations: {3}".format(
        blinker_at, "horizontal" if n % 2 == 0 else "vertical", n, "OK" if blinker_ok else "FAILED"))
    if others:
        print("unexpected live cells:", sorted(others)[:10])

    write_png(args.output, life.image.width, life.image.height, life.rgba())
    print("wrote", os.path.abspath(args.output))
    if args.gif:
        try:
            from PIL import Image
        except ImportError:
            print("--gif needs Pillow (pip install pillow); no GIF written", file=sys.stderr)
        else:
            images = [Image.frombytes("RGBA", (life.image.width, life.image.height), f).convert("RGB")
                      for f in frames]
            images[0].save(args.gif, save_all=True, append_images=images[1:], duration=80, loop=0)
            print("wrote", os.path.abspath(args.gif))
    return 0 if glider_ok and blinker_ok and not others else 1


def cpu_steps(cells: Iterable[Cell], count: int) -> set[Cell]:
    """Steps a small pattern on an unbounded grid (for the glider's phase)."""
    cells = set(cells)
    for _ in range(count):
        counts: dict[Cell, int] = {}
        for x, y in cells:
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    if dx or dy:
                        counts[(x + dx, y + dy)] = counts.get((x + dx, y + dy), 0) + 1
        cells = {c for c, k in counts.items() if k == 3 or (k == 2 and c in cells)}
    return cells


def run_window(args: argparse.Namespace, glfw: Any) -> int | None:
    """Shows the generations in a GLFW window; returns None when this build
    cannot present (the caller falls back to headless)."""
    width, height = args.size
    if not glfw.init():
        return None
    try:
        glfw.window_hint(glfw.CLIENT_API, glfw.NO_API)
        glfw.window_hint(glfw.RESIZABLE, glfw.FALSE)
        window = glfw.create_window(width * args.scale, height * args.scale,
                                    "compushady: Game of Life", None, None)
        if not window:
            return None
        try:
            from compushady.utils import create_swapchain_from_glfw

            swapchain = create_swapchain_from_glfw(window, B8G8R8A8_UNORM)
        except NotImplementedError as error:
            print("no window: {0}; running headless".format(error), file=sys.stderr)
            glfw.destroy_window(window)
            return None
        life = Life(width, height, args.scale, B8G8R8A8_UNORM)
        import random

        rng = random.Random(args.seed)
        life.set_cells({(x, y) for x in range(width) for y in range(height) if rng.random() < 0.3})
        while not glfw.window_should_close(window):
            glfw.poll_events()
            if glfw.get_key(window, glfw.KEY_ESCAPE) == glfw.PRESS:
                break
            life.step()
            swapchain.present(life.draw())
        del swapchain
        glfw.destroy_window(window)
        print("{0} generations shown".format(life.generation))
        return 0
    finally:
        glfw.terminate()


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected WIDTHxHEIGHT, e.g. 96x64")
    if w < 16 or h < 16:
        raise argparse.ArgumentTypeError("the grid must be at least 16x16")
    return w, h


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--headless", action="store_true", help="no window: run, check, write a PNG")
    parser.add_argument("--size", type=parse_size, default=(96, 64), help="grid WIDTHxHEIGHT (default: 96x64)")
    parser.add_argument("--generations", type=int, default=64, help="headless generations (default: 64)")
    parser.add_argument("--scale", type=int, default=4, help="pixels per cell (default: 4)")
    parser.add_argument("--output", default="life.png", help="headless PNG (default: %(default)s)")
    parser.add_argument("--gif", help="headless: also write every generation to this GIF (Pillow)")
    parser.add_argument("--seed", type=int, default=1, help="window mode: random start seed")
    parser.add_argument("--device", type=int, help="device index (default: the best device)")
    args = parser.parse_args(argv)
    if args.generations < 0 or not 1 <= args.scale <= 64:
        parser.error("--generations must be >= 0 and --scale between 1 and 64")
    if args.device is not None:
        compushady.set_current_device(args.device)
    print("device:", compushady.get_current_device().name)

    if not args.headless and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        try:
            import glfw
        except ImportError:
            print("no glfw module (pip install glfw): running headless", file=sys.stderr)
        else:
            result = run_window(args, glfw)
            if result is not None:
                return result
    return run_headless(args)


if __name__ == "__main__":
    sys.exit(main())

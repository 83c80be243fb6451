"""The examples run, and the README shows them as they are."""
import os
import struct
import subprocess
import sys
import zlib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")


def run_example(*args, env=None):
    env = dict(os.environ, COMPUSHADY_DEBUG="1", **(env or {}))
    return subprocess.run([sys.executable, *args], capture_output=True,
                          text=True, env=env, timeout=120, check=True)


def test_quickstart_squares_on_the_device():
    result = run_example(os.path.join(EXAMPLES, "quickstart.py"))
    assert "(0, 1, 4, 9, 16, 25, 36, 49)" in result.stdout
    assert "Validation" not in result.stdout + result.stderr


def read_png(path):
    with open(path, "rb") as png:
        data = png.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    return header, zlib.decompress(idat)


def test_mandelbrot_demo_writes_the_set(tmp_path):
    output = tmp_path / "m.png"
    result = run_example(os.path.join(EXAMPLES, "mandelbrot.py"),
                         "--size", "64x48", "--output", str(output))
    assert "device:" in result.stdout and "dispatch" in result.stdout
    (width, height, depth, color, _, _, _), pixels = read_png(output)
    assert (width, height, depth) == (64, 48, 8)
    channels = {2: 3, 6: 4}[color]
    row = 1 + width * channels
    assert len(pixels) == row * height

    def pixel(x, y):
        start = y * row + 1 + x * channels
        return pixels[start:start + 3]

    # the main cardioid (c = -0.2) never escapes: black; the far corner
    # escapes at once: not black
    assert pixel(int(64 * (0.3 / 3.0 + 0.5)), 24) == b"\0\0\0"
    assert pixel(0, 0) != b"\0\0\0"


def test_readme_shows_the_examples_verbatim():
    with open(os.path.join(ROOT, "README.md")) as readme:
        text = readme.read()
    for name in ("quickstart.py", os.path.join("c", "quickstart.c")):
        with open(os.path.join(EXAMPLES, name)) as example:
            assert example.read().strip() in text, f"README lacks {name}"


def test_mandelbrot_gif_zooms_in(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    output = tmp_path / "zoom.gif"
    result = run_example(os.path.join(EXAMPLES, "mandelbrot_gif.py"), "--size", "48x32",
                         "--frames", "4", "--zoom", "0.5", "--iterations", "64",
                         "--output", str(output))
    assert "frames: 4 of 48x32" in result.stdout
    assert "Validation" not in result.stdout + result.stderr
    with Image.open(output) as gif:
        assert gif.format == "GIF" and gif.size == (48, 32) and gif.n_frames == 4
        frames = []
        for index in range(4):
            gif.seek(index)
            frames.append(gif.convert("RGB"))
    # frame 0 shows the whole set: c = -0.2 (main cardioid) is black, the
    # corner (c = -2.24 - 1i) is not
    scale, center = 3.0, -0.5  # the first view, before the center glides
    x = int(48 / 2 + (-0.2 - center) * 48 / scale)
    assert frames[0].getpixel((x, 16)) == (0, 0, 0)
    assert frames[0].getpixel((0, 0)) != (0, 0, 0)
    # every frame is a different view
    assert len({frame.tobytes() for frame in frames}) == 4


def test_image_filter_blurs_and_finds_edges(tmp_path):
    numpy = pytest.importorskip("numpy")
    Image = pytest.importorskip("PIL.Image")
    # a 24x16 black image with a white 8x8 square at (8, 4)
    source = numpy.zeros((16, 24, 3), dtype=numpy.uint8)
    source[4:12, 8:16] = 255
    Image.fromarray(source).save(tmp_path / "square.png")
    result = run_example(os.path.join(EXAMPLES, "image_filter.py"), str(tmp_path / "square.png"),
                         "--radius", "1", "--output-dir", str(tmp_path))
    assert "Validation" not in result.stdout + result.stderr
    blur = numpy.asarray(Image.open(tmp_path / "square_blur.png").convert("RGBA")).astype(float)
    edges = numpy.asarray(Image.open(tmp_path / "square_edges.png").convert("RGBA")).astype(float)
    assert blur.shape == edges.shape == (16, 24, 4)
    # the reference box blur, edges clamped
    padded = numpy.pad(source.astype(float), ((1, 1), (1, 1), (0, 0)), mode="edge")
    expected = sum(padded[dy:dy + 16, dx:dx + 24] for dy in range(3) for dx in range(3)) / 9
    assert numpy.abs(blur[..., :3] - expected).max() <= 1.0
    assert (blur[..., 3] == 255).all()
    # Sobel: nothing inside the square or far from it, strong on its border
    assert (edges[6:10, 10:14, :3] == 0).all() and (edges[0:2, 0:4, :3] == 0).all()
    assert (edges[4, 9:15, 0] >= 250).all() and (edges[5:11, 8, 0] >= 250).all()


def test_image_filter_makes_its_own_test_image(tmp_path):
    pytest.importorskip("PIL")
    result = run_example(os.path.join(EXAMPLES, "image_filter.py"), "--output-dir", str(tmp_path))
    assert "wrote a test image" in result.stdout
    for name in ("test_image.png", "test_image_blur.png", "test_image_edges.png"):
        assert (tmp_path / name).stat().st_size > 100


def test_numpy_interop_matches_numpy():
    pytest.importorskip("numpy")
    result = run_example(os.path.join(EXAMPLES, "numpy_interop.py"), "--n", "300001",
                         "--matrix", "19x33x10")
    assert "sum of 300001 floats" in result.stdout and "3 passes" in result.stdout
    assert "matmul 19x33 @ 33x10" in result.stdout
    assert "OK: both match numpy" in result.stdout
    assert "Validation" not in result.stdout + result.stderr


def test_game_of_life_glider_and_blinker(tmp_path):
    output = tmp_path / "life.png"
    # cells of 2x2 pixels: the check below reads the pixel (2x+1, 2y+1)
    env_display = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = run_example(os.path.join(EXAMPLES, "game_of_life.py"), "--size", "32x24",
                         "--generations", "10", "--scale", "2", "--output", str(output),
                         env=env_display)
    assert "glider: started at (2, 2), expected moved by (2, 2): OK" in result.stdout
    assert "blinker at (15, 20): horizontal after 10 generations: OK" in result.stdout
    assert "unexpected" not in result.stdout
    (width, height, depth, color, _, _, _), pixels = read_png(output)
    assert (width, height) == (64, 48) and color == 6
    row = 1 + width * 4

    def alive(x, y):  # the center pixel of cell (x, y) is yellow when alive
        start = (2 * y + 1) * row + 1 + (2 * x + 1) * 4
        return pixels[start] > 200 and pixels[start + 2] < 100

    cells = {(x, y) for x in range(32) for y in range(24) if alive(x, y)}
    # after 10 generations: the glider (2 phases on) moved by (2, 2) from
    # (2, 2), the blinker is horizontal again
    glider = {(x + 4, y + 4) for x, y in [(2, 1), (0, 2), (2, 2), (1, 3), (2, 3)]}
    assert cells == glider | {(15, 20), (16, 20), (17, 20)}


def test_game_of_life_odd_generations_and_gif(tmp_path):
    pytest.importorskip("PIL")
    from PIL import Image

    result = run_example(os.path.join(EXAMPLES, "game_of_life.py"), "--headless", "--size", "16x16",
                         "--generations", "5", "--scale", "1", "--output", str(tmp_path / "l.png"),
                         "--gif", str(tmp_path / "l.gif"))
    assert "vertical after 5 generations: OK" in result.stdout
    with Image.open(tmp_path / "l.gif") as gif:
        assert gif.n_frames == 6 and gif.size == (16, 16)

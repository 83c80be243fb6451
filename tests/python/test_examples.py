"""The examples run, and the README shows them as they are."""
import os
import struct
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")


def run_example(*args):
    env = dict(os.environ, COMPUSHADY_DEBUG="1")
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

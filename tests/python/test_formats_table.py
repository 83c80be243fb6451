"""One list of formats (CS_FORMAT_LIST, include/compushady_formats.h):
compushady.formats is generated from it (scripts/gen_formats.py) and agrees
with the native library, which expands the same list; values outside it
are unknown everywhere."""

import os
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from compushady import _native, formats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import gen_formats  # noqa: E402

sys.path.pop(0)


def test_formats_py_is_generated_from_the_list():
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "gen_formats.py"), "--check"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_list_and_the_module_agree():
    rows = gen_formats.read_formats()
    assert [name for name, _, _ in rows] == list(formats.FORMAT_NAMES.values())
    for name, value, size in rows:
        assert getattr(formats, name) == value
        assert formats.get_pixel_size(value) == size
        assert formats.get_format_name(value) == name
        # the native library expands the same list
        assert _native.format_texel_size(value) == size
        assert _native.format_name(value) == name
    assert len({value for _, value, _ in rows}) == len(rows)


def test_a_changed_list_gives_a_changed_module(tmp_path):
    """the generator reads what the header says (a new row appears)"""
    header = tmp_path / "compushady_formats.h"
    with open(gen_formats.HEADER) as original:
        text = original.read()
    extra = "    X(R9_TEST, 250, 3, UINT, 1, R8_UINT, Unknown, R8UI) \\\n"
    marker = "#define CS_FORMAT_LIST(X) \\\n"
    header.write_text(text.replace(marker, marker + extra))
    rows = gen_formats.read_formats(str(header))
    assert ("R9_TEST", 250, 3) in rows
    assert "R9_TEST = 250" in gen_formats.render(rows)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_values_outside_the_list_are_unknown(value):
    known = value in formats.PIXEL_SIZES
    assert (_native.format_texel_size(value) != 0) == known
    assert (_native.format_name(value) is not None) == known

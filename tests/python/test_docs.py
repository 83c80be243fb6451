"""The documentation stays true: the generated API reference matches the
code (scripts/gen_reference.py --check), names every public Python name and
every C function, and the examples of docs/conventions.md run and check
what they read back from the device."""

import os
import re
import subprocess
import sys
import types

import pytest

import compushady

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
GENERATOR = os.path.join(ROOT, "scripts", "gen_reference.py")


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def test_reference_is_up_to_date():
    result = subprocess.run(
        [sys.executable, GENERATOR, "--check"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert result.returncode == 0, (
        "docs/reference-*.md are stale; run `python scripts/gen_reference.py` "
        "and commit the result:\n" + result.stdout[-6000:]
    )


def public_python_names():
    names = getattr(compushady, "__all__", None)
    if names is None:
        names = [
            name
            for name, value in vars(compushady).items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType)
        ]
    return sorted(names)


def test_every_public_python_name_is_documented():
    reference = read("docs", "reference-python.md")
    missing = [
        name for name in public_python_names() if "`{0}`".format(name) not in reference
        and "`{0}(".format(name) not in reference
    ]
    assert not missing, "not in docs/reference-python.md: {0}".format(missing)


def test_every_c_function_is_documented():
    header = re.sub(r"/\*.*?\*/", " ", read("include", "compushady.h"), flags=re.S)
    header = re.sub(r"(?m)^\s*#.*$", " ", header)  # #define CS_API ...
    functions = sorted(set(re.findall(r"CS_API\b[^;(]*?\b(\w+)\s*\(", header)))
    assert len(functions) > 50
    reference = read("docs", "reference-c.md")
    missing = [name for name in functions if "### `{0}`".format(name) not in reference]
    assert not missing, "not in docs/reference-c.md: {0}".format(missing)


def test_check_fails_on_a_stale_reference(tmp_path):
    # the generator's --check compares with the files in docs/: a changed
    # copy of the repository's header must make it fail with a diff
    sys.path.insert(0, os.path.dirname(GENERATOR))
    try:
        import gen_reference
    finally:
        sys.path.pop(0)
    header = read("include", "compushady.h").replace(
        "/* The backend's name (\"vulkan\"). */",
        "/* The backend's name (\"vulkan\"), changed. */",
    )
    text = gen_reference.render_c(header)
    assert "changed." in text and text != read("docs", "reference-c.md")


# >>docs/conventions.md examples ----------------------------------------------

# a fenced python block preceded by this line is run by the test below
MARKER = "<!-- tested -->"


def example_blocks(name):
    text = read("docs", name)
    pattern = re.compile(
        re.escape(MARKER) + r"\s*\n```python\n(.*?)\n```", re.S
    )
    return [
        # (line of the block's first code line, code)
        (text[: m.start()].count("\n") + 3, m.group(1)) for m in pattern.finditer(text)
    ]


CONVENTION_BLOCKS = example_blocks("conventions.md")


def test_conventions_has_tested_examples():
    assert len(CONVENTION_BLOCKS) >= 5


@pytest.mark.parametrize(
    "line, code", CONVENTION_BLOCKS, ids=["line{0}".format(l) for l, _ in CONVENTION_BLOCKS]
)
def test_conventions_example(line, code):
    assert "assert " in code, "each example checks what it reads back"
    # padded so tracebacks show the line numbers of docs/conventions.md
    source = "\n" * (line - 1) + code
    exec(compile(source, os.path.join(DOCS, "conventions.md"), "exec"), {"__name__": "docs_example"})


def test_readme_links_the_documentation():
    readme = read("README.md")
    for page in ("docs/reference-python.md", "docs/reference-c.md", "docs/migrating.md",
                 "docs/conventions.md"):
        assert "({0})".format(page) in readme, page

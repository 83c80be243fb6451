"""The #include lines of the C sources keep the layers one-way (no include
cycle between the core and the shader part):

- src/platform: the bottom (threads, files, clocks, libraries: posix.c and
  win32.c); includes only itself. Every library layer above may include
  it; nothing else includes an OS header (test_no_os_headers_outside).
- src/common: below the rest; includes itself, platform and the public
  headers (include/).
- src/shader: common, the public headers and itself; never the core or a
  backend.
- src/core: common, the public headers and itself; never the shader part
  (it uses it through the public API alone) nor a backend, except the
  registry (core/backend_registry.c) reading src/backends/backends.def.
- src/backends/<name>: its own folder, core/backend.h (the core's table
  of functions), src/shader/shader.h (the SPIR-V passes a backend calls),
  common and the public headers; never another backend.
- bindings/python: the public header alone.
"""

import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root):
    for top in ("src", "bindings"):
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if name.endswith((".c", ".h", ".def")):
                    yield os.path.join(folder, name)


def resolve(root, including, target):
    """The repository path of an #include "target" of file including."""
    for base in (os.path.dirname(including), os.path.join(root, "include")):
        path = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(path):
            return os.path.relpath(path, root).replace(os.sep, "/")
    return None


def layer(path):
    """("public"|"common"|"shader"|"core"|"backend:<name>"|"bindings", path)"""
    parts = path.split("/")
    if parts[0] == "include":
        return "public"
    if parts[0] == "bindings":
        return "bindings"
    if parts[1] == "backends":
        return "backends" if len(parts) == 3 else "backend:" + parts[2]
    return parts[1]


def allowed(source, target):
    """Whether source may include target (repository paths)."""
    here, there = layer(source), layer(target)
    if here == there:
        return True
    if here == "platform":
        return False
    if there == "public" or (there == "platform" and here != "bindings"):
        return True
    if here == "shader":
        return there == "common"
    if here == "core":
        return there == "common" or (
            source == "src/core/backend_registry.c"
            and target == "src/backends/backends.def")
    if here.startswith("backend:"):
        return there == "common" or target in ("src/core/backend.h", "src/shader/shader.h")
    return False  # common, bindings: only themselves, platform and public


def violations(root):
    """["file -> included (why)"] for every include that breaks a rule."""
    found = []
    for path in sources(root):
        source = os.path.relpath(path, root).replace(os.sep, "/")
        with open(path, encoding="utf-8", errors="replace") as text:
            targets = INCLUDE.findall(text.read())
        for target in targets:
            resolved = resolve(root, path, target)
            if resolved is None:
                found.append("{0} -> {1} (not found)".format(source, target))
            elif not allowed(source, resolved):
                found.append("{0} -> {1} ({2} may not include {3})".format(
                    source, resolved, layer(source), layer(resolved)))
    return found


def test_the_sources_keep_the_layers():
    assert violations(ROOT) == []


def test_the_layers_have_no_cycle():
    """the layer graph of the includes actually present is acyclic"""
    edges = set()
    for path in sources(ROOT):
        source = os.path.relpath(path, ROOT).replace(os.sep, "/")
        with open(path, encoding="utf-8", errors="replace") as text:
            for target in INCLUDE.findall(text.read()):
                resolved = resolve(ROOT, path, target)
                if resolved and layer(resolved) != layer(source):
                    edges.add((layer(source), layer(resolved)))
    # the registry's read of backends.def is data, not a dependency
    edges.discard(("core", "backends"))
    order, visiting, done = [], set(), set()

    def visit(node):
        assert node not in visiting, "include cycle through " + node
        if node in done:
            return
        visiting.add(node)
        for a, b in edges:
            if a == node:
                visit(b)
        visiting.discard(node)
        done.add(node)
        order.append(node)

    for node in {a for a, _ in edges}:
        visit(node)
    assert ("core", "shader") not in edges and ("shader", "core") not in edges


@pytest.mark.parametrize("path, line, broken", [
    ("src/core/compute.c", '#include "../shader/shader_internal.h"', True),
    ("src/core/compute.c", '#include "../shader/shader.h"', True),
    ("src/core/compute.c", '#include "../backends/vulkan/vk_internal.h"', True),
    ("src/shader/reflect.c", '#include "../core/internal.h"', True),
    ("src/shader/reflect.c", '#include "../core/backend.h"', True),
    ("src/common/errors.c", '#include "../core/internal.h"', True),
    ("src/backends/vulkan/vk_copy.c", '#include "../../core/internal.h"', True),
    ("src/backends/vulkan/vk_copy.c", '#include "../../shader/shader_internal.h"', True),
    ("src/backends/vulkan/vk_copy.c", '#include "../other/other.h"', True),
    ("bindings/python/device.c", '#include "../../src/core/internal.h"', True),
    ("src/backends/vulkan/vk_copy.c", '#include "../../shader/shader.h"', False),
    ("src/backends/vulkan/vk_copy.c", '#include "../../common/cache.h"', False),
    ("src/core/compute.c", '#include "../common/cache.h"', False),
])
def test_the_check_catches_a_broken_rule(tmp_path, path, line, broken):
    """a copy of the tree with one include added: the check names it"""
    files = ["src/core/internal.h", "src/core/backend.h", "src/shader/shader.h",
             "src/shader/shader_internal.h", "src/common/common.h", "src/common/cache.h",
             "src/backends/vulkan/vk_internal.h", "src/other/other.h", path]
    for name in files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("")
    (tmp_path / "src/backends/other").mkdir(parents=True, exist_ok=True)
    (tmp_path / "src/backends/other/other.h").write_text("")
    (tmp_path / path).write_text(line + "\n")
    found = violations(str(tmp_path))
    assert bool(found) == broken, found
    if broken:
        assert found[0].startswith(path)


OS_HEADER = re.compile(
    r'^\s*#\s*include\s+<((?:sys|arpa|netinet|linux)/[^>]+|unistd\.h|pthread\.h|'
    r'threads\.h|dlfcn\.h|fcntl\.h|sched\.h|windows\.h|io\.h|'
    r'process\.h|direct\.h|malloc\.h)>', re.M)


def test_no_os_headers_outside():
    """Threads, files, clocks and libraries come from src/platform alone
    (issue 19): no other source includes an operating system's header."""
    found = []
    for path in sources(ROOT):
        source = os.path.relpath(path, ROOT).replace(os.sep, "/")
        if source.startswith("src/platform/"):
            continue
        with open(path, encoding="utf-8", errors="replace") as text:
            for header in OS_HEADER.findall(text.read()):
                found.append("{0} includes <{1}>".format(source, header))
    assert found == []


def test_os_header_check_catches_one(tmp_path):
    (tmp_path / "src" / "core").mkdir(parents=True)
    (tmp_path / "src" / "core" / "x.c").write_text("#include <pthread.h>\n")
    (tmp_path / "bindings").mkdir()
    with open(str(tmp_path / "src" / "core" / "x.c")) as text:
        assert OS_HEADER.findall(text.read()) == ["pthread.h"]

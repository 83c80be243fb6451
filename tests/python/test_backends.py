"""The backends come from the native library's one list
(src/backends/backends.def): KNOWN_BACKENDS, config.DEFAULT_BACKEND, one
module per backend (compushady.backends.<name>, made from one template),
selection by COMPUSHADY_BACKEND and config.set_backend, and the message
of a name this build lacks, which lists the ones it has."""

import importlib
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import compushady
import compushady.backends
import compushady.config
from compushady import _native

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_python(code, **env):
    environment = dict(os.environ)
    environment.pop("COMPUSHADY_BACKEND", None)
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_known_backends_are_the_native_list():
    assert compushady.KNOWN_BACKENDS == compushady.backends.KNOWN_BACKENDS
    assert compushady.KNOWN_BACKENDS == _native.BACKENDS
    assert len(compushady.KNOWN_BACKENDS) >= 1
    assert len(set(compushady.KNOWN_BACKENDS)) == len(compushady.KNOWN_BACKENDS)
    assert all(isinstance(name, str) and name for name in compushady.KNOWN_BACKENDS)
    assert compushady.config.DEFAULT_BACKEND == compushady.KNOWN_BACKENDS[0]


@pytest.mark.parametrize("name", compushady.KNOWN_BACKENDS)
def test_each_backend_has_its_own_module(name):
    module = importlib.import_module("compushady.backends." + name)
    assert module.__name__ == "compushady.backends." + name
    assert module.name == name
    for function in ("get_discovered_devices", "get_shader_binary_type",
                     "get_instance", "enable_debug"):
        assert callable(getattr(module, function))
    assert importlib.import_module("compushady.backends." + name) is module
    assert getattr(compushady.backends, name) is module


@pytest.mark.parametrize("name", compushady.KNOWN_BACKENDS)
def test_selected_by_environment_and_by_set_backend(name):
    code = ("import compushady\n"
            "backend = compushady.get_backend()\n"
            "print(backend.__name__, backend.name, backend.get_instance().backend_name)\n")
    expected = "compushady.backends.{0} {0} {0}".format(name)
    assert run_python(code, COMPUSHADY_BACKEND=name) == expected
    assert run_python("import compushady.config\n"
                      "compushady.config.set_backend({0!r})\n".format(name) + code) == expected


def test_the_template_is_not_a_backend():
    with pytest.raises(ImportError, match="template of the backend modules"):
        importlib.import_module("compushady.backends._native_backend")


# names no build has: any text that is not a backend compiled in
@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(
    lambda text: text not in compushady.KNOWN_BACKENDS and "\0" not in text))
def test_unknown_name_lists_the_backends_compiled_in(name):
    native_name = name.encode("utf-8", "surrogatepass")
    try:
        native_name.decode("utf-8")
    except UnicodeDecodeError:
        return  # not passable to the native library as text
    with pytest.raises(compushady.UnknownBackend) as raised:
        _native.create_instance(backend=name)
    message = str(raised.value)
    assert "unknown backend" in message
    for known in compushady.KNOWN_BACKENDS:
        assert "'{0}'".format(known) in message


# >>one line of registration: the registry built from a backends.def with a
# second backend, compiled in (flag 1) or left out (flag 0)

REGISTRY_MAIN = r"""
#include "core/backend.h"
#include <stdio.h>
#include <string.h>

const cs_backend cs_vulkan_backend = {.name = "vulkan"};
#if CS_WITH_FAKE
const cs_backend cs_fake_backend = {.name = "fake"};
#endif
static char message[512];
cs_status cs_fail(cs_status status, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    return status;
}

int main(void)
{
    for (size_t i = 0; i < cs_backend_count(); i++)
        printf("%s%s", i ? " " : "", cs_backend_name(i));
    const cs_backend *found = NULL;
    cs_status status = cs_backend_find("fake", &found);
    printf("\n%d %s\n", (int)status, status ? message : found->name);
    status = cs_backend_find("nope", &found);
    printf("%d %s\n", (int)status, message);
    return 0;
}
"""


@pytest.mark.parametrize("fake", [1, 0])
def test_a_backend_is_one_line_of_backends_def(tmp_path, fake):
    import shutil

    for folder in ("include", "src/common", "src/core", "src/platform"):
        shutil.copytree(os.path.join(ROOT, folder), str(tmp_path / folder),
                        ignore=shutil.ignore_patterns("*.c"))
    shutil.copy(os.path.join(ROOT, "src/core/backend_registry.c"),
                str(tmp_path / "src/core/backend_registry.c"))
    (tmp_path / "src/backends").mkdir()
    (tmp_path / "src/backends/backends.def").write_text(
        "CS_BACKEND(vulkan, CS_WITH_VULKAN, 1)\n"
        "CS_BACKEND(fake, CS_WITH_FAKE, 0)\n")
    (tmp_path / "main.c").write_text(REGISTRY_MAIN)
    program = str(tmp_path / "registry")
    compiled = subprocess.run(
        ["cc", "-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Werror", "-Iinclude",
         "-Isrc", "-DCS_WITH_VULKAN=1", "-DCS_WITH_FAKE={0}".format(fake),
         "main.c", "src/core/backend_registry.c", "-o", program],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert compiled.returncode == 0, compiled.stderr
    names, found, unknown = subprocess.run(
        [program], capture_output=True, text=True, timeout=60).stdout.splitlines()
    if fake:
        assert names == "vulkan fake"
        assert found == "0 fake"
        assert unknown.endswith("unknown backend 'nope'; this build has: 'vulkan', 'fake'")
    else:
        assert names == "vulkan"
        assert found.startswith("1 the backend 'fake' is not compiled into this build")
        assert found.endswith("this build has: 'vulkan'")
        assert unknown.endswith("unknown backend 'nope'; this build has: 'vulkan'")


def test_the_build_reads_backends_def():
    """the Makefile's BACKENDS default and flags, and a name it lacks"""
    show = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval",
         "show-backends: ; @echo $(strip $(BACKENDS)) / $(BACKEND_FLAGS)",
         "show-backends"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert show.returncode == 0, show.stderr
    built, flags = show.stdout.strip().split(" / ")
    import re

    with open(os.path.join(ROOT, "src/backends/backends.def")) as listing:
        rows = re.findall(r"^CS_BACKEND\((\w+), (\w+), ([01])\)", listing.read(), re.M)
    assert built.split() == [name for name, _, default in rows if default == "1"]
    assert sorted(flags.split()) == sorted(
        "-D{0}={1}".format(flag, default) for _, flag, default in rows)
    wrong = subprocess.run(
        ["make", "-s", "--no-print-directory", "BACKENDS=vulkan metal", "--eval",
         "show-backends: ; @echo $(BACKENDS)", "show-backends"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0
    assert "BACKENDS: 'metal' is not in src/backends/backends.def" in wrong.stderr

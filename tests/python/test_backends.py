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

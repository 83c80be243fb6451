"""Test setup: debug mode on before anything creates the Vulkan instance, and
every test fails when the validation layer (Vulkan) or the driver's debug
output (OpenGL) reported something during it."""

import os
import re
import tempfile

import pytest

import compushady
import compushady.config

compushady.config.set_debug(True)
# compile results and pipeline caches go to a directory of this run, never
# to the user's ~/.cache/compushady
os.environ["COMPUSHADY_CACHE_DIR"] = tempfile.mkdtemp(prefix="compushady-test-cache-")


def pytest_report_header(config):
    """the backend the suite runs on (COMPUSHADY_BACKEND, else the first
    compiled in) and its devices"""
    return "compushady backend: {0} (compiled in: {1}); device: {2}".format(
        compushady.config.wanted_backend,
        ", ".join(compushady.KNOWN_BACKENDS),
        compushady.get_current_device().name,
    )


# "<capability>: not supported by the <name> backend" (src/core/fork.c's
# answer for an entry a backend lacks), or "<capability> is not supported
# by the <name> backend" (a backend's own refusal)
_LACKS = re.compile(r"([^\n:]*?)(?::| is| are) not supported by the (\w+) backend")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that fails because the backend in use lacks a capability
    (its entry is missing: "not supported by the <name> backend") is a
    skip naming that capability, on that backend only; tests that expect
    the refusal catch it with pytest.raises and never get here."""
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or report.when != "call":
        return
    found = _LACKS.search(str(call.excinfo.value))
    if found and found.group(2).lower() == compushady.get_backend().name.lower():
        report.outcome = "skipped"
        report.longrepr = (str(item.fspath), item.location[1] or 0,
                           "Skipped: the {0} backend lacks {1}".format(
                               found.group(2), found.group(1).strip()))


def _reporter():
    """who reports the device's debug messages on the backend in use"""
    name = compushady.get_backend().name
    if name == "vulkan":
        return "the Vulkan validation layer"
    if name == "opengl":
        return "the OpenGL driver's debug output (GL_KHR_debug)"
    return "the {0} backend's debug layer".format(name)


@pytest.fixture(autouse=True)
def no_validation_messages():
    # messages left by an earlier test belong to that test, which already
    # failed for them; start clean
    compushady.get_current_device().get_debug_messages()
    yield
    messages = compushady.get_current_device().get_debug_messages()
    if messages:
        unique = list(dict.fromkeys(messages))
        pytest.fail(
            "{0} reported {1} message(s), {2} distinct:\n{3}".format(
                _reporter(), len(messages), len(unique), "\n".join(unique)
            ),
            pytrace=False,
        )

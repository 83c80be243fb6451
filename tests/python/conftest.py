"""Test setup: debug mode on before anything creates the Vulkan instance, and
every test fails when the validation layer reported something during it."""

import os
import tempfile

import pytest

import compushady
import compushady.config

compushady.config.set_debug(True)
# compile results and pipeline caches go to a directory of this run, never
# to the user's ~/.cache/compushady
os.environ["COMPUSHADY_CACHE_DIR"] = tempfile.mkdtemp(prefix="compushady-test-cache-")


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
            "the Vulkan validation layer reported {0} message(s), {1} distinct:\n"
            "{2}".format(len(messages), len(unique), "\n".join(unique)),
            pytrace=False,
        )

"""Test setup: debug mode on before anything creates the Vulkan instance, and
every test fails when the validation layer reported something during it."""

import pytest

import compushady
import compushady.config

compushady.config.set_debug(True)


@pytest.fixture(autouse=True)
def no_validation_messages():
    # messages left by an earlier test belong to that test, which already
    # failed for them; start clean
    compushady.get_current_device().get_debug_messages()
    yield
    messages = compushady.get_current_device().get_debug_messages()
    if messages:
        pytest.fail(
            "the Vulkan validation layer reported {0} message(s):\n{1}".format(
                len(messages), "\n".join(messages)
            ),
            pytrace=False,
        )

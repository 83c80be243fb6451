"""Devices: attributes, selection, caching."""

import subprocess
import sys
import os

import pytest

import compushady


class FakeDevice:
    def __init__(self, name, is_hardware, is_discrete, dedicated_video_memory):
        self.name = name
        self.is_hardware = is_hardware
        self.is_discrete = is_discrete
        self.dedicated_video_memory = dedicated_video_memory


def test_discovered_devices_cached():
    devices = compushady.get_discovered_devices()
    assert isinstance(devices, list) and len(devices) >= 1
    again = compushady.get_discovered_devices()
    assert again is devices or all(a is b for a, b in zip(again, devices))


def test_device_attributes():
    device = compushady.get_current_device()
    assert isinstance(device.name, str) and device.name
    for name in (
        "dedicated_video_memory",
        "dedicated_system_memory",
        "shared_system_memory",
        "vendor_id",
        "device_id",
    ):
        value = getattr(device, name)
        assert isinstance(value, int) and value >= 0, name
    assert isinstance(device.is_hardware, bool)
    assert isinstance(device.is_discrete, bool)
    assert device.get_debug_messages() == []


def test_lavapipe_is_not_hardware():
    for device in compushady.get_discovered_devices():
        if "llvmpipe" in device.name or "lavapipe" in device.name:
            assert device.is_hardware is False
            assert device.is_discrete is False


def test_best_device_order(monkeypatch):
    fakes = [
        FakeDevice("cpu", False, False, 0),
        FakeDevice("integrated", True, False, 1 << 30),
        FakeDevice("small discrete", True, True, 1 << 20),
        FakeDevice("big discrete", True, True, 1 << 33),
        FakeDevice("cpu with memory", False, False, 1 << 40),
    ]
    monkeypatch.delenv("COMPUSHADY_DEVICE", raising=False)
    monkeypatch.setattr(compushady, "_discovered_devices", fakes)
    assert compushady.get_best_device().name == "big discrete"
    monkeypatch.setattr(compushady, "_discovered_devices", fakes[:3])
    assert compushady.get_best_device().name == "small discrete"
    monkeypatch.setattr(compushady, "_discovered_devices", [fakes[0], fakes[4]])
    assert compushady.get_best_device().name == "cpu with memory"


def test_best_device_env(monkeypatch):
    fakes = [FakeDevice("a", False, False, 0), FakeDevice("b", True, True, 1)]
    monkeypatch.setattr(compushady, "_discovered_devices", fakes)
    monkeypatch.setenv("COMPUSHADY_DEVICE", "0")
    assert compushady.get_best_device().name == "a"
    monkeypatch.setenv("COMPUSHADY_DEVICE", "5")
    with pytest.raises(IndexError, match="COMPUSHADY_DEVICE 5 is out of range: 2 device"):
        compushady.get_best_device()
    monkeypatch.setenv("COMPUSHADY_DEVICE", "first")
    with pytest.raises(ValueError, match="COMPUSHADY_DEVICE must be a device index, got 'first'"):
        compushady.get_best_device()


def _python(code, **env):
    environment = dict(os.environ)
    environment.pop("COMPUSHADY_DEVICE", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd="/",
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compushady_device_env_subprocess():
    names = [device.name for device in compushady.get_discovered_devices()]
    for index, name in enumerate(names):
        result = _python(
            "import compushady\nprint(compushady.get_current_device().name)",
            COMPUSHADY_DEVICE=str(index),
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == name
    result = _python(
        "import compushady\ncompushady.Buffer(4)", COMPUSHADY_DEVICE=str(len(names))
    )
    assert result.returncode != 0
    assert "IndexError" in result.stderr and "out of range" in result.stderr


def test_set_current_device():
    previous = compushady.get_current_device()
    devices = compushady.get_discovered_devices()
    try:
        for index, device in enumerate(devices):
            compushady.set_current_device(index)
            assert compushady.get_current_device() is device
            buffer = compushady.Buffer(16)
            assert buffer.device is device
    finally:
        compushady.set_current_device(devices.index(previous))
    with pytest.raises(IndexError, match="device index {0} is out of range".format(len(devices))):
        compushady.set_current_device(len(devices))
    with pytest.raises(TypeError, match="device index must be a device index"):
        compushady.set_current_device("0")
    assert compushady.get_current_device() is previous


def test_explicit_device_argument():
    device = compushady.get_discovered_devices()[0]
    buffer = compushady.Buffer(64, compushady.HEAP_UPLOAD, device=device)
    assert buffer.device is device
    with pytest.raises(TypeError, match="device must be a compushady.Device"):
        compushady.Buffer(64, device="gpu0")

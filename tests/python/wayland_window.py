"""A Wayland surface shown over a whole output, from Python, through ctypes
on libwayland-client alone: a wl_surface given to weston's fullscreen shell
(zwp_fullscreen_shell_v1, described here since libwayland-client has only
the core protocol), so no wayland-scanner, header or compiled helper is
needed. Its (wl_display*, wl_surface*) go to compushady.Swapchain."""

import ctypes
import ctypes.util

c_void_p, c_char_p, c_int, c_uint32 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint32


class WlMessage(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("signature", c_char_p), ("types", ctypes.POINTER(c_void_p))]


class WlInterface(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("version", c_int),
                ("method_count", c_int), ("methods", ctypes.POINTER(WlMessage)),
                ("event_count", c_int), ("events", ctypes.POINTER(WlMessage))]


def _load():
    name = ctypes.util.find_library("wayland-client") or "libwayland-client.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.wl_display_connect.restype = c_void_p
    lib.wl_display_connect.argtypes = [c_char_p]
    lib.wl_display_disconnect.argtypes = [c_void_p]
    lib.wl_display_roundtrip.argtypes = [c_void_p]
    lib.wl_proxy_get_version.restype = c_uint32
    lib.wl_proxy_get_version.argtypes = [c_void_p]
    lib.wl_proxy_add_listener.argtypes = [c_void_p, c_void_p, c_void_p]
    lib.wl_proxy_marshal_flags.restype = c_void_p  # variadic: no argtypes
    return lib


WL = _load()
_keep = []  # what libwayland points to must outlive every proxy


def _messages(entries):
    """A wl_message array of (name, signature); the types are NULL (read
    only for events that create objects, which this interface has not)."""
    array = (WlMessage * len(entries))()
    for i, (name, signature) in enumerate(entries):
        types = (c_void_p * max(1, sum(ch.isalpha() for ch in signature)))()
        _keep.append(types)
        array[i] = WlMessage(name.encode(), signature.encode(), types)
    _keep.append(array)
    return array


FULLSCREEN_SHELL = WlInterface(
    b"zwp_fullscreen_shell_v1", 1,
    3, _messages([("release", ""), ("present_surface", "?ou?o"),
                  ("present_surface_for_mode", "ooin")]),
    1, _messages([("capability", "u")]))

GLOBAL = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_uint32, c_char_p, c_uint32)
GLOBAL_REMOVE = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_uint32)
CAPABILITY = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_uint32)


def _request(proxy, opcode, interface, *args, version=None):
    """wl_proxy_marshal_flags: sends a request; returns the new proxy of a
    request that creates one (interface given), of the version given
    (default: the proxy's own)."""
    if version is None:
        version = WL.wl_proxy_get_version(c_void_p(proxy))
    return WL.wl_proxy_marshal_flags(
        c_void_p(proxy), c_uint32(opcode),
        ctypes.byref(interface) if interface is not None else None,
        c_uint32(version), c_uint32(0), *args)


class FullscreenSurface:
    """A wl_surface shown over the output by the compositor of
    WAYLAND_DISPLAY (weston --shell=fullscreen-shell.so)."""

    def __init__(self):
        if WL is None:
            raise OSError("libwayland-client is not installed")
        self.display = WL.wl_display_connect(None)
        if not self.display:
            raise OSError("cannot connect to the Wayland compositor")
        core = {name: WlInterface.in_dll(WL, name + "_interface")
                for name in ("wl_registry", "wl_compositor", "wl_surface")}
        self.globals = {}
        self._callbacks = []
        registry = _request(self.display, 1, core["wl_registry"], None)  # get_registry
        self._listen(registry, [GLOBAL(self._on_global), GLOBAL_REMOVE(lambda *args: None)])
        self.roundtrip()
        for needed in ("wl_compositor", "zwp_fullscreen_shell_v1"):
            if needed not in self.globals:
                raise OSError("the compositor offers no {0}".format(needed))

        def bind(name, interface, version):
            number, offered = self.globals[name]
            version = min(version, offered)
            return _request(registry, 0, interface, c_uint32(number), interface.name,
                            c_uint32(version), None, version=version)

        compositor = bind("wl_compositor", core["wl_compositor"], 4)
        shell = bind("zwp_fullscreen_shell_v1", FULLSCREEN_SHELL, 1)
        self._listen(shell, [CAPABILITY(lambda *args: None)])
        self.surface = _request(compositor, 0, core["wl_surface"], None)  # create_surface
        # present_surface(surface, method 0 = the compositor's default, any output)
        _request(shell, 1, None, c_void_p(self.surface), c_uint32(0), None)
        self.roundtrip()

    def _listen(self, proxy, callbacks):
        table = (c_void_p * len(callbacks))(*[ctypes.cast(cb, c_void_p) for cb in callbacks])
        self._callbacks.append((callbacks, table))
        WL.wl_proxy_add_listener(c_void_p(proxy), table, None)

    def _on_global(self, data, registry, number, interface, version):
        self.globals[interface.decode()] = (number, version)

    def roundtrip(self):
        if WL.wl_display_roundtrip(c_void_p(self.display)) < 0:
            raise OSError("the Wayland connection failed")

    def close(self):
        if self.display:
            WL.wl_display_disconnect(c_void_p(self.display))
            self.display = None

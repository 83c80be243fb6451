"""Builds the compushady Python package: the pure-Python API in python/ and
the extension module compushady._native, compiled from the C binding in
bindings/python/ together with the core library sources in src/."""
import glob
import os
import re
import shlex
import subprocess
import tempfile
import sys
import sysconfig

from setuptools import Command, Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))

# What compiling the extension needs, with the Debian/Ubuntu package of
# each: (kind, file, package). At run time only libvulkan.so.1 (libvulkan1)
# and a driver are needed; it is opened with dlopen, so no libvulkan here.
BUILD_REQUIREMENTS = [
    ("header", "vulkan/vulkan.h", "libvulkan-dev"),
    ("header", "X11/Xlib.h", "libx11-dev"),
    # the OpenGL backend: types and constants only (EGL and GL are opened
    # with dlopen too)
    ("header", "EGL/egl.h", "libegl-dev"),
    ("header", "GL/glcorearb.h", "libgl-dev"),
    ("library", "libshaderc_combined.a", "libshaderc-dev"),
    ("library", "libglslang.a", "glslang-dev"),
    ("library", "libSPIRV.a", "glslang-dev"),
    ("library", "libglslang-default-resource-limits.a", "glslang-dev"),
    ("library", "libSPIRV-Tools.a", "spirv-tools"),
    ("library", "libSPIRV-Tools-opt.a", "spirv-tools"),
    ("library", "libspirv-cross-c.a", "libspirv-cross-c-shared-dev"),
    ("library", "libstdc++.so", "build-essential"),
]


def compiler_command():
    return shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")


def has_header(compiler, header):
    try:
        result = subprocess.run(
            compiler + ["-E", "-x", "c", "-", "-o", os.devnull],
            input="#include <{0}>\n".format(header).encode(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return False
    return result.returncode == 0


def has_library(compiler, library):
    """Whether the linker finds library (asked by linking an empty program
    against it, so every search path it uses counts: LIBRARY_PATH, -L in
    LDFLAGS, the compiler's own)."""
    flag = ("-l" + library[3:-3] if library.endswith(".so") and library.startswith("lib")
            else "-l:" + library)
    ldflags = shlex.split(os.environ.get("LDFLAGS", ""))
    with tempfile.TemporaryDirectory() as scratch:
        try:
            result = subprocess.run(
                compiler + ["-x", "c", "-", "-o", os.path.join(scratch, "a.out")]
                + ldflags + [flag],
                input=b"int main(void) { return 0; }\n",
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            return False
    return result.returncode == 0


def missing_build_requirements(compiler=None, requirements=BUILD_REQUIREMENTS):
    """[(file, Debian package)] of what the build needs and cannot find."""
    compiler = compiler or compiler_command()
    missing = []
    include = sysconfig.get_paths().get("include") or ""
    if not os.path.isfile(os.path.join(include, "Python.h")):
        missing.append(("Python.h of " + sys.executable, "python3-dev"))
    try:
        subprocess.run(compiler + ["--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        # without a compiler nothing else can be looked for: name it all
        return [(compiler[0] + " (a C compiler)", "build-essential")] + missing + [
            (name, package) for _, name, package in requirements]
    for kind, name, package in requirements:
        found = has_header if kind == "header" else has_library
        if not found(compiler, name):
            missing.append((name, package))
    return missing


def build_requirements_message(missing):
    packages = list(dict.fromkeys(package for _, package in missing))
    return (
        "compushady: cannot build the extension; missing: {0}\n"
        "Install them (Debian/Ubuntu):\n"
        "    sudo apt-get install -y {1}\n"
        "(other systems: the Vulkan headers, shaderc, glslang and SPIRV-Tools "
        "static libraries; a binary wheel needs none of them, only libvulkan1 "
        "and a Vulkan driver; COMPUSHADY_SKIP_BUILD_CHECK=1 skips this check)"
    ).format(", ".join(name for name, _ in missing), " ".join(packages))


def check_build_requirements():
    """False when skipped; exits with the message when something is missing."""
    if os.environ.get("COMPUSHADY_SKIP_BUILD_CHECK"):
        return False
    missing = missing_build_requirements()
    if missing:
        sys.exit(build_requirements_message(missing))
    return True


class checked_build_ext(build_ext):
    """build_ext that first says, in one message, every package missing, and
    rebuilds everything when the backends built changed since the last build
    (their flags are not files build_ext could compare)."""

    def run(self):
        check_build_requirements()
        stamp = os.path.join(self.build_temp, "backends-built")
        wanted = " ".join(BUILT_BACKENDS)
        try:
            with open(stamp) as previous:
                self.force = self.force or previous.read() != wanted
        except OSError:
            self.force = True
        super().run()
        os.makedirs(self.build_temp, exist_ok=True)
        with open(stamp, "w") as current:
            current.write(wanted)


class build_check(Command):
    """python setup.py build_check: only the check of checked_build_ext."""

    description = "check that the headers and libraries of the build are there"
    user_options = []

    def initialize_options(self):
        pass

    def finalize_options(self):
        pass

    def run(self):
        if check_build_requirements():
            print("compushady: every header and library of the build was found")
        else:
            print("compushady: build check skipped (COMPUSHADY_SKIP_BUILD_CHECK)")


def sources(*patterns):
    found = []
    for pattern in patterns:
        found += sorted(glob.glob(os.path.join(HERE, pattern)))
    return [os.path.relpath(path, HERE) for path in found]


# Debian's libshaderc.so leaves glslang's symbols unresolved: link the
# combined static library, then glslang's and SPIRV-Tools' (order matters).
SHADERC_LIBS = [
    "-l:libshaderc_combined.a", "-lSPIRV", "-lglslang", "-lMachineIndependent",
    "-lOSDependent", "-lGenericCodeGen", "-lHLSL", "-lOGLCompiler", "-lSPIRV",
    "-lglslang", "-lMachineIndependent", "-lSPIRV-Tools-opt", "-lSPIRV-Tools",
    "-lglslang-default-resource-limits",
]
# SPIRV-Cross's C API and the backends it uses (Debian's
# libspirv-cross-c-shared-dev ships these static archives too)
SPIRV_CROSS_LIBS = [
    "-l:libspirv-cross-c.a", "-l:libspirv-cross-msl.a", "-l:libspirv-cross-hlsl.a",
    "-l:libspirv-cross-cpp.a", "-l:libspirv-cross-reflect.a", "-l:libspirv-cross-glsl.a",
    "-l:libspirv-cross-core.a",
]

def header_version():
    """CS_VERSION_MAJOR.MINOR.PATCH of include/compushady.h: the one place the
    version is written (the Makefile and compushady.__version__ read it too)."""
    parts = {}
    with open(os.path.join(HERE, "include", "compushady.h")) as header:
        for line in header:
            words = line.split()
            if len(words) == 3 and words[1].startswith("CS_VERSION_"):
                parts[words[1]] = words[2]
    return "{0}.{1}.{2}".format(
        parts["CS_VERSION_MAJOR"], parts["CS_VERSION_MINOR"], parts["CS_VERSION_PATCH"]
    )


def backend_lines():
    """[(name, flag, built_by_default)] of src/backends/backends.def, the one
    list of backends (the Makefile reads it too)."""
    line = re.compile(r"^CS_BACKEND\(([a-z0-9_]+), *([A-Z0-9_]+), *([01])\)")
    with open(os.path.join(HERE, "src", "backends", "backends.def")) as listing:
        return [(m.group(1), m.group(2), m.group(3) == "1")
                for m in map(line.match, listing) if m]


def chosen_backends(lines):
    """The backends to build: COMPUSHADY_BACKENDS (names separated by commas
    or spaces), else those built by default; exits naming the known ones on
    a name backends.def lacks."""
    known = [name for name, _, _ in lines]
    wanted = os.environ.get("COMPUSHADY_BACKENDS")
    if not wanted or not wanted.strip():
        return [name for name, _, by_default in lines if by_default]
    names = wanted.replace(",", " ").split()
    unknown = [name for name in names if name not in known]
    if unknown:
        sys.exit("compushady: COMPUSHADY_BACKENDS names {0}, not in "
                 "src/backends/backends.def, which has {1}".format(
                     ", ".join(unknown), ", ".join(known)))
    return names


BACKENDS = backend_lines()
BUILT_BACKENDS = chosen_backends(BACKENDS)

native = Extension(
    "compushady._native",
    sources=sources(
        "bindings/python/*.c",
        "src/common/*.c",
        "src/core/*.c",
        "src/shader/*.c",
        "src/shader/wgsl/*.c",
        "src/platform/*.c",
        *["src/backends/{0}/*.c".format(name) for name in BUILT_BACKENDS]
    ),
    include_dirs=["include"],
    define_macros=[("_DEFAULT_SOURCE", None)] + [
        (flag, "1" if name in BUILT_BACKENDS else "0") for name, flag, _ in BACKENDS
    ],
    extra_compile_args=[
        "-std=c11", "-Wall", "-Wextra", "-Werror", "-fvisibility=hidden",
    ],
    extra_link_args=SHADERC_LIBS
    # SPIRV-Cross's C API, for cross-compiling (src/shader/cross.c), static
    + SPIRV_CROSS_LIBS
    + ["-lstdc++", "-lpthread", "-ldl", "-lm"]
    + ["-Wl,--exclude-libs,ALL"],
)

setup(
    name="compushady",
    version=header_version(),
    description="Run GPU compute shaders from Python: a C11 core on Vulkan",
    package_dir={"": "python"},
    packages=["compushady", "compushady.backends", "compushady.shaders"],
    # typing: py.typed (PEP 561) and the stubs of the package and _native
    package_data={"compushady": ["py.typed", "*.pyi"]},
    ext_modules=[native],
    cmdclass={"build_ext": checked_build_ext, "build_check": build_check},
    python_requires=">=3.8",
)

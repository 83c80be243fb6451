"""Builds the compushady Python package: the pure-Python API in python/ and
the extension module compushady._native, compiled from the C binding in
bindings/python/ together with the core library sources in src/."""
import glob
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))


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


native = Extension(
    "compushady._native",
    sources=sources(
        "bindings/python/*.c",
        "src/core/*.c",
        "src/shader/*.c",
        "src/backends/vulkan/*.c",
    ),
    include_dirs=["include"],
    define_macros=[("_DEFAULT_SOURCE", None)],
    extra_compile_args=[
        "-std=c11", "-Wall", "-Wextra", "-Werror", "-fvisibility=hidden",
    ],
    extra_link_args=SHADERC_LIBS
    # SPIRV-Cross's C API, for cross-compiling (src/shader/cross.c)
    + ["-lspirv-cross-c-shared"]
    + ["-lvulkan", "-lstdc++", "-lpthread", "-ldl", "-lm"]
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
    python_requires=">=3.8",
)

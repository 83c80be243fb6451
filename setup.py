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
    version="0.17.5",
    description="Run GPU compute shaders from Python: a C11 core on Vulkan",
    package_dir={"": "python"},
    packages=["compushady", "compushady.backends", "compushady.shaders"],
    ext_modules=[native],
    python_requires=">=3.8",
)

# The C library, its tests and the checks. The Python module is built by
# setup.py (pip install .) from the same sources.
#
#   make              build/libcompushady.so and build/libcompushady.a
#   make test-c       build and run the C tests
#   make test-asan    the C tests under AddressSanitizer and UBSan
#   make test-python-asan  the Python suite over an ASan+UBSan extension
#   make format       clang-format every C file; make format-check checks
#   make install      PREFIX=/usr/local (DESTDIR for staging): library with
#                     its soname, header, pkg-config file (compushady.pc)
#   make examples     the C examples (build/quickstart, build/saxpy)

CC ?= cc
PREFIX ?= /usr/local
BUILD ?= build
SONAME_VERSION = 0
VERSION := $(shell awk '/define CS_VERSION_(MAJOR|MINOR|PATCH)/ \
	{ v = v (v == "" ? "" : ".") $$3 } END { print v }' include/compushady.h)

WARNINGS = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS_BASE = -std=c11 -D_DEFAULT_SOURCE -fPIC -fvisibility=hidden \
	$(WARNINGS) -Iinclude
OPT ?= -O2 -g
SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined

# Debian's libshaderc.so leaves glslang's symbols unresolved: link the
# combined static library, then glslang's and SPIRV-Tools' (order matters).
SHADERC_LIBS = -l:libshaderc_combined.a -lSPIRV -lglslang \
	-lMachineIndependent -lOSDependent -lGenericCodeGen -lHLSL -lOGLCompiler \
	-lSPIRV -lglslang -lMachineIndependent -lSPIRV-Tools-opt -lSPIRV-Tools \
	-lglslang-default-resource-limits
# SPIRV-Cross's C API (cross-compiling to GLSL/MSL/HLSL, src/shader/cross.c),
# linked statically like shaderc: the library needs no SPIRV-Cross at run time
SPIRV_CROSS_LIBS = -l:libspirv-cross-c.a -l:libspirv-cross-msl.a \
	-l:libspirv-cross-hlsl.a -l:libspirv-cross-cpp.a \
	-l:libspirv-cross-reflect.a -l:libspirv-cross-glsl.a \
	-l:libspirv-cross-core.a
LIBS = $(SHADERC_LIBS) $(SPIRV_CROSS_LIBS) -lstdc++ -lpthread -ldl -lm

# The backends: src/backends/backends.def lists them, one line each
# (CS_BACKEND(name, flag, built_by_default)); BACKENDS picks the ones built
# (default: those marked 1), e.g. make BACKENDS="vulkan opengl". Each
# listed backend's folder src/backends/<name>/ is compiled and its flag
# defined to 1, every other flag to 0 (src/core/backend_registry.c).
# $(BUILD)/backends-built holds the flags of the last build: when they
# change, the registry and the libraries are built again.
BACKEND_LINES := $(shell sed -n \
	's/^CS_BACKEND(\([a-z0-9_]*\), *\([A-Z0-9_]*\), *\([01]\)).*/\1:\2:\3/p' \
	src/backends/backends.def)
BACKENDS ?= $(foreach l,$(BACKEND_LINES),$(if $(filter %:1,$(l)),\
	$(word 1,$(subst :, ,$(l)))))
BACKEND_FLAGS = $(foreach l,$(BACKEND_LINES),-D$(word 2,$(subst :, ,$(l)))=$\
	$(if $(filter $(word 1,$(subst :, ,$(l))),$(BACKENDS)),1,0))
CFLAGS_BASE += $(BACKEND_FLAGS)
BACKENDS_STAMP = $(BUILD)/backends-built
$(shell mkdir -p $(BUILD) && (echo '$(BACKEND_FLAGS)' | \
	cmp -s - $(BACKENDS_STAMP) || echo '$(BACKEND_FLAGS)' > $(BACKENDS_STAMP)))
$(foreach b,$(BACKENDS),$(if $(filter $(b):%,$(BACKEND_LINES)),,$(error \
	BACKENDS: '$(b)' is not in src/backends/backends.def, which has \
	$(foreach l,$(BACKEND_LINES),$(word 1,$(subst :, ,$(l)))))))

LIB_SOURCES = $(wildcard src/common/*.c src/core/*.c src/shader/*.c \
	src/shader/wgsl/*.c src/platform/*.c $(BACKENDS:%=src/backends/%/*.c))
LIB_OBJECTS = $(LIB_SOURCES:%.c=$(BUILD)/obj/%.o)
ASAN_OBJECTS = $(LIB_SOURCES:%.c=$(BUILD)/asan/%.o)
TEST_SOURCES = $(wildcard tests/c/test_*.c)
TESTS = $(TEST_SOURCES:tests/c/%.c=$(BUILD)/tests/%)
ASAN_TESTS = $(TEST_SOURCES:tests/c/%.c=$(BUILD)/tests-asan/%)
C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

all: $(BUILD)/libcompushady.so $(BUILD)/libcompushady.a

$(BUILD)/obj/%.o: %.c $(wildcard include/*.h src/*/*.h src/*/*/*.h src/*/*.def)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $(CFLAGS) -c $< -o $@

$(BUILD)/asan/%.o: %.c $(wildcard include/*.h src/*/*.h src/*/*/*.h src/*/*.def)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O1 -g $(SANITIZE) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/src/core/backend_registry.o $(BUILD)/asan/src/core/backend_registry.o: \
	$(BACKENDS_STAMP)

$(BUILD)/libcompushady.so: $(LIB_OBJECTS) $(BACKENDS_STAMP)
	$(CC) -shared -Wl,-soname,libcompushady.so.$(SONAME_VERSION) \
		-Wl,--no-undefined -Wl,--exclude-libs,ALL -o $@ $(LIB_OBJECTS) $(LIBS)
	ln -sf libcompushady.so $@.$(SONAME_VERSION)

$(BUILD)/libcompushady.a: $(LIB_OBJECTS) $(BACKENDS_STAMP)
	@rm -f $@
	ar rcs $@ $(LIB_OBJECTS)

# Tests link the static library so they can reach internal functions too.
$(BUILD)/tests/%: tests/c/%.c tests/c/harness.h $(BUILD)/libcompushady.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Isrc -Itests/c $< -o $@ \
		$(BUILD)/libcompushady.a $(LIBS)

$(BUILD)/tests-asan/%: tests/c/%.c $(ASAN_OBJECTS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O1 -g $(SANITIZE) -Isrc -Itests/c $< -o $@ \
		$(ASAN_OBJECTS) $(LIBS)

# The C quickstart of the README, linked against the shared library.
$(BUILD)/quickstart: examples/c/quickstart.c $(BUILD)/libcompushady.so
	$(CC) -std=c11 $(WARNINGS) -Iinclude $< -o $@ -L$(BUILD) -lcompushady \
		-Wl,-rpath,'$$ORIGIN'

# The other C examples, built the same way.
$(BUILD)/saxpy: examples/c/saxpy.c $(BUILD)/libcompushady.so
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARNINGS) -Iinclude $< -o $@ \
		-L$(BUILD) -lcompushady -lm -Wl,-rpath,'$$ORIGIN'

examples: $(BUILD)/quickstart $(BUILD)/saxpy

test-c: $(TESTS) $(BUILD)/quickstart $(BUILD)/saxpy
	@set -e; export COMPUSHADY_CACHE_DIR=$$(mktemp -d); \
		for t in $(TESTS); do echo "== $$t"; $$t; done; \
		rm -rf "$$COMPUSHADY_CACHE_DIR"
	@echo "== $(BUILD)/quickstart"; \
		$(BUILD)/quickstart | grep -q "0 1 4 9 16 25 36 49" && \
		echo "1 passed, 0 failed"
	@echo "== $(BUILD)/saxpy"; $(BUILD)/saxpy 100000 3 | grep -q "^OK" && \
		echo "1 passed, 0 failed"

# LSan needs ptrace, unavailable in some sandboxes: leaks are checked where
# it runs (ASAN_OPTIONS=detect_leaks=1 make test-asan).
test-asan: $(ASAN_TESTS)
	@set -e; for t in $(ASAN_TESTS); do echo "== $$t"; \
		ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=0} \
		UBSAN_OPTIONS=print_stacktrace=1 $$t; done

# The Python suite against a compushady._native built with ASan and UBSan:
# use after free or double release in the bindings' object lifetimes, and
# the library under the real API. The interpreter is not instrumented, so
# the ASan runtime is preloaded (the UBSan one comes as the module's
# dependency). ASAN_OPTIONS: no leak report (CPython keeps its
# allocations at exit), no new/delete size check (DXC's own LLVM trips it in
# test_dxc), no quarantine (test_leaks measures the RSS). --force: setup.py
# does not see header changes.
PYTHON ?= .venv/bin/python
ASAN_PY = $(BUILD)/asan-python
test-python-asan:
	CFLAGS="$(SANITIZE) -O1" LDFLAGS="-fsanitize=address,undefined" \
		$(PYTHON) setup.py -q build_ext --force -j 2 -b $(ASAN_PY)/lib \
		-t $(ASAN_PY)/tmp
	rm -rf $(ASAN_PY)/pkg && mkdir -p $(ASAN_PY)/pkg
	cp -r python/compushady $(ASAN_PY)/pkg/
	cp $(ASAN_PY)/lib/compushady/_native*.so $(ASAN_PY)/pkg/compushady/
	# libstdc++ preloaded beside ASan: its __cxa_throw interceptor binds the
	# real function when ASan starts, before the extension loads libstdc++
	# (else the first C++ exception, e.g. SPIRV-Cross refusing a shader,
	# stops the process with "real___cxa_throw != 0")
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libstdc++.so.6)" \
		ASAN_OPTIONS=detect_leaks=0:new_delete_type_mismatch=0:quarantine_size_mb=0:thread_local_quarantine_size_kb=0 \
		UBSAN_OPTIONS=print_stacktrace=1 PYTHONPATH=$(ASAN_PY)/pkg \
		$(PYTHON) -m pytest -q -p no:cacheprovider tests/python

format:
	clang-format -i $(C_FILES)

format-check:
	clang-format --dry-run --Werror $(C_FILES)

# libcompushady.so.$(VERSION), with the links .so.$(SONAME_VERSION) (the
# soname) and .so (for -lcompushady); the static library; the header;
# compushady.pc (Libs.private: what a static link needs). The .pc file uses
# the final PREFIX: a DESTDIR-staged copy works with PKG_CONFIG_SYSROOT_DIR.
install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/compushady.h include/compushady_formats.h \
		$(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/libcompushady.so \
		$(DESTDIR)$(PREFIX)/lib/libcompushady.so.$(VERSION)
	ln -sf libcompushady.so.$(VERSION) \
		$(DESTDIR)$(PREFIX)/lib/libcompushady.so.$(SONAME_VERSION)
	ln -sf libcompushady.so.$(SONAME_VERSION) \
		$(DESTDIR)$(PREFIX)/lib/libcompushady.so
	install -m 644 $(BUILD)/libcompushady.a $(DESTDIR)$(PREFIX)/lib/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@LIBS_PRIVATE@|$(LIBS)|' packaging/compushady.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/compushady.pc

clean:
	rm -rf $(BUILD)

.PHONY: all examples test-c test-asan test-python-asan format format-check install clean
.SECONDARY:

# >>fuzzing (tests/fuzz; owned by the fuzzing work, keep edits here) ------
#
#   make fuzz          libFuzzer targets in build/fuzz/ (clang with
#                      compiler-rt: -fsanitize=fuzzer,address,undefined)
#   make fuzz-smoke    each target over its seed corpus plus FUZZ_RUNS
#                      mutated inputs (fixed FUZZ_SEED; at most 10 s per
#                      target), the short check of scripts/test.sh
#   make fuzz-corpus   regenerates the SPIR-V seeds of tests/fuzz/corpus
#
# A long run of one target, new inputs kept in build/fuzz/found/<target>:
#   build/fuzz/fuzz_reflect -max_total_time=300 build/fuzz/found/fuzz_reflect \
#       tests/fuzz/corpus/fuzz_reflect

FUZZ_CC ?= clang
FUZZ_DIR = $(BUILD)/fuzz
FUZZ_RUNS ?= 20000
FUZZ_SEED ?= 1
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARNINGS) -Iinclude -Isrc -g -O1 \
	$(FUZZ_SANITIZE)
FUZZ_TARGETS = fuzz_reflect fuzz_layout fuzz_image_format fuzz_hlsl_compat \
	fuzz_validate fuzz_source_limits fuzz_wgsl fuzz_glsl_compat fuzz_spirv_bindings
# The SPIR-V readers and rewriters with the error message they need;
# compile.c (shaderc) is never linked, validate.c only where used.
FUZZ_LIB_SOURCES = src/shader/spirv_module.c src/shader/reflect.c \
	src/shader/layout.c src/shader/image_format.c src/shader/hlsl_compat.c \
	src/shader/source_limits.c src/shader/hlsl_workarounds.c \
	src/shader/glsl_compat.c src/shader/glsl_bindings.c src/shader/source_text.c \
	src/shader/image_access.c src/common/errors.c
FUZZ_LIB_OBJECTS = $(FUZZ_LIB_SOURCES:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_VALIDATE_OBJECTS = $(FUZZ_DIR)/obj/src/shader/validate.o \
	$(FUZZ_DIR)/obj/src/shader/compiler_thread.o \
	$(FUZZ_DIR)/obj/src/platform/posix.o \
	$(FUZZ_DIR)/obj/src/common/hash.o
FUZZ_VALIDATE_LIBS = -lSPIRV-Tools -lstdc++ -lm

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/obj/%.o: %.c $(wildcard include/*.h src/*/*.h src/*/*/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_validate: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_validate.o \
		$(FUZZ_LIB_OBJECTS) $(FUZZ_VALIDATE_OBJECTS)
	$(FUZZ_CC) $(FUZZ_SANITIZE) -fsanitize=fuzzer $^ -o $@ \
		$(FUZZ_VALIDATE_LIBS)

# the WGSL front end alone (no shaderc): source text to GLSL
FUZZ_WGSL_OBJECTS = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter-out \
	src/shader/wgsl/wgsl_compile.c,$(wildcard src/shader/wgsl/*.c)))
$(FUZZ_DIR)/fuzz_wgsl: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_wgsl.o \
		$(FUZZ_WGSL_OBJECTS)
	$(FUZZ_CC) $(FUZZ_SANITIZE) -fsanitize=fuzzer $^ -o $@ -lm

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJECTS)
	$(FUZZ_CC) $(FUZZ_SANITIZE) -fsanitize=fuzzer $^ -o $@

# New inputs go to a scratch directory, never into the committed corpus.
fuzz-smoke: fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
		rm -rf $(FUZZ_DIR)/smoke/$$t; mkdir -p $(FUZZ_DIR)/smoke/$$t; \
		echo "== $(FUZZ_DIR)/$$t"; \
		$(FUZZ_DIR)/$$t -runs=$(FUZZ_RUNS) -max_total_time=10 \
			-seed=$(FUZZ_SEED) -max_len=16384 -timeout=10 -rss_limit_mb=1024 \
			-artifact_prefix=$(FUZZ_DIR)/smoke/$$t- \
			$(FUZZ_DIR)/smoke/$$t tests/fuzz/corpus/$$t \
			> $(FUZZ_DIR)/smoke/$$t.log 2>&1 || \
			{ tail -n 40 $(FUZZ_DIR)/smoke/$$t.log; exit 1; }; \
		grep -E "^Done|DONE" $(FUZZ_DIR)/smoke/$$t.log | tail -n 1; \
	done

$(FUZZ_DIR)/make_corpus: tests/fuzz/make_corpus.c $(BUILD)/libcompushady.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $< -o $@ $(BUILD)/libcompushady.a $(LIBS)

fuzz-corpus: $(FUZZ_DIR)/make_corpus
	@mkdir -p $(FUZZ_TARGETS:%=tests/fuzz/corpus/%)
	$(FUZZ_DIR)/make_corpus

.PHONY: fuzz fuzz-smoke fuzz-corpus

# >>windows (issue 19; owned by the Windows work, keep edits here) -------
#
#   make windows       cross-builds with MinGW-w64 into build/windows/:
#                      compushady.dll, its import library libcompushady.dll.a,
#                      the static libcompushady.a and the C tests (*.exe)
#   scripts/test-windows.sh  runs them under Wine on lavapipe
#
# Debian builds no shaderc, SPIRV-Tools or SPIRV-Cross for MinGW: with
# CS_SHADER_LIBRARIES_AT_RUN_TIME they are loaded when first needed
# (shaderc_shared.dll, SPIRV-Tools-shared.dll, spirv-cross-c-shared.dll of
# the Vulkan SDK); SPIR-V input needs none of them. Their headers, like
# Vulkan's, are the Linux ones (types and prototypes only).

WIN_CC ?= x86_64-w64-mingw32-gcc
WIN_AR ?= x86_64-w64-mingw32-ar
WIN_BUILD = $(BUILD)/windows
WIN_HEADERS = vulkan vk_video spirv shaderc spirv-tools spirv_cross
# The backends built for Windows: Vulkan (OpenGL goes through EGL, which
# neither Windows' drivers nor MinGW's headers offer; WGL would be another
# backend folder).
WIN_BACKENDS ?= vulkan
WIN_BACKEND_FLAGS = $(foreach l,$(BACKEND_LINES),-D$(word 2,$(subst :, ,$(l)))=$\
	$(if $(filter $(word 1,$(subst :, ,$(l))),$(WIN_BACKENDS)),1,0))
WIN_LIB_SOURCES = $(wildcard src/common/*.c src/core/*.c src/shader/*.c \
	src/shader/wgsl/*.c src/platform/*.c $(WIN_BACKENDS:%=src/backends/%/*.c))
WIN_CFLAGS = -std=c11 $(WARNINGS) -Iinclude -I$(WIN_BUILD)/include \
	-D__USE_MINGW_ANSI_STDIO=1 -DCS_BUILD_DLL -DCS_SHADER_LIBRARIES_AT_RUN_TIME \
	$(WIN_BACKEND_FLAGS) -O2 -g
WIN_OBJECTS = $(WIN_LIB_SOURCES:%.c=$(WIN_BUILD)/obj/%.o)
# The C tests that build for Windows; the others need fork() (test_fork,
# test_loader), X11 (test_swapchain) or SPIRV-Tools' C API and a compiler
# for every check (test_shader).
WIN_TEST_NAMES = test_core test_vulkan_backend test_memory test_command_list \
	test_device_lost test_sparse test_host_copy test_platform test_cache \
	test_compiler_limits test_wgsl test_cross test_swapchain_win32 \
	test_public_api test_format_support
WIN_TESTS = $(WIN_TEST_NAMES:%=$(WIN_BUILD)/tests/%.exe)

windows: $(WIN_BUILD)/compushady.dll $(WIN_BUILD)/libcompushady.a $(WIN_TESTS)

$(WIN_BUILD)/include/.linked:
	@mkdir -p $(dir $@)
	for h in $(WIN_HEADERS); do ln -sfn /usr/include/$$h $(WIN_BUILD)/include/$$h; done
	@touch $@

$(WIN_BUILD)/obj/%.o: %.c $(wildcard include/*.h src/*/*.h src/*/*/*.h) \
		$(WIN_BUILD)/include/.linked
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -c $< -o $@

$(WIN_BUILD)/compushady.dll: $(WIN_OBJECTS)
	$(WIN_CC) -shared -static-libgcc -o $@ $^ \
		-Wl,--out-implib,$(WIN_BUILD)/libcompushady.dll.a

$(WIN_BUILD)/libcompushady.a: $(WIN_OBJECTS)
	@rm -f $@
	$(WIN_AR) rcs $@ $^

$(WIN_BUILD)/tests/%.exe: tests/c/%.c tests/c/harness.h $(WIN_BUILD)/libcompushady.a
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -Isrc -Itests/c $< -o $@ $(WIN_BUILD)/libcompushady.a \
		-static-libgcc

# The public API alone, linked against the DLL (its import library), which
# is copied beside it: the DLL's exports and the library run from it.
$(WIN_BUILD)/tests/test_public_api.exe: tests/c/test_public_api.c \
		tests/c/harness.h $(WIN_BUILD)/compushady.dll
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -UCS_BUILD_DLL -Isrc -Itests/c $< -o $@ \
		-L$(WIN_BUILD) -lcompushady -static-libgcc
	cp $(WIN_BUILD)/compushady.dll $(dir $@)

.PHONY: windows

# The Python binding's sources, compiled by MinGW: no Windows CPython
# headers (PC/pyconfig.h) nor import library (pythonXY.lib) come with
# Debian or PyPI, so they are checked against this machine's CPython
# headers with a pyconfig.h made closer to Windows (no sys/select.h, 32-bit
# long, 16-bit wchar_t): what catches POSIX-only calls and Windows type
# sizes in bindings/python, not a usable .pyd.
WIN_PYTHON = python3
WIN_PY_INCLUDE := $(shell $(WIN_PYTHON) -c 'import sysconfig; \
	print(sysconfig.get_paths()["include"])' 2>/dev/null)
WIN_PY_CONFIG := $(shell $(WIN_PYTHON) -c 'import sysconfig; \
	print(sysconfig.get_config_var("CONFINCLUDEPY"))' 2>/dev/null)
WIN_PY_OBJECTS = $(patsubst %.c,$(WIN_BUILD)/python/%.o, \
	$(wildcard bindings/python/*.c))

$(WIN_BUILD)/python-include/pyconfig.h:
	@mkdir -p $(dir $@)
	for f in $(WIN_PY_INCLUDE)/*; do [ "$${f##*/}" = pyconfig.h ] || \
		ln -sfn "$$f" $(dir $@); done
	printf '%s\n' '#include "$(WIN_PY_CONFIG)/pyconfig.h"' \
		'#undef HAVE_SYS_SELECT_H' '#undef SIZEOF_LONG' \
		'#define SIZEOF_LONG 4' '#undef SIZEOF_WCHAR_T' \
		'#define SIZEOF_WCHAR_T 2' > $@

$(WIN_BUILD)/python/%.o: %.c $(WIN_BUILD)/python-include/pyconfig.h \
		$(wildcard include/*.h bindings/python/*.h)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -I$(WIN_BUILD)/python-include -c $< -o $@

windows-python-check: $(WIN_PY_OBJECTS)

.PHONY: windows-python-check

# The C library, its tests and the checks. The Python module is built by
# setup.py (pip install .) from the same sources.
#
#   make              build/libcompushady.so and build/libcompushady.a
#   make test-c       build and run the C tests
#   make test-asan    the C tests under AddressSanitizer and UBSan
#   make format       clang-format every C file; make format-check checks
#   make install      PREFIX=/usr/local: library, header, pkg-config file

CC ?= cc
PREFIX ?= /usr/local
BUILD ?= build
SONAME_VERSION = 0

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
LIBS = $(SHADERC_LIBS) -lvulkan -lstdc++ -lpthread -lm

LIB_SOURCES = $(wildcard src/core/*.c src/shader/*.c src/backends/vulkan/*.c)
LIB_OBJECTS = $(LIB_SOURCES:%.c=$(BUILD)/obj/%.o)
ASAN_OBJECTS = $(LIB_SOURCES:%.c=$(BUILD)/asan/%.o)
TEST_SOURCES = $(wildcard tests/c/test_*.c)
TESTS = $(TEST_SOURCES:tests/c/%.c=$(BUILD)/tests/%)
ASAN_TESTS = $(TEST_SOURCES:tests/c/%.c=$(BUILD)/tests-asan/%)
C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

all: $(BUILD)/libcompushady.so $(BUILD)/libcompushady.a

$(BUILD)/obj/%.o: %.c $(wildcard include/*.h src/*/*.h src/backends/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $(CFLAGS) -c $< -o $@

$(BUILD)/asan/%.o: %.c $(wildcard include/*.h src/*/*.h src/backends/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O1 -g $(SANITIZE) $(CFLAGS) -c $< -o $@

$(BUILD)/libcompushady.so: $(LIB_OBJECTS)
	$(CC) -shared -Wl,-soname,libcompushady.so.$(SONAME_VERSION) \
		-Wl,--no-undefined -o $@ $^ $(LIBS)
	ln -sf libcompushady.so $@.$(SONAME_VERSION)

$(BUILD)/libcompushady.a: $(LIB_OBJECTS)
	@rm -f $@
	ar rcs $@ $^

# Tests link the static library so they can reach internal functions too.
$(BUILD)/tests/%: tests/c/%.c $(BUILD)/libcompushady.a
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

test-c: $(TESTS) $(BUILD)/quickstart
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t; done
	@echo "== $(BUILD)/quickstart"; \
		$(BUILD)/quickstart | grep -q "0 1 4 9 16 25 36 49" && \
		echo "1 passed, 0 failed"

# LSan needs ptrace, unavailable in some sandboxes: leaks are checked where
# it runs (ASAN_OPTIONS=detect_leaks=1 make test-asan).
test-asan: $(ASAN_TESTS)
	@set -e; for t in $(ASAN_TESTS); do echo "== $$t"; \
		ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=0} \
		UBSAN_OPTIONS=print_stacktrace=1 $$t; done

format:
	clang-format -i $(C_FILES)

format-check:
	clang-format --dry-run --Werror $(C_FILES)

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/compushady.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/libcompushady.so \
		$(DESTDIR)$(PREFIX)/lib/libcompushady.so.$(SONAME_VERSION)
	ln -sf libcompushady.so.$(SONAME_VERSION) \
		$(DESTDIR)$(PREFIX)/lib/libcompushady.so
	install -m 644 $(BUILD)/libcompushady.a $(DESTDIR)$(PREFIX)/lib/
	sed -e 's|@PREFIX@|$(PREFIX)|' packaging/compushady.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/compushady.pc

clean:
	rm -rf $(BUILD)

.PHONY: all test-c test-asan format format-check install clean
.SECONDARY:

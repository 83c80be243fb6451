/*
 * backend_registry.c - the backends compiled into this library, from the
 * one list in src/backends/backends.def.
 *
 * The build defines each backend's flag to 1 (compiled in) or 0; a flag it
 * left undefined is a compile error here naming it (CS_PICK_CS_WITH_...),
 * rather than a backend silently missing.
 */
#include "backend.h"

#include <stdio.h>
#include <string.h>

#define CS_PICK_1(...) __VA_ARGS__
#define CS_PICK_0(...)
#define CS_PICK_PASTE(prefix, flag) prefix##flag
#define CS_PICK(flag) CS_PICK_PASTE(CS_PICK_, flag)

#define CS_BACKEND(name, flag, by_default)                                     \
    CS_PICK(flag)(extern const cs_backend cs_##name##_backend;)
#include "../backends/backends.def"
#undef CS_BACKEND

static const cs_backend *const compiled_in[] = {
#define CS_BACKEND(name, flag, by_default) CS_PICK(flag)(&cs_##name##_backend, )
#include "../backends/backends.def"
#undef CS_BACKEND
    NULL,
};
enum { COMPILED_IN_COUNT = sizeof compiled_in / sizeof compiled_in[0] - 1 };

/* every backend of the sources, compiled in or not (for the message that
 * tells the two cases apart) */
static const char *const in_sources[] = {
#define CS_BACKEND(name, flag, by_default) #name,
#include "../backends/backends.def"
#undef CS_BACKEND
};
enum { IN_SOURCES_COUNT = sizeof in_sources / sizeof in_sources[0] };

size_t cs_backend_count(void)
{
    return COMPILED_IN_COUNT;
}

const char *cs_backend_name(size_t index)
{
    return index < COMPILED_IN_COUNT ? compiled_in[index]->name : NULL;
}

const cs_backend *cs_backend_registered(size_t index)
{
    return index < COMPILED_IN_COUNT ? compiled_in[index] : NULL;
}

/* "'vulkan', 'opengl'" into text (truncated to its size) */
static void list_compiled_in(char *text, size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < COMPILED_IN_COUNT && used < size; i++) {
        int written = snprintf(text + used, size - used, "%s'%s'",
                               i ? ", " : "", compiled_in[i]->name);
        if (written < 0)
            break;
        used += (size_t)written;
    }
    if (COMPILED_IN_COUNT == 0)
        snprintf(text, size, "none");
}

cs_status cs_backend_find(const char *name, const cs_backend **out_backend)
{
    if (COMPILED_IN_COUNT == 0)
        return cs_fail(CS_ERROR_NO_DEVICE,
                       "this build of compushady has no backend compiled in "
                       "(src/backends/backends.def: build with at least one)");
    if (!name || !*name) {
        *out_backend = compiled_in[0];
        return CS_OK;
    }
    for (size_t i = 0; i < COMPILED_IN_COUNT; i++) {
        if (strcmp(compiled_in[i]->name, name) == 0) {
            *out_backend = compiled_in[i];
            return CS_OK;
        }
    }
    char available[256];
    list_compiled_in(available, sizeof available);
    for (size_t i = 0; i < IN_SOURCES_COUNT; i++) {
        if (strcmp(in_sources[i], name) == 0)
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "the backend '%s' is not compiled into this build "
                           "of compushady (build it in with make BACKENDS=, "
                           "or COMPUSHADY_BACKENDS= for pip install); this "
                           "build has: %s",
                           name, available);
    }
    return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                   "unknown backend '%s'; this build has: %s", name, available);
}

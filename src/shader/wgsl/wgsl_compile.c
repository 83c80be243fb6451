/* wgsl_compile.c - cs_wgsl_compile: the front end's GLSL, compiled by
 * glslang; a GLSL error here is a bug of the lowering, reported as such. */
#include "wgsl.h"
#include "wgsl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CS_STRINGIFY_(x) #x
#define CS_STRINGIFY(x) CS_STRINGIFY_(x)

/* The compile cache's key: a tag with the library's version and a number
 * to bump whenever the front end's output changes, the entry point and the
 * source (failures are not cached). */
static const char cache_tag[] =
    "compushady " CS_STRINGIFY(CS_VERSION_MAJOR) "." CS_STRINGIFY(
        CS_VERSION_MINOR) "." CS_STRINGIFY(CS_VERSION_PATCH) " wgsl 1";

static void *make_key(const cs_shader_compile_desc *desc, size_t size,
                      const char *entry_point, size_t *out_size)
{
    size_t entry_size = strlen(entry_point) + 1;
    size_t total = sizeof cache_tag + entry_size + size;
    for (uint32_t i = 0; i < desc->constant_count; i++)
        total += strlen(desc->constants[i].name) + 1 + sizeof(double);
    char *key = malloc(total);
    if (!key)
        return NULL;
    char *at = key;
    memcpy(at, cache_tag, sizeof cache_tag);
    at += sizeof cache_tag;
    memcpy(at, entry_point, entry_size);
    at += entry_size;
    for (uint32_t i = 0; i < desc->constant_count; i++) {
        size_t length = strlen(desc->constants[i].name) + 1;
        memcpy(at, desc->constants[i].name, length);
        at += length;
        memcpy(at, &desc->constants[i].value, sizeof(double));
        at += sizeof(double);
    }
    memcpy(at, desc->source, size);
    *out_size = total;
    return key;
}

cs_status cs_wgsl_compile(const cs_shader_compile_desc *desc, size_t size,
                          const char *entry_point, const char *file_name,
                          void **out_spirv, size_t *out_size)
{
    if (desc->compiler != CS_HLSL_COMPILER_DEFAULT)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "compiler %d: WGSL has only the built-in compiler "
                       "(CS_HLSL_COMPILER_DEFAULT)",
                       (int)desc->compiler);
    if (desc->constant_count && !desc->constants)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "constant_count is %u but constants is NULL",
                       desc->constant_count);
    for (uint32_t i = 0; i < desc->constant_count; i++)
        if (!desc->constants[i].name || !desc->constants[i].name[0])
            return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                           "constants[%u] has no name: expected the name or "
                           "@id of an override",
                           i);
    const char *source = desc->source;
    size_t key_size = 0;
    void *key = make_key(desc, size, entry_point, &key_size);
    uint32_t *cached = NULL;
    size_t cached_count = 0;
    if (key && cs_compile_cache_find(key, key_size, &cached, &cached_count)) {
        free(key);
        *out_spirv = cached;
        *out_size = cached_count * 4;
        return CS_OK;
    }
    char *glsl = NULL, *error = NULL;
    size_t glsl_size = 0;
    bool out_of_memory = false;
    wgsl_options options = {entry_point, file_name, desc->constants,
                            desc->constant_count};
    if (!cs_wgsl_to_glsl(source, size, &options, &glsl, &glsl_size, &error,
                         &out_of_memory)) {
        cs_status status = out_of_memory
                               ? cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                                         "out of memory while compiling WGSL")
                               : cs_fail(CS_ERROR_SHADER_COMPILE, "%s", error);
        free(error);
        free(key);
        return status;
    }
    /* a debugging aid for the lowering: the GLSL glslang is given */
    if (getenv("COMPUSHADY_WGSL_DUMP_GLSL"))
        fputs(glsl, stderr);
    uint32_t *words = NULL;
    size_t word_count = 0;
    cs_status status = cs_shaderc_compile_glsl(glsl, glsl_size, entry_point,
                                               file_name, &words, &word_count);
    if (status != CS_OK) {
        const char *message = cs_last_error();
        char *copy = strdup(message ? message : "");
        status = cs_fail(CS_ERROR_SHADER_COMPILE,
                         "%s: internal error: the WGSL compiler produced GLSL "
                         "that glslang rejects (please report it): %s\n"
                         "--- generated GLSL ---\n%s",
                         file_name, copy ? copy : "", glsl);
        free(copy);
        free(glsl);
        free(key);
        return status;
    }
    free(glsl);
    if (key)
        cs_compile_cache_store(key, key_size, words, word_count);
    free(key);
    *out_spirv = words;
    *out_size = word_count * 4;
    return CS_OK;
}

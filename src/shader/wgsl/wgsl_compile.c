/* wgsl_compile.c - cs_wgsl_compile: the front end's GLSL, compiled by
 * glslang; a GLSL error here is a bug of the lowering, reported as such. */
#include "wgsl.h"
#include "wgsl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cs_status cs_wgsl_compile(const char *source, size_t size,
                          const char *entry_point, const char *file_name,
                          cs_hlsl_compiler compiler, void **out_spirv,
                          size_t *out_size)
{
    if (compiler != CS_HLSL_COMPILER_DEFAULT)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "compiler %d: WGSL has only the built-in compiler "
                       "(CS_HLSL_COMPILER_DEFAULT)",
                       (int)compiler);
    char *glsl = NULL, *error = NULL;
    size_t glsl_size = 0;
    bool out_of_memory = false;
    if (!cs_wgsl_to_glsl(source, size, entry_point, file_name, &glsl,
                         &glsl_size, &error, &out_of_memory)) {
        cs_status status = out_of_memory
                               ? cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                                         "out of memory while compiling WGSL")
                               : cs_fail(CS_ERROR_SHADER_COMPILE, "%s", error);
        free(error);
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
        return status;
    }
    free(glsl);
    *out_spirv = words;
    *out_size = word_count * 4;
    return CS_OK;
}

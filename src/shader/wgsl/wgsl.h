/* wgsl.h - what the rest of the shader subsystem sees of the WGSL front
 * end: one compile entry, and the GLSL compile it relies on (compile.c). */
#ifndef CS_WGSL_H
#define CS_WGSL_H

#include "../shader_internal.h"

/* desc's WGSL source (size bytes) with its override constants -> SPIR-V words
 * in *out_spirv (malloc'd, *out_size bytes). CS_ERROR_SHADER_COMPILE with
 * "<file>:<line>:<col>: error: ...", the source line and a caret. */
cs_status cs_wgsl_compile(const cs_shader_compile_desc *desc, size_t size,
                          const char *entry_point, const char *file_name,
                          void **out_spirv, size_t *out_size);

/* Compiles GLSL with the built-in shaderc (compile.c). */
cs_status cs_shaderc_compile_glsl(const char *source, size_t size,
                                  const char *entry_point,
                                  const char *file_name, uint32_t **out_words,
                                  size_t *out_word_count);

#endif

/* module_cache.h - cached reflection and validation of SPIR-V modules for
 * cs_compute_create (module_cache.c). */
#ifndef CS_MODULE_CACHE_H
#define CS_MODULE_CACHE_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cs_shader_reflect, from the cache when the same bytes were reflected
 * before. */
cs_status cs_module_reflect(const void *spirv, size_t size,
                            cs_shader_reflection *out_reflection);

typedef struct cs_prepared_module cs_prepared_module;

/* The module the backend gets: words patched to the storage image formats
 * (bindings[i] -> formats[i]) when patch is set, validated by SPIRV-Tools;
 * from the cache when the same module and formats were prepared before.
 * *out_words points into *out_module or is `words`; free *out_module with
 * cs_prepared_module_free once the words are no longer needed. */
cs_status cs_module_prepare(const uint32_t *words, size_t word_count,
                            const uint32_t *bindings, const uint32_t *formats,
                            size_t format_count, bool patch,
                            const uint32_t **out_words, size_t *out_count,
                            cs_prepared_module **out_module);
void cs_prepared_module_free(cs_prepared_module *module);

#endif

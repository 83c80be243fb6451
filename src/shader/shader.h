/*
 * shader.h - what the shader part offers the core and the backends: the
 * SPIR-V module cache (reflection, and the module prepared for the
 * resources bound), the storage-image format pass, the conversions between
 * shader formats. The shader part's own files share shader_internal.h.
 *
 * Dependencies point one way: core and backends -> this header -> the
 * public header and the common helpers. Nothing here knows a core object
 * (cs_compute, cs_device): callers pass plain values.
 */
#ifndef CS_SHADER_H
#define CS_SHADER_H

#include "compushady.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* >>modules (module_cache.c) */

/* cs_shader_reflect, from a process-wide bounded cache (CS_CACHE_MODULE)
 * when the same bytes were reflected before. */
cs_status cs_module_reflect(const void *spirv, size_t size,
                            cs_shader_reflection *out_reflection);

/* A storage image or storage texel buffer of a shader with a resource
 * bound: its binding, the SPIR-V ImageFormat the shader declares, the
 * format of the resource bound (the core lists them:
 * cs_compute_storage_bindings in core/backend.h). */
typedef struct cs_storage_binding {
    uint32_t binding;
    uint32_t declared_format; /* SPIR-V ImageFormat; 0 = Unknown */
    cs_format format;         /* of the resource bound */
} cs_storage_binding;

typedef struct cs_prepared_module cs_prepared_module;

/* The module a backend hands its driver: storage images and texel buffers
 * declare the SPIR-V image format of the resource bound (patched when one
 * differs from what the shader declares; a format SPIR-V cannot name makes
 * it Unknown, with the StorageImage*WithoutFormat capabilities: see
 * cs_spirv_patch_image_formats), validated by SPIRV-Tools (Vulkan rules);
 * from the cache when the same module and formats were prepared before.
 * *out_words points into *out_module or is `words`; free *out_module with
 * cs_prepared_module_free once the words are no longer needed. words must
 * be 4-aligned. */
cs_status cs_spirv_prepare_storage_formats(const uint32_t *words,
                                           size_t word_count,
                                           const cs_storage_binding *bindings,
                                           size_t binding_count,
                                           const uint32_t **out_words,
                                           size_t *out_count,
                                           cs_prepared_module **out_module);
void cs_prepared_module_free(cs_prepared_module *module);

/* Whether a module declares an OpCapability (SpvCapability*). */
bool cs_spirv_declares_capability(const uint32_t *words, size_t word_count,
                                  uint32_t capability);

/* The SPIR-V ImageFormat naming the same texel layout as a format, or 0
 * (Unknown) for formats SPIR-V cannot name (B8G8R8A8_*, R32G32B32_*,
 * *_SRGB) and unknown values. */
uint32_t cs_spirv_image_format_from_dxgi(uint32_t dxgi_format);

/* A copy of bytes as 4-aligned words when they are not aligned (*out_copy,
 * free it; NULL when bytes already are); CS_ERROR_INVALID_SHADER when size
 * is not a whole number of words or the header is not SPIR-V's. */
cs_status cs_spirv_align(const void *bytes, size_t size,
                         const uint32_t **out_words, size_t *out_count,
                         uint32_t **out_copy);

/* >>shader formats (shader_format.c) */

/* Compiles code of a source format (GLSL, HLSL, WGSL) to SPIR-V, as
 * cs_shader_compile does (*out_spirv malloc'd); CS_ERROR_UNSUPPORTED for a
 * format the library cannot compile (MSL), CS_ERROR_INVALID_ARGUMENT for an
 * unknown one. Not for SPIR-V itself. */
cs_status cs_shader_to_spirv(cs_shader_format format, const void *code,
                             size_t size, const char *entry_point,
                             void **out_spirv, size_t *out_size);
/* Picks the best format of the `taken` bits that SPIR-V can become (SPIR-V
 * itself first: *out_code NULL, *out_size spirv_size) and converts the
 * module to it (*out_code malloc'd, nul-terminated source). None:
 * CS_ERROR_UNSUPPORTED naming taker ("device 'X' (the opengl backend)")
 * and the formats it takes. */
cs_status cs_shader_from_spirv(const void *spirv, size_t spirv_size,
                               uint32_t taken, const char *entry_point,
                               const char *taker, cs_shader_format *out_format,
                               char **out_code, size_t *out_size);
/* "SPIR-V, GLSL" for a set of CS_SHADER_FORMAT_* bits ("none": 0). */
void cs_shader_format_list(uint32_t formats, char *text, size_t size);

#endif

/*
 * shader.h - what the shader part offers the backends: reading SPIR-V
 * (for their own rewrites), the module prepared for the resources bound
 * (storage image formats, cached and validated), what a module declares. The
 * shader part's own files share shader_internal.h; the core uses the shader
 * part through the public API alone (cs_shader_compile, cs_shader_reflect,
 * cs_shader_cross_compile).
 *
 * Dependencies point one way: backends -> this header -> common and the
 * public header. Nothing here knows a core object (cs_compute,
 * cs_device): callers pass plain values (common.h's cs_storage_binding).
 */
#ifndef CS_SHADER_H
#define CS_SHADER_H

#include "../common/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* >>spirv: a module whose header and instruction stream were checked, so
 * every instruction from word 5 on has a word count >= 1 that stays inside
 * the module. Operands inside an instruction still need bounds checks. */
enum {
    CS_SPIRV_MAGIC = 0x07230203u,
    CS_SPIRV_HEADER_WORDS = 5,
    /* Real modules stay far below; the cap keeps per-id tables small. */
    CS_SPIRV_MAX_ID_BOUND = 1u << 22,
};

typedef struct cs_spirv {
    const uint32_t *words;
    size_t word_count;
    uint32_t version; /* 0x00010500 for SPIR-V 1.5 */
    uint32_t id_bound;
} cs_spirv;

/* Checks a module of word_count words (CS_ERROR_INVALID_SHADER with what is
 * wrong) and fills *out_module. The words must stay alive while it is used. */
cs_status cs_spirv_open(const uint32_t *words, size_t word_count,
                        cs_spirv *out_module);

/* The same from bytes: rejects sizes that are not a multiple of 4 and copies
 * the bytes when they are not 4-aligned (*out_copy then owns them; free it). */
cs_status cs_spirv_open_bytes(const void *bytes, size_t size,
                              cs_spirv *out_module, uint32_t **out_copy);

static inline uint32_t cs_spirv_opcode(uint32_t first_word)
{
    return first_word & 0xffffu;
}
static inline uint32_t cs_spirv_word_count(uint32_t first_word)
{
    return first_word >> 16;
}

/* Bytes of the nul-terminated literal string starting at operand `first` of
 * the instruction at `inst`; copies at most capacity-1 bytes into out (always
 * terminated). Returns false when the string runs past the instruction. */
bool cs_spirv_read_string(const uint32_t *inst, uint32_t first, char *out,
                          size_t capacity);

/* >>modules (module_cache.c). Reflection is cached too, behind the public
 * cs_shader_reflect(). */

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

#endif

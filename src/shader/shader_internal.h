/*
 * shader_internal.h - the shader subsystem's internal interface: the passes
 * that make glslang's HLSL output behave like DXC's, the compile cache, the
 * image format patch. SPIR-V reading, shared with the backends, is in
 * shader.h.
 */
#ifndef CS_SHADER_INTERNAL_H
#define CS_SHADER_INTERNAL_H

#include "../common/common.h"
#include "shader.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* >>compile helpers */

/* Rewrites HLSL source so glslang accepts names DXC accepts (e.g. a variable
 * called `texture`), sizes unbounded resource arrays with
 * CS_HLSL_UNBOUNDED_ARRAY_SIZE, and makes (RW)ByteAddressBuffer
 * GetDimensions return bytes (hlsl_compat.c), keeping every newline so
 * diagnostics keep their line numbers. *out_source is malloc'd and
 * nul-terminated. */
cs_status cs_hlsl_make_glslang_compatible(const char *source, size_t size,
                                          char **out_source, size_t *out_size);

/* Workarounds for glslang (hlsl_workarounds.c), called by
 * cs_hlsl_make_glslang_compatible, keeping every newline; *out_source is
 * malloc'd and nul-terminated. The first rewrites writes to some components
 * of an RWBuffer / RWTexture element (`output[i].r = v;`, which glslang
 * refuses) into a read, a component write and a whole-element write; the
 * second turns `ConstantBuffer<T> name` into `cbuffer name { T name; }`
 * where T is also a writable resource's element type (glslang would make
 * every T read-only). */
cs_status cs_hlsl_expand_partial_writes(const char *source, size_t size,
                                        char **out_source, size_t *out_size);
cs_status cs_hlsl_split_shared_constant_buffers(const char *source, size_t size,
                                                char **out_source,
                                                size_t *out_size);

/* Compiles HLSL with DXC (dxc.c), loaded at first use, with the original
 * compushady's SPIR-V arguments: registers shifted by 1024 (t), 2048 (u),
 * 3072 (s) in set 0, -fvk-use-dx-layout -fvk-use-scalar-layout, so the
 * output already has D3D buffer layouts. *out_words is malloc'd.
 * CS_ERROR_UNSUPPORTED without a DXC library, CS_ERROR_SHADER_COMPILE with
 * DXC's diagnostics. */
cs_status cs_dxc_compile(const char *source, size_t size,
                         const char *entry_point, const char *target,
                         const char *file_name, uint32_t **out_words,
                         size_t *out_word_count);

/* Loads DXC (CS_ERROR_UNSUPPORTED when missing) and writes what identifies
 * its output, for the compile cache: "dxc <file> <size> <mtime>". */
cs_status cs_dxc_describe(char *out, size_t capacity);

/* Removes glslang's debug information except the names (OpName,
 * OpMemberName), in place, giving renamed HLSL identifiers their source
 * spelling back (debug_names.c). */
cs_status cs_spirv_keep_names_only(uint32_t *words, size_t *io_word_count);

/* The array size cs_hlsl_make_glslang_compatible gives an unbounded
 * resource array (`Texture2D t[] : register(t0);` becomes `t[750899685]`),
 * and that cs_spirv_make_unbounded_arrays turns back into a runtime array.
 * No real shader declares a descriptor array that large: one that did
 * would get a runtime array too. */
#define CS_HLSL_UNBOUNDED_ARRAY_SIZE 750899685u
#define CS_HLSL_UNBOUNDED_ARRAY_SIZE_TEXT "750899685"

/* Turns each OpTypeArray of length CS_HLSL_UNBOUNDED_ARRAY_SIZE that a
 * descriptor variable (UniformConstant, Uniform or StorageBuffer pointer)
 * points to into an OpTypeRuntimeArray, as glslang does for GLSL's
 * `uniform texture2D t[];`: adds the RuntimeDescriptorArray capability (and
 * SPV_EXT_descriptor_indexing before SPIR-V 1.5). Every access chain into
 * such an array whose index is not a constant, and the pointers and images
 * derived from it, are decorated NonUniform (ShaderNonUniform and the
 * <kind>ArrayNonUniformIndexing capability): glslang 12 has no
 * NonUniformResourceIndex, so dynamic indices are taken as non-uniform,
 * which is always correct. *io_words may be replaced by a new malloc'd
 * module (the old one freed); a module without such arrays is unchanged. */
cs_status cs_spirv_make_unbounded_arrays(uint32_t **io_words,
                                         size_t *io_word_count);

/* The identifiers cs_hlsl_make_glslang_compatible renames, and the suffix it
 * appends to them ("texture" -> "texture_cs"). NULL-terminated. */
extern const char *const cs_hlsl_renamed_identifiers[];
#define CS_HLSL_RENAME_SUFFIX "_cs"

/* Rewrites, in place, the Offset/ArrayStride/MatrixStride decorations of
 * every type reachable from a storage buffer (StorageBuffer storage class,
 * or Uniform + BufferBlock) to D3D structured buffer packing, which equals
 * Vulkan's scalar block layout, and of every type reachable from a constant
 * buffer (Uniform + Block) to FXC's cbuffer packing (layout.c says how).
 * With keep_cbuffer_offsets, the members of the constant buffer blocks
 * themselves keep their offsets (the source uses packoffset, which glslang
 * honours but the SPIR-V does not show); the types inside are still
 * repacked. Push constants keep their layout. A type shared by buffers that
 * need different layouts fails with CS_ERROR_UNSUPPORTED (glslang does not
 * emit such sharing for the types whose layout changes). The output needs
 * the scalarBlockLayout device feature. */
cs_status cs_spirv_apply_d3d_buffer_layout(uint32_t *words, size_t word_count,
                                           bool keep_cbuffer_offsets);

/* Turns, in place, the InclusiveScan group operations that glslang emits
 * for HLSL's WavePrefixSum/WavePrefixProduct into the ExclusiveScan that
 * HLSL means (hlsl_wave.c). Only for glslang-compiled HLSL. */
void cs_spirv_hlsl_exclusive_prefixes(uint32_t *words, size_t word_count);

/* >>compiler protection (compiler_thread.c, source_limits.c): compiles run
 * on a thread with a stack of CS_COMPILER_STACK_BYTES (reserved, committed
 * as used), and sources are checked against limits that keep the
 * compilers' recursion far inside it. glslang takes up to ~2.1 KiB of stack
 * per level of nesting and ~0.9 KiB per operator of one expression, so the
 * deepest source the limits let through needs ~35 MiB (docs/decisions.md,
 * "Shader compilers never crash"). */
#define CS_COMPILER_STACK_BYTES ((size_t)512 << 20)
enum {
    /* bytes of source, as written and after preprocessing */
    CS_SHADER_MAX_SOURCE_BYTES = 16 << 20,
    /* brackets ( [ {, blocks and unbraced control statements (if, else,
     * for, while, do, switch) open at one point, together */
    CS_SHADER_MAX_NESTING = 1024,
    /* operator characters in one statement (a n-term sum is n deep) */
    CS_SHADER_MAX_STATEMENT_OPERATORS = 32768,
    /* struct/class/interface declarations (a struct nests the previous) */
    CS_SHADER_MAX_STRUCTS = 4096,
    /* macros using macros using macros... */
    CS_SHADER_MAX_MACRO_DEPTH = 1024,
    /* an upper bound of the preprocessor's output, in tokens */
    CS_SHADER_MAX_EXPANDED_TOKENS = 4 << 20,
};

/* Runs job(arg) on a compiler thread and waits for it; a failure's message
 * is handed to the caller's cs_last_error(). */
cs_status cs_compiler_thread_run(cs_status (*job)(void *), void *arg);

/* A whole compile runs between these: fork() waits for it, so a child
 * never inherits the compilers' or the compile cache's locks held. Not
 * nested. */
void cs_compile_fork_enter(void);
void cs_compile_fork_leave(void);

/* The stack size the compiler threads got (0 if none can start). */
size_t cs_compiler_thread_stack_size(void);

/* The macro checks, on the source as written: CS_ERROR_SHADER_COMPILE
 * naming the limit and the line. */
cs_status cs_shader_check_macros(const char *source, size_t size,
                                 const char *file_name);

/* The nesting, operator and struct checks, on preprocessed source. */
cs_status cs_shader_check_nesting(const char *source, size_t size,
                                  const char *file_name);

/* >>GLSL as the original compushady read it (no #version line: compile.c
 * compiles it as GLSL 450 with these two passes). */

/* Whether the source has a #version directive (a line starting with
 * `#version`, outside comments): the sign of GLSL written for this library,
 * whose binding numbers are used as they are. */
bool cs_glsl_has_version_directive(const char *source, size_t size);

/* Wraps each uniform of a plain type declared outside a block (`layout(
 * binding = 3) uniform float multiplier;`, legal in naga, not in Vulkan
 * GLSL) in a uniform block of its own, keeping line numbers
 * (glsl_compat.c). *out_source is malloc'd and nul-terminated. */
cs_status cs_glsl_wrap_loose_uniforms(const char *source, size_t size,
                                      char **out_source, size_t *out_size);

/* Renumbers the bindings of a module compiled from such a source: one
 * sequence across kinds becomes, kind by kind in (set, binding) order, the
 * b/t/u/s registers of the binding convention (glsl_bindings.c). In place;
 * the module must be valid. */
cs_status cs_spirv_assign_original_glsl_bindings(uint32_t *words,
                                                 size_t word_count);

/* Marks each storage image variable that the shader only writes
 * NonReadable, and each it only reads NonWritable (unless it has either
 * already), as DXC does: SPIRV-Cross then writes `writeonly`/`readonly`
 * (image_access.c). *out_words is a new malloc'd module. */
cs_status cs_spirv_decorate_image_access(const uint32_t *words,
                                         size_t word_count,
                                         uint32_t **out_words,
                                         size_t *out_word_count);

/* >>source text (source_text.c): what the source rewrites share */
bool cs_source_identifier_start(char c);
bool cs_source_identifier_char(char c);
/* Index just past the comment starting at `at`, or `at` when none does. */
size_t cs_source_skip_comment(const char *source, size_t size, size_t at);
/* A growing output text, kept NUL-terminated; `failed` once out of
 * memory (later appends do nothing). Start from {0}; free(bytes). */
typedef struct cs_text {
    char *bytes;
    size_t size, capacity;
    bool failed;
} cs_text;
void cs_text_append(cs_text *text, const char *bytes, size_t size);

/* >>compile cache (compile_cache.c): results of cs_shader_compile by key
 * (every input that decides the output, built by compile.c). find hands
 * back a malloc'd copy of the words, from memory or from a disk file that
 * cs_shader_reflect accepted; store keeps a copy in memory and on disk. */
bool cs_compile_cache_find(const void *key, size_t key_size,
                           uint32_t **out_words, size_t *out_count);
void cs_compile_cache_store(const void *key, size_t key_size,
                            const uint32_t *words, size_t word_count);

/* >>image formats, for the core */

/* Returns a new malloc'd module (*out_words, *out_word_count words) where the
 * OpTypeImage of each storage image / storage texel buffer variable of
 * descriptor set 0 whose binding is bindings[i] declares the SPIR-V
 * ImageFormat spirv_formats[i] (0 = Unknown). Sampled images keep their
 * format (Vulkan ignores it for them).
 *
 * When one OpTypeImage is shared by variables that need different formats
 * (a variable not listed wants the format it already has), the shared type
 * is set to Unknown: cloning types would also mean retyping every load and
 * access chain, a riskier rewrite. A module with an Unknown storage image
 * format gets the capability StorageImageWriteWithoutFormat, and
 * StorageImageReadWithoutFormat too when it reads (OpImageRead) such an
 * image; each needs the device feature of the same name
 * (cs_device_info.supports_storage_image_write_without_format,
 * supports_storage_image_without_format). Bindings that no variable has are
 * ignored. */
cs_status cs_spirv_patch_image_formats(const uint32_t *words, size_t word_count,
                                       const uint32_t *bindings,
                                       const uint32_t *spirv_formats,
                                       size_t count, uint32_t **out_words,
                                       size_t *out_word_count);

/* cs_shader_reflect without the module cache (reflect.c; the public
 * function is module_cache.c's, which calls this on a miss). */
cs_status cs_spirv_reflect(const void *spirv, size_t size,
                           cs_shader_reflection *out_reflection);

/* Validates a whole module with SPIRV-Tools for the Vulkan environment of
 * its SPIR-V version: CS_ERROR_INVALID_SHADER with the validator's message. */
cs_status cs_spirv_validate(const uint32_t *words, size_t word_count);
/* Remembers words as valid for this process (a bounded set of copies):
 * cs_spirv_validate answers CS_OK for the same words without validating.
 * For what cs_shader_compile validated, from its caches too. forget empties
 * the set (tests). */
void cs_spirv_remember_valid(const uint32_t *words, size_t word_count);
void cs_spirv_forget_valid(void);
/* How many modules and bytes the set holds (tests of its bounds). */
void cs_spirv_known_valid_stats(size_t *out_count, size_t *out_bytes);

#endif

/* compile.c - cs_shader_compile: HLSL and GLSL compute shaders to SPIR-V
 * through shaderc, with the register convention of compushady.h and, for
 * HLSL, DXC's buffer layouts. */
#include "shader_internal.h"
#include "wgsl/wgsl.h"

#include <shaderc/shaderc.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* after the libraries' headers: their functions may be pointers */
#include "shader_libraries.h"

#define CS_STRINGIFY_(x) #x
#define CS_STRINGIFY(x) CS_STRINGIFY_(x)

/* shaderc's HLSL register classes map to these binding bases. Structured
 * and byte-address buffers are storage buffers whether they are SRVs (t) or
 * UAVs (u): glslang's HLSL resolver picks the base from the register letter
 * or, without one, from the resource's kind, and we checked that it does so
 * for every kind in tests/c/test_shader.c. */
static void set_binding_bases(shaderc_compile_options_t options)
{
    shaderc_compile_options_set_binding_base(
        options, shaderc_uniform_kind_buffer, CS_REGISTER_B_BASE);
    shaderc_compile_options_set_binding_base(
        options, shaderc_uniform_kind_texture, CS_REGISTER_T_BASE);
    shaderc_compile_options_set_binding_base(
        options, shaderc_uniform_kind_storage_buffer, CS_REGISTER_T_BASE);
    shaderc_compile_options_set_binding_base(
        options, shaderc_uniform_kind_image, CS_REGISTER_U_BASE);
    shaderc_compile_options_set_binding_base(
        options, shaderc_uniform_kind_unordered_access_view,
        CS_REGISTER_U_BASE);
    shaderc_compile_options_set_binding_base(
        options, shaderc_uniform_kind_sampler, CS_REGISTER_S_BASE);
}

/* DXC takes "cs_<major>_<minor>"; glslang ignores the profile, so only the
 * shader stage matters and is checked. */
static cs_status check_hlsl_target(const char *target)
{
    size_t length = strlen(target);
    bool well_formed = length == 6 && strncmp(target, "cs_", 3) == 0 &&
                       isdigit((unsigned char)target[3]) && target[4] == '_' &&
                       (isdigit((unsigned char)target[5]) || target[5] == 'x');
    if (!well_formed)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "HLSL target \"%s\" is not a compute shader profile, "
                       "expected \"cs_<major>_<minor>\" such as \"cs_6_0\"",
                       target);
    int major = target[3] - '0';
    if (major < 4 || major > 6)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "HLSL target \"%s\" has no compute shaders, expected "
                       "cs_4_0 to cs_6_x",
                       target);
    return CS_OK;
}

static shaderc_compile_options_t make_options(cs_shader_language language,
                                              bool original_glsl)
{
    shaderc_compile_options_t options = shaderc_compile_options_initialize();
    if (options == NULL)
        return NULL;
    shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan,
                                           shaderc_env_version_vulkan_1_2);
    /* SPIR-V 1.3, not 1.5: glslang 12 decorates HLSL storage buffers with
     * BufferBlock, which SPIR-V 1.4+ forbids (the optimizer then fails). */
    shaderc_compile_options_set_target_spirv(options,
                                             shaderc_spirv_version_1_3);
    shaderc_compile_options_set_optimization_level(
        options, shaderc_optimization_level_performance);
    /* Keeps OpName for reflection; cs_spirv_keep_names_only then drops the
     * rest of the debug information. */
    shaderc_compile_options_set_generate_debug_info(options);
    if (language == CS_SHADER_HLSL) {
        shaderc_compile_options_set_source_language(
            options, shaderc_source_language_hlsl);
        shaderc_compile_options_set_hlsl_io_mapping(options, true);
        shaderc_compile_options_set_auto_bind_uniforms(options, true);
        shaderc_compile_options_set_hlsl_offsets(options, true);
        /* hlsl_functionality1 stays off: its SPV_GOOGLE decorations need
         * device extensions that lavapipe lacks, and reflection does not
         * need them. */
        set_binding_bases(options);
        /* glslang 12 lacks DXC's NonUniformResourceIndex: bindless shaders
         * written for DXC compile with it as the identity. Dynamic indices
         * into unbounded arrays are decorated NonUniform whether or not
         * they use it (cs_spirv_make_unbounded_arrays); those into sized
         * arrays are not. */
        static const char nuri[] = "NonUniformResourceIndex(x)";
        static const char nuri_value[] = "(x)";
        shaderc_compile_options_add_macro_definition(
            options, nuri, sizeof nuri - 1, nuri_value, sizeof nuri_value - 1);
    } else {
        shaderc_compile_options_set_source_language(
            options, shaderc_source_language_glsl);
        /* the original's GLSL has no #version line (glsl_compat.c) */
        if (original_glsl)
            shaderc_compile_options_set_forced_version_profile(
                options, 450, shaderc_profile_none);
    }
    return options;
}

static cs_status compile_failure(shaderc_compilation_status status,
                                 const char *diagnostics, const char *file_name,
                                 const char *entry_point)
{
    /* glslang's own words do not name the entry point it looked for */
    if (diagnostics && strstr(diagnostics, "Entry point not found"))
        return cs_fail(CS_ERROR_SHADER_COMPILE,
                       "%s: entry point '%s' not found in the shader",
                       file_name, entry_point);
    switch (status) {
    case shaderc_compilation_status_compilation_error:
    case shaderc_compilation_status_invalid_stage:
        return cs_fail(CS_ERROR_SHADER_COMPILE, "%s",
                       diagnostics && *diagnostics
                           ? diagnostics
                           : "the shader failed to compile");
    case shaderc_compilation_status_invalid_assembly:
    case shaderc_compilation_status_validation_error:
    case shaderc_compilation_status_transformation_error:
        return cs_fail(CS_ERROR_SHADER_COMPILE,
                       "%s: the compiler produced invalid SPIR-V: %s",
                       file_name, diagnostics ? diagnostics : "");
    default:
        return cs_fail(CS_ERROR_BACKEND, "%s: shaderc failed (status %d): %s",
                       file_name, (int)status, diagnostics ? diagnostics : "");
    }
}

/* Whether the HLSL source mentions packoffset (comments included: a false
 * positive only keeps glslang's top-level cbuffer offsets). */
static bool mentions(const char *source, size_t size, const char *word)
{
    size_t length = strlen(word);
    for (size_t at = 0; at + length <= size; at++)
        if (memcmp(source + at, word, length) == 0)
            return true;
    return false;
}

static bool mentions_packoffset(const char *source, size_t size)
{
    return mentions(source, size, "packoffset");
}

/* One shaderc compiler per thread, kept for the thread's life: a compiler
 * must not be used by two threads at once, and starting one per call costs
 * time. Without thread-specific storage each call starts its own. */
static cs_tls compiler_key;
static bool compiler_key_made;
static cs_once compiler_once = CS_ONCE_INIT;

static void release_compiler(void *compiler)
{
    shaderc_compiler_release(compiler);
}

static void make_compiler_key(void)
{
    compiler_key_made = cs_tls_create(&compiler_key, release_compiler);
}

static shaderc_compiler_t take_compiler(void)
{
    cs_call_once(&compiler_once, make_compiler_key);
    if (!compiler_key_made)
        return shaderc_compiler_initialize();
    shaderc_compiler_t compiler = cs_tls_get(compiler_key);
    if (compiler == NULL) {
        compiler = shaderc_compiler_initialize();
        if (compiler && !cs_tls_set(compiler_key, compiler)) {
            shaderc_compiler_release(compiler);
            compiler = NULL;
        }
    }
    return compiler;
}

static void give_back_compiler(shaderc_compiler_t compiler)
{
    if (!compiler_key_made)
        shaderc_compiler_release(compiler);
}

/* A compiler of this thread's and the options for language; the caller
 * releases both (give_back_compiler, shaderc_compile_options_release). */
static cs_status start_shaderc(cs_shader_language language, bool original_glsl,
                               shaderc_compiler_t *out_compiler,
                               shaderc_compile_options_t *out_options)
{
    cs_status loaded = cs_shaderc_load();
    if (loaded != CS_OK)
        return loaded;
    *out_compiler = take_compiler();
    if (*out_compiler == NULL)
        return cs_fail(CS_ERROR_BACKEND, "shaderc failed to start");
    *out_options = make_options(language, original_glsl);
    if (*out_options == NULL) {
        give_back_compiler(*out_compiler);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "cannot allocate shaderc options");
    }
    return CS_OK;
}

/* Compiles source (size bytes, not necessarily terminated) and hands back
 * a malloc'd copy of the words. */
static cs_status run_shaderc(cs_shader_language language, bool original_glsl,
                             const char *source, size_t size,
                             const char *entry_point, const char *file_name,
                             uint32_t **out_words, size_t *out_word_count)
{
    shaderc_compiler_t compiler;
    shaderc_compile_options_t options;
    cs_status started =
        start_shaderc(language, original_glsl, &compiler, &options);
    if (started != CS_OK)
        return started;
    shaderc_compilation_result_t result =
        shaderc_compile_into_spv(compiler, source, size, shaderc_compute_shader,
                                 file_name, entry_point, options);
    cs_status status = CS_OK;
    if (result == NULL) {
        status =
            cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY, "shaderc returned no result");
    } else if (shaderc_result_get_compilation_status(result) !=
               shaderc_compilation_status_success) {
        status = compile_failure(shaderc_result_get_compilation_status(result),
                                 shaderc_result_get_error_message(result),
                                 file_name, entry_point);
    } else {
        size_t bytes = shaderc_result_get_length(result);
        uint32_t *words = malloc(bytes ? bytes : 4);
        if (words == NULL) {
            status = cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                             "cannot allocate %zu bytes of SPIR-V", bytes);
        } else {
            memcpy(words, shaderc_result_get_bytes(result), bytes);
            *out_words = words;
            *out_word_count = bytes / 4;
        }
    }
    shaderc_result_release(result);
    shaderc_compile_options_release(options);
    give_back_compiler(compiler);
    return status;
}

/* Preprocesses source as the compile will and checks the result's nesting
 * (cs_shader_check_nesting), so nesting made by macros counts too. When
 * preprocessing fails, its diagnostics are the compile's error: glslang
 * would report the same first, and might go on parsing macro output that
 * no check has seen. For DXC (own_preprocessor), whose preprocessor
 * accepts more than glslang's, the source as written is checked instead
 * and DXC gives its own error (clang's parser limits bracket depth and
 * grows its stack itself). */
static cs_status check_preprocessed(cs_shader_language language,
                                    bool original_glsl, const char *source,
                                    size_t size, const char *entry_point,
                                    const char *file_name,
                                    bool own_preprocessor)
{
    shaderc_compiler_t compiler;
    shaderc_compile_options_t options;
    cs_status started =
        start_shaderc(language, original_glsl, &compiler, &options);
    if (started != CS_OK)
        return started;
    shaderc_compilation_result_t result =
        shaderc_compile_into_preprocessed_text(compiler, source, size,
                                               shaderc_compute_shader,
                                               file_name, entry_point, options);
    cs_status status;
    if (result == NULL)
        status =
            cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY, "shaderc returned no result");
    else if (shaderc_result_get_compilation_status(result) ==
             shaderc_compilation_status_success)
        status = cs_shader_check_nesting(shaderc_result_get_bytes(result),
                                         shaderc_result_get_length(result),
                                         file_name);
    else if (own_preprocessor)
        status = cs_shader_check_nesting(source, size, file_name);
    else
        status = compile_failure(shaderc_result_get_compilation_status(result),
                                 shaderc_result_get_error_message(result),
                                 file_name, entry_point);
    shaderc_result_release(result);
    shaderc_compile_options_release(options);
    give_back_compiler(compiler);
    return status;
}

/* What a compile needs and gives, handed to the compiler thread. */
typedef struct compile_job {
    const cs_shader_compile_desc *desc;
    size_t size;
    const char *entry_point, *file_name, *target;
    bool hlsl, dxc;
    bool original_glsl; /* GLSL without #version (glsl_compat.c) */
    uint32_t *words;
    size_t word_count;
} compile_job;

/* Runs on a compiler thread (compiler_thread.c): the source checks, then
 * the compiler and the SPIR-V passes. */
static cs_status run_compile_job(void *argument)
{
    compile_job *job = argument;
    const cs_shader_compile_desc *desc = job->desc;
    size_t size = job->size;
    cs_status status =
        cs_shader_check_macros(desc->source, size, job->file_name);
    if (status != CS_OK)
        return status;
    if (job->dxc) {
        /* DXC preprocesses as glslang's HLSL front end does; it takes HLSL
         * as written and lays buffers out itself */
        status = check_preprocessed(CS_SHADER_HLSL, false, desc->source, size,
                                    job->entry_point, job->file_name, true);
        if (status != CS_OK)
            return status;
        return cs_dxc_compile(desc->source, size, job->entry_point, job->target,
                              job->file_name, &job->words, &job->word_count);
    }
    char *rewritten = NULL;
    const char *source = desc->source;
    if (job->hlsl) {
        status = cs_hlsl_make_glslang_compatible(desc->source, size, &rewritten,
                                                 &size);
        if (status != CS_OK)
            return status;
        source = rewritten;
    }
    if (job->original_glsl) {
        status =
            cs_glsl_wrap_loose_uniforms(desc->source, size, &rewritten, &size);
        if (status != CS_OK)
            return status;
        source = rewritten;
    }
    status = check_preprocessed(desc->language, job->original_glsl, source,
                                size, job->entry_point, job->file_name, false);
    if (status == CS_OK)
        status = run_shaderc(desc->language, job->original_glsl, source, size,
                             job->entry_point, job->file_name, &job->words,
                             &job->word_count);
    if (status == CS_OK)
        status = cs_spirv_keep_names_only(job->words, &job->word_count);
    bool packoffset = job->hlsl && mentions_packoffset(source, size);
    free(rewritten);
    if (status == CS_OK && job->hlsl)
        status = cs_spirv_apply_d3d_buffer_layout(job->words, job->word_count,
                                                  packoffset);
    if (status == CS_OK && job->hlsl)
        cs_spirv_hlsl_exclusive_prefixes(job->words, job->word_count);
    if (status == CS_OK && job->hlsl)
        status = cs_spirv_make_unbounded_arrays(&job->words, &job->word_count);
    if (status == CS_OK && job->original_glsl)
        status =
            cs_spirv_assign_original_glsl_bindings(job->words, job->word_count);
    if (status != CS_OK) {
        free(job->words);
        job->words = NULL;
    }
    return status;
}

/* The compile cache's key: everything that decides the output. The file
 * name only appears in diagnostics, and failures are not cached. The
 * version tag changes whenever compile.c, the HLSL passes or the compiler
 * options change what comes out. */
static void *make_cache_key(const cs_shader_compile_desc *desc,
                            const char *entry_point, const char *target,
                            const char *compiler, size_t source_size,
                            size_t *out_size)
{
    static const char version[] =
        "compushady " CS_STRINGIFY(CS_VERSION_MAJOR) "." CS_STRINGIFY(
            CS_VERSION_MINOR) "." CS_STRINGIFY(CS_VERSION_PATCH) " compile 7";
    size_t entry_size = strlen(entry_point) + 1;
    size_t target_size = strlen(target) + 1;
    size_t compiler_size = strlen(compiler) + 1;
    size_t size = sizeof version + 1 + entry_size + target_size +
                  compiler_size + source_size;
    unsigned char *key = malloc(size);
    if (!key)
        return NULL;
    unsigned char *at = key;
    memcpy(at, version, sizeof version);
    at += sizeof version;
    *at++ = (unsigned char)desc->language;
    memcpy(at, entry_point, entry_size);
    at += entry_size;
    memcpy(at, target, target_size);
    at += target_size;
    memcpy(at, compiler, compiler_size);
    at += compiler_size;
    memcpy(at, desc->source, source_size);
    *out_size = size;
    return key;
}

static cs_status compile_unguarded(const cs_shader_compile_desc *desc,
                                   void **out_spirv, size_t *out_size);

cs_status cs_shader_compile(const cs_shader_compile_desc *desc,
                            void **out_spirv, size_t *out_size)
{
    cs_compile_fork_enter();
    cs_status status = compile_unguarded(desc, out_spirv, out_size);
    cs_compile_fork_leave();
    return status;
}

static cs_status compile_unguarded(const cs_shader_compile_desc *desc,
                                   void **out_spirv, size_t *out_size)
{
    if (desc == NULL || out_spirv == NULL || out_size == NULL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "cs_shader_compile needs desc, out_spirv and out_size");
    if (desc->source == NULL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "shader source is NULL, expected the source text");
    if (desc->language != CS_SHADER_HLSL && desc->language != CS_SHADER_GLSL &&
        desc->language != CS_SHADER_WGSL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown shader language %d, expected CS_SHADER_HLSL, "
                       "CS_SHADER_GLSL or CS_SHADER_WGSL",
                       (int)desc->language);
    size_t size = desc->source_size ? desc->source_size : strlen(desc->source);
    if (size == 0)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "shader source is empty, expected a compute shader");
    const char *entry_point =
        desc->entry_point && *desc->entry_point ? desc->entry_point : "main";
    const char *file_name =
        desc->file_name && *desc->file_name ? desc->file_name : "shader";
    bool hlsl = desc->language == CS_SHADER_HLSL;
    if (desc->language == CS_SHADER_WGSL)
        return cs_wgsl_compile(desc, size, entry_point, file_name, out_spirv,
                               out_size);
    const char *target =
        hlsl && desc->target && *desc->target ? desc->target : "cs_6_0";
    if (hlsl) {
        cs_status status = check_hlsl_target(target);
        if (status != CS_OK)
            return status;
    }
    /* GLSL without a #version line is GLSL as the original compushady
     * read it (docs/conventions.md): compiled as GLSL 450 with its loose
     * uniforms wrapped in blocks and its bindings renumbered by kind. */
    bool original_glsl =
        !hlsl && !cs_glsl_has_version_directive(desc->source, size);
    if (desc->compiler != CS_HLSL_COMPILER_DEFAULT &&
        (desc->compiler != CS_HLSL_COMPILER_DXC || !hlsl))
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "compiler %d: expected CS_HLSL_COMPILER_DEFAULT, or "
                       "CS_HLSL_COMPILER_DXC for HLSL",
                       (int)desc->compiler);
    /* DXC: its library (path, size, time) is part of the cache key */
    bool dxc = desc->compiler == CS_HLSL_COMPILER_DXC;
    char compiler[600] = "";
    if (dxc) {
        cs_status status = cs_dxc_describe(compiler, sizeof compiler);
        if (status != CS_OK)
            return status;
    }
    size_t key_size = 0;
    void *key = make_cache_key(desc, entry_point, hlsl ? target : "", compiler,
                               size, &key_size);
    uint32_t *cached = NULL;
    size_t cached_count = 0;
    if (key && cs_compile_cache_find(key, key_size, &cached, &cached_count)) {
        free(key);
        *out_spirv = cached;
        *out_size = cached_count * 4;
        return CS_OK;
    }

    compile_job job = {
        .desc = desc,
        .size = size,
        .entry_point = entry_point,
        .file_name = file_name,
        .target = target,
        .hlsl = hlsl,
        .dxc = dxc,
        .original_glsl = original_glsl,
    };
    cs_status status = cs_compiler_thread_run(run_compile_job, &job);
    uint32_t *words = job.words;
    size_t word_count = job.word_count;
    if (status != CS_OK) {
        free(key);
        free(words);
        return status;
    }
    /* validated now, once: what Compute() gets from here, or later from the
     * caches (which keep only valid modules), is not validated again. An
     * invalid result is still returned, for Compute() to report, and is
     * compiled again next time. */
    if (key && cs_spirv_validate(words, word_count) == CS_OK)
        cs_compile_cache_store(key, key_size, words, word_count);
    free(key);
    *out_spirv = words;
    *out_size = word_count * 4;
    return CS_OK;
}

/* The WGSL front end lowers to GLSL (src/shader/wgsl): this compiles that. */
cs_status cs_shaderc_compile_glsl(const char *source, size_t size,
                                  const char *entry_point,
                                  const char *file_name, uint32_t **out_words,
                                  size_t *out_word_count)
{
    return run_shaderc(CS_SHADER_GLSL, false, source, size, entry_point,
                       file_name, out_words, out_word_count);
}

typedef struct prewarm_job {
    cs_shader_language language;
} prewarm_job;

/* A minimal shader of the language through shaderc: what builds glslang's
 * tables; the result is dropped. */
static cs_status run_prewarm_job(void *argument)
{
    static const char hlsl[] =
        "RWStructuredBuffer<uint> d : register(u0);\n"
        "[numthreads(1, 1, 1)] void main() { d[0] = 1; }\n";
    static const char glsl[] =
        "#version 450\nlayout(local_size_x = 1) in;\n"
        "layout(std430, binding = 0) buffer B { uint d[]; };\n"
        "void main() { d[0] = 1u; }\n";
    const prewarm_job *job = argument;
    bool is_hlsl = job->language == CS_SHADER_HLSL;
    uint32_t *words = NULL;
    size_t word_count = 0;
    cs_status status = run_shaderc(is_hlsl ? CS_SHADER_HLSL : CS_SHADER_GLSL,
                                   false, is_hlsl ? hlsl : glsl,
                                   is_hlsl ? sizeof hlsl - 1 : sizeof glsl - 1,
                                   "main", "prewarm", &words, &word_count);
    free(words);
    return status;
}

cs_status cs_shader_prewarm(cs_shader_language language)
{
    if (language != CS_SHADER_HLSL && language != CS_SHADER_GLSL &&
        language != CS_SHADER_WGSL)
        return cs_fail(CS_ERROR_INVALID_ARGUMENT,
                       "unknown shader language %d, expected CS_SHADER_HLSL, "
                       "CS_SHADER_GLSL or CS_SHADER_WGSL",
                       (int)language);
    prewarm_job job = {language};
    cs_compile_fork_enter();
    cs_status status = cs_compiler_thread_run(run_prewarm_job, &job);
    cs_compile_fork_leave();
    return status;
}

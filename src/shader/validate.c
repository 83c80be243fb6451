/* validate.c - full SPIR-V validation (SPIRV-Tools) before a module reaches
 * the driver: drivers are not required to survive invalid SPIR-V, and
 * lavapipe crashes on a truncated module that reflection alone accepts.
 * The validator recurses over what it checks, and the module may come from
 * anyone, so it runs on a compiler thread's large stack, as the compilers
 * do (compiler_thread.c).
 *
 * Validation costs 0.1-0.5 ms, a good part of a Compute() in a fresh
 * process, so a module is validated once per process: modules found valid
 * (and those cs_shader_compile produced and validated, from its caches
 * too) are remembered, whole, and found again by hash and comparison. */
#include "../common/cache.h"
#include "shader_internal.h"

#include <spirv-tools/libspirv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    KNOWN_MAX = 512,                 /* modules remembered valid */
    KNOWN_MAX_WORDS = (1 << 20) / 4, /* larger ones are not remembered */
    KNOWN_MAX_BYTES = 16 << 20,      /* in all */
};

typedef struct known_module {
    uint64_t hash;
    size_t word_count;
    uint32_t *words; /* a copy; NULL for an empty slot */
} known_module;

static known_module known[KNOWN_MAX];
static size_t known_next, known_bytes;
static cs_mutex known_lock;
static cs_once known_once = CS_ONCE_INIT;
static bool known_ready;

static void init_known(void)
{
    known_ready = cs_mutex_init(&known_lock);
}

/* Lock held. */
static bool find_known(uint64_t hash, const uint32_t *words, size_t count)
{
    for (size_t i = 0; i < KNOWN_MAX; i++)
        if (known[i].words && known[i].hash == hash &&
            known[i].word_count == count &&
            memcmp(known[i].words, words, count * 4) == 0)
            return true;
    return false;
}

/* Whether words may be in the set (the set works, the module is neither
 * empty nor too large), with their hash: computed once per module. */
static bool rememberable(const uint32_t *words, size_t count, uint64_t *hash)
{
    cs_call_once(&known_once, init_known);
    if (!known_ready || count == 0 || count > KNOWN_MAX_WORDS)
        return false;
    *hash = cs_hash64(words, count * 4, 11);
    return true;
}

static bool is_known_valid(uint64_t hash, const uint32_t *words, size_t count)
{
    cs_mutex_lock(&known_lock);
    bool found = find_known(hash, words, count);
    cs_mutex_unlock(&known_lock);
    return found;
}

static void remember(uint64_t hash, const uint32_t *words, size_t count)
{
    cs_mutex_lock(&known_lock);
    if (!find_known(hash, words, count)) {
        /* round robin, and past the byte budget the next ones go too */
        uint32_t *copy = malloc(count * 4);
        while (copy && known_bytes + count * 4 > KNOWN_MAX_BYTES &&
               known_bytes > 0) {
            known_module *old = &known[known_next];
            known_bytes -= old->word_count * 4;
            free(old->words);
            *old = (known_module){0};
            known_next = (known_next + 1) % KNOWN_MAX;
        }
        if (copy) {
            known_module *slot = &known[known_next];
            known_bytes -= slot->word_count * 4;
            free(slot->words);
            memcpy(copy, words, count * 4);
            *slot = (known_module){hash, count, copy};
            known_bytes += count * 4;
            known_next = (known_next + 1) % KNOWN_MAX;
        }
    }
    cs_mutex_unlock(&known_lock);
}

void cs_spirv_remember_valid(const uint32_t *words, size_t count)
{
    uint64_t hash;
    if (rememberable(words, count, &hash))
        remember(hash, words, count);
}

void cs_spirv_known_valid_stats(size_t *out_count, size_t *out_bytes)
{
    cs_call_once(&known_once, init_known);
    size_t count = 0;
    if (known_ready) {
        cs_mutex_lock(&known_lock);
        for (size_t i = 0; i < KNOWN_MAX; i++)
            count += known[i].words != NULL;
        *out_bytes = known_bytes;
        cs_mutex_unlock(&known_lock);
    } else {
        *out_bytes = 0;
    }
    *out_count = count;
}

void cs_spirv_forget_valid(void)
{
    cs_call_once(&known_once, init_known);
    if (!known_ready)
        return;
    cs_mutex_lock(&known_lock);
    for (size_t i = 0; i < KNOWN_MAX; i++) {
        free(known[i].words);
        known[i] = (known_module){0};
    }
    known_bytes = 0;
    known_next = 0;
    cs_mutex_unlock(&known_lock);
}

/* after the libraries' headers: their functions may be pointers */
#include "shader_libraries.h"

/* Vulkan 1.2 takes SPIR-V up to 1.5, Vulkan 1.3 up to 1.6. */
static spv_target_env environment_for(uint32_t version)
{
    return version > 0x00010500u ? SPV_ENV_VULKAN_1_3 : SPV_ENV_VULKAN_1_2;
}

typedef struct validate_job {
    const uint32_t *words;
    size_t word_count;
} validate_job;

static cs_status validate_here(void *argument)
{
    const validate_job *job = argument;
    const uint32_t *words = job->words;
    size_t word_count = job->word_count;
    cs_spirv module;
    cs_status status = cs_spirv_open(words, word_count, &module);
    if (status != CS_OK)
        return status;
    /* a context holds the grammar tables: made once per compiler thread
     * and environment (kept threads: they live as long as the process) */
    static _Thread_local spv_context contexts[2];
    spv_target_env environment = environment_for(module.version);
    int which = environment == SPV_ENV_VULKAN_1_3;
    if (!contexts[which])
        contexts[which] = spvContextCreate(environment);
    spv_context context = contexts[which];
    spv_validator_options options = spvValidatorOptionsCreate();
    if (!context || !options) {
        spvValidatorOptionsDestroy(options);
        return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                       "out of host memory validating SPIR-V");
    }
    /* HLSL structured buffers are rewritten to scalar layout, which the
     * device enables (scalarBlockLayout) */
    spvValidatorOptionsSetScalarBlockLayout(options, true);
    spv_const_binary_t binary = {words, word_count};
    spv_diagnostic diagnostic = NULL;
    spv_result_t result =
        spvValidateWithOptions(context, options, &binary, &diagnostic);
    if (result != SPV_SUCCESS) {
        status = cs_fail(CS_ERROR_INVALID_SHADER, "invalid SPIR-V: %s",
                         diagnostic && diagnostic->error
                             ? diagnostic->error
                             : "rejected by the validator");
    }
    spvDiagnosticDestroy(diagnostic);
    spvValidatorOptionsDestroy(options);
    return status;
}

cs_status cs_spirv_validate(const uint32_t *words, size_t word_count)
{
    /* without SPIRV-Tools (a Windows build without its DLL) the module
     * gets the structural checks of reflection only, as the original
     * gives it to the driver (docs/decisions.md) */
    if (cs_spirv_tools_load() != CS_OK)
        return CS_OK;
    uint64_t hash = 0;
    bool known_kind = rememberable(words, word_count, &hash);
    if (known_kind && is_known_valid(hash, words, word_count))
        return CS_OK;
    validate_job job = {words, word_count};
    cs_status status = cs_compiler_thread_run(validate_here, &job);
    if (status == CS_OK && known_kind)
        remember(hash, words, word_count);
    return status;
}

cs_status cs_shader_validate(const void *spirv, size_t size)
{
    cs_spirv module;
    uint32_t *copy = NULL;
    cs_status status = cs_spirv_open_bytes(spirv, size, &module, &copy);
    if (status == CS_OK)
        status = cs_spirv_validate(module.words, module.word_count);
    free(copy);
    return status;
}

/* validate.c - full SPIR-V validation (SPIRV-Tools) before a module reaches
 * the driver: drivers are not required to survive invalid SPIR-V, and
 * lavapipe crashes on a truncated module that reflection alone accepts.
 * The validator recurses over what it checks, and the module may come from
 * anyone, so it runs on a compiler thread's large stack, as the compilers
 * do (compiler_thread.c). */
#include "shader_internal.h"

#include <spirv-tools/libspirv.h>
#include <stdio.h>

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
    spv_context context = spvContextCreate(environment_for(module.version));
    spv_validator_options options = spvValidatorOptionsCreate();
    if (!context || !options) {
        spvValidatorOptionsDestroy(options);
        spvContextDestroy(context);
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
    spvContextDestroy(context);
    return status;
}

cs_status cs_spirv_validate(const uint32_t *words, size_t word_count)
{
    /* without SPIRV-Tools (a Windows build without its DLL) the module
     * gets the structural checks of reflection only, as the original
     * gives it to the driver (docs/decisions.md) */
    if (cs_spirv_tools_load() != CS_OK)
        return CS_OK;
    validate_job job = {words, word_count};
    return cs_compiler_thread_run(validate_here, &job);
}

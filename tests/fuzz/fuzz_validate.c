/* fuzz_validate.c - cs_spirv_validate (header checks, then SPIRV-Tools'
 * validator) on an exactly sized copy of arbitrary words. Only the
 * library's own code is instrumented for coverage; SPIRV-Tools is the
 * distribution's static library. */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t word_count = 0;
    uint32_t *words = fuzz_copy_words(data, size, &word_count);
    cs_status status = cs_spirv_validate(words, word_count);
    FUZZ_CHECK(status == CS_OK || status == CS_ERROR_INVALID_SHADER ||
               status == CS_ERROR_OUT_OF_HOST_MEMORY);
    if (status != CS_OK)
        FUZZ_CHECK(cs_last_error()[0] != '\0');
    free(words);
    return 0;
}

/* fuzz_source_limits.c - the source checks that run before every compile
 * (source_limits.c) on arbitrary text (not nul-terminated, NULs allowed):
 * they end, never overflow (the fuzzer's own stack is 8 MiB), and either
 * accept or refuse with CS_ERROR_SHADER_COMPILE naming the limit. When the
 * nesting check accepts, the text's brackets really nest no deeper than
 * CS_SHADER_MAX_NESTING outside comments and strings (a simple recount). */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

static void check_refusal(cs_status status)
{
    if (status == CS_OK || status == CS_ERROR_OUT_OF_HOST_MEMORY)
        return;
    FUZZ_CHECK(status == CS_ERROR_SHADER_COMPILE);
    FUZZ_CHECK(strstr(cs_last_error(), "limit CS_SHADER_MAX_") != NULL);
}

/* Brackets at most this deep where no comment, string or directive can
 * hide them (texts without / " ' # \ only). */
static bool nests_within_limit(const char *text, size_t size)
{
    size_t depth = 0;
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        if (c == '/' || c == '"' || c == '\'' || c == '#' || c == '\\')
            return true; /* not recounted */
        if (c == '(' || c == '[' || c == '{') {
            if (++depth > CS_SHADER_MAX_NESTING)
                return false;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    check_refusal(cs_shader_check_macros(text, size, "fuzz"));
    cs_status status = cs_shader_check_nesting(text, size, "fuzz");
    check_refusal(status);
    if (status == CS_OK)
        FUZZ_CHECK(nests_within_limit(text, size));
    return 0;
}

/* fuzz_wgsl.c - the WGSL front end (lexer, parser, checker, lowering to
 * GLSL) on arbitrary text. It must not crash, hang or grow without bound,
 * whatever the nesting; it either gives terminated GLSL that declares
 * `void main()` or an error "<file>:<line>:<col>: error: ..." followed by
 * the source line and a caret. */
#include "fuzz_common.h"

#include "shader/wgsl/wgsl_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *glsl = NULL, *error = NULL;
    size_t glsl_size = 0;
    bool out_of_memory = false;
    /* odd sizes also set an override "n" (an error when there is none) */
    static const cs_shader_constant constants[] = {{"n", 4.0}};
    wgsl_options options = {"main", "fuzz", constants, (uint32_t)(size & 1)};
    bool ok = cs_wgsl_to_glsl((const char *)data, size, &options, &glsl,
                              &glsl_size, &error, &out_of_memory);
    if (ok) {
        FUZZ_CHECK(glsl != NULL && error == NULL);
        FUZZ_CHECK(glsl[glsl_size] == '\0');
        FUZZ_CHECK(strstr(glsl, "void main()") != NULL);
        free(glsl);
        return 0;
    }
    FUZZ_CHECK(glsl == NULL);
    if (out_of_memory)
        return 0;
    FUZZ_CHECK(error != NULL);
    FUZZ_CHECK(strncmp(error, "fuzz:", 5) == 0);
    FUZZ_CHECK(strstr(error, ": error: ") != NULL);
    FUZZ_CHECK(strchr(error, '^') != NULL);
    free(error);
    return 0;
}

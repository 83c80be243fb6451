/* fuzz_hlsl_compat.c - the HLSL source rewriter on arbitrary text (not
 * nul-terminated, NULs allowed). The output must be terminated, keep every
 * newline (diagnostics keep their line numbers), only add bytes, and give
 * back the input once the suffixes and unbounded array sizes it added are
 * removed (unless it rewrote a GetDimensions call or applied a glslang
 * workaround). */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

static size_t count_newlines(const char *text, size_t size)
{
    size_t newlines = 0;
    for (size_t i = 0; i < size; i++)
        newlines += text[i] == '\n';
    return newlines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *source = (const char *)data;
    char *out = NULL;
    size_t out_size = 0;
    cs_status status =
        cs_hlsl_make_glslang_compatible(source, size, &out, &out_size);
    if (status != CS_OK) {
        FUZZ_CHECK(status == CS_ERROR_OUT_OF_HOST_MEMORY);
        return 0;
    }
    FUZZ_CHECK(out != NULL);
    FUZZ_CHECK(out[out_size] == '\0');
    FUZZ_CHECK(count_newlines(out, out_size) == count_newlines(source, size));

    /* every added byte is a suffix right after a renamed identifier, or
     * the unbounded array size right after a `[`; the byte-address
     * GetDimensions rewrite copies an argument, so it is left out */
    /* nor are the glslang workarounds (hlsl_workarounds.c), which copy an
     * index or a type: inputs that mention RW or ConstantBuffer */
    static const char *const copying[] = {"GetDimensions", "RW",
                                          "ConstantBuffer"};
    bool copies = false;
    for (size_t w = 0; w < 3 && !copies; w++)
        for (size_t i = 0; i + strlen(copying[w]) <= size && !copies; i++)
            copies = memcmp(source + i, copying[w], strlen(copying[w])) == 0;
    FUZZ_CHECK(copies || out_size >= size);
    const size_t suffix = strlen(CS_HLSL_RENAME_SUFFIX);
    const size_t unbounded = strlen(CS_HLSL_UNBOUNDED_ARRAY_SIZE_TEXT);
    size_t in = 0, at = 0;
    while (at < out_size && !copies) {
        if (in < size && out[at] == source[in]) {
            at++;
            in++;
            continue;
        }
        if (at > 0 && out[at - 1] == '[' && out_size - at >= unbounded &&
            memcmp(out + at, CS_HLSL_UNBOUNDED_ARRAY_SIZE_TEXT, unbounded) ==
                0) {
            at += unbounded;
            continue;
        }
        FUZZ_CHECK(out_size - at >= suffix &&
                   memcmp(out + at, CS_HLSL_RENAME_SUFFIX, suffix) == 0);
        at += suffix;
    }
    FUZZ_CHECK(copies || in == size);
    free(out);
    return 0;
}

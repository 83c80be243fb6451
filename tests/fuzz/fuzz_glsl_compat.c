/* fuzz_glsl_compat.c - the rewriter of GLSL in the original's dialect
 * (cs_glsl_wrap_loose_uniforms) and the #version check on arbitrary text
 * (not nul-terminated, NULs allowed). The output must be terminated, keep
 * every newline, only add bytes, and equal the input once the inserted
 * block openings (" compushady_uniform_N {"), closings (" };") and image
 * prefixes ('u'/'i' before "image") are removed from both. */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

static size_t count_newlines(const char *text, size_t size)
{
    size_t newlines = 0;
    for (size_t i = 0; i < size; i++)
        newlines += text[i] == '\n';
    return newlines;
}

/* Length of an inserted " compushady_uniform_<digits> {" at text, or 0. */
static size_t opening_length(const char *text, size_t size)
{
    static const char prefix[] = " compushady_uniform_";
    size_t length = sizeof prefix - 1;
    if (size < length || memcmp(text, prefix, length) != 0)
        return 0;
    while (length < size && text[length] >= '0' && text[length] <= '9')
        length++;
    if (size - length < 2 || memcmp(text + length, " {", 2) != 0)
        return 0;
    return length + 2;
}

/* text without the rewriter's insertions (" compushady_uniform_N {",
 * " };", the 'u'/'i' of "uimage"/"iimage"), in place; its new size */
static size_t normalize(char *text, size_t size)
{
    size_t out = 0;
    for (size_t at = 0; at < size;) {
        size_t opening = opening_length(text + at, size - at);
        if (opening) {
            at += opening;
        } else if (size - at >= 3 && memcmp(text + at, " };", 3) == 0) {
            at += 3;
        } else if (size - at >= 6 && (text[at] == 'u' || text[at] == 'i') &&
                   memcmp(text + at + 1, "image", 5) == 0) {
            at += 1;
        } else {
            text[out++] = text[at++];
        }
    }
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *source = (const char *)data;
    (void)cs_glsl_has_version_directive(source, size);
    char *out = NULL;
    size_t out_size = 0;
    cs_status status =
        cs_glsl_wrap_loose_uniforms(source, size, &out, &out_size);
    if (status != CS_OK) {
        FUZZ_CHECK(status == CS_ERROR_OUT_OF_HOST_MEMORY);
        return 0;
    }
    FUZZ_CHECK(out != NULL);
    FUZZ_CHECK(out[out_size] == '\0');
    FUZZ_CHECK(out_size >= size);
    FUZZ_CHECK(count_newlines(out, out_size) == count_newlines(source, size));
    char *copy = malloc(size ? size : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, source, size);
    size_t copy_size = normalize(copy, size);
    size_t normal_size = normalize(out, out_size);
    FUZZ_CHECK(normal_size == copy_size && memcmp(out, copy, copy_size) == 0);
    free(copy);
    free(out);
    return 0;
}

/* fuzz_spirv_bindings.c - the SPIR-V passes of the original's GLSL and of
 * cross-compiling on a copy of arbitrary words that cs_spirv_open accepts:
 * cs_spirv_assign_original_glsl_bindings (rewrites Binding literals in
 * place: every instruction keeps its opcode and word count) and
 * cs_spirv_decorate_image_access (adds OpDecorate instructions only: the
 * output opens, and dropping the added decorations gives back the input). */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t word_count = 0;
    uint32_t *words = fuzz_copy_words(data, size, &word_count);
    cs_spirv module;
    if (cs_spirv_open(words, word_count, &module) != CS_OK) {
        free(words);
        return 0;
    }
    uint32_t *decorated = NULL;
    size_t decorated_count = 0;
    cs_status status = cs_spirv_decorate_image_access(
        words, word_count, &decorated, &decorated_count);
    if (status == CS_OK) {
        FUZZ_CHECK(decorated_count >= word_count);
        FUZZ_CHECK((decorated_count - word_count) % 3 == 0);
        FUZZ_CHECK(cs_spirv_open(decorated, decorated_count, &module) == CS_OK);
        /* the input, with 3-word NonWritable/NonReadable decorations
         * inserted at one place */
        size_t added = decorated_count - word_count;
        size_t first = CS_SPIRV_HEADER_WORDS; /* an instruction's start */
        while (first < word_count &&
               memcmp(decorated + first, words + first,
                      cs_spirv_word_count(words[first]) * sizeof *words) == 0)
            first += cs_spirv_word_count(words[first]);
        FUZZ_CHECK(memcmp(decorated, words, first * sizeof *words) == 0);
        for (size_t at = first; at < first + added; at += 3)
            FUZZ_CHECK(decorated[at] == ((3u << 16) | 71u) &&
                       (decorated[at + 2] == 24 || decorated[at + 2] == 25));
        FUZZ_CHECK(memcmp(decorated + first + added, words + first,
                          (word_count - first) * sizeof *words) == 0);
        free(decorated);
    } else {
        FUZZ_CHECK(cs_last_error()[0] != '\0');
    }
    uint32_t *original = fuzz_copy_words(data, size, &word_count);
    status = cs_spirv_assign_original_glsl_bindings(words, word_count);
    if (status == CS_OK) {
        FUZZ_CHECK(memcmp(words, original,
                          CS_SPIRV_HEADER_WORDS * sizeof *words) == 0);
        for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
             at += cs_spirv_word_count(words[at]))
            FUZZ_CHECK(words[at] == original[at]);
    } else {
        FUZZ_CHECK(cs_last_error()[0] != '\0');
    }
    free(original);
    free(words);
    return 0;
}

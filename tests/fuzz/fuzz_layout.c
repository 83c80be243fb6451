/* fuzz_layout.c - cs_spirv_apply_d3d_buffer_layout (the structured buffer
 * and cbuffer layout pass) on a copy of arbitrary words that cs_spirv_open
 * accepts. The pass rewrites decoration literals in place, so on success
 * every instruction keeps its opcode and word count. keep_cbuffer_offsets
 * comes from the low bit of the header's generator word, which nothing
 * else reads. */
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
    uint32_t *original = fuzz_copy_words(data, size, &word_count);
    bool keep_cbuffer_offsets = (words[2] & 1u) != 0;
    cs_status status = cs_spirv_apply_d3d_buffer_layout(words, word_count,
                                                        keep_cbuffer_offsets);
    if (status == CS_OK) {
        FUZZ_CHECK(cs_spirv_open(words, word_count, &module) == CS_OK);
        FUZZ_CHECK(memcmp(words, original,
                          CS_SPIRV_HEADER_WORDS * sizeof *words) == 0);
        for (size_t at = CS_SPIRV_HEADER_WORDS; at < word_count;
             at += cs_spirv_word_count(words[at]))
            FUZZ_CHECK(words[at] == original[at]);
        /* idempotent: a second pass over its own output changes nothing */
        uint32_t *once = fuzz_copy_words((const uint8_t *)words, word_count * 4,
                                         &word_count);
        FUZZ_CHECK(cs_spirv_apply_d3d_buffer_layout(
                       words, word_count, keep_cbuffer_offsets) == CS_OK);
        FUZZ_CHECK(memcmp(words, once, word_count * 4) == 0);
        free(once);
    } else {
        FUZZ_CHECK(cs_last_error()[0] != '\0');
    }
    free(original);
    free(words);
    return 0;
}

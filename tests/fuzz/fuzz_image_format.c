/* fuzz_image_format.c - cs_spirv_patch_image_formats with bindings and
 * formats taken from the input.
 *
 * Input: one byte n (low 3 bits: up to 7 entries), then n entries of 3
 * bytes (binding, 16-bit little endian; SPIR-V ImageFormat, the byte mod
 * 48 so that out-of-range formats are tried too), then the module's words
 * (a trailing partial word is dropped). */
#include "fuzz_common.h"

#include "shader/shader_internal.h"

enum { MAX_ENTRIES = 7, ENTRY_BYTES = 3 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t count = data[0] & MAX_ENTRIES;
    if (size < 1 + count * ENTRY_BYTES)
        return 0;
    uint32_t bindings[MAX_ENTRIES], formats[MAX_ENTRIES];
    for (size_t i = 0; i < count; i++) {
        const uint8_t *entry = data + 1 + i * ENTRY_BYTES;
        bindings[i] = (uint32_t)entry[0] | (uint32_t)entry[1] << 8;
        formats[i] = entry[2] % 48u;
    }
    size_t header = 1 + count * ENTRY_BYTES;
    size_t word_count = 0;
    uint32_t *words =
        fuzz_copy_words(data + header, size - header, &word_count);

    uint32_t *patched = NULL;
    size_t patched_count = 0;
    cs_status status = cs_spirv_patch_image_formats(
        words, word_count, count ? bindings : NULL, count ? formats : NULL,
        count, &patched, &patched_count);
    if (status == CS_OK) {
        FUZZ_CHECK(patched != NULL && patched != words);
        /* at most three OpCapability instructions (two words) added */
        FUZZ_CHECK(patched_count >= word_count &&
                   patched_count <= word_count + 6);
        cs_spirv module;
        FUZZ_CHECK(cs_spirv_open(patched, patched_count, &module) == CS_OK);
        /* patching its own output with the same formats adds nothing */
        uint32_t *twice = NULL;
        size_t twice_count = 0;
        FUZZ_CHECK(cs_spirv_patch_image_formats(patched, patched_count,
                                                count ? bindings : NULL,
                                                count ? formats : NULL, count,
                                                &twice, &twice_count) == CS_OK);
        FUZZ_CHECK(twice_count == patched_count);
        free(twice);
        free(patched);
    } else {
        FUZZ_CHECK(cs_last_error()[0] != '\0');
    }
    free(words);
    return 0;
}

/* spirv_module.c - checks a SPIR-V module's header and instruction stream
 * once, so the passes that walk it only check operands. */
#include "shader_internal.h"

#include <stdlib.h>
#include <string.h>

cs_status cs_spirv_open(const uint32_t *words, size_t word_count,
                        cs_spirv *out_module)
{
    if (words == NULL)
        return cs_fail(CS_ERROR_INVALID_SHADER, "SPIR-V blob is NULL");
    if (word_count < CS_SPIRV_HEADER_WORDS)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "SPIR-V blob is %zu words, shorter than the %d-word "
                       "header",
                       word_count, CS_SPIRV_HEADER_WORDS);
    if (words[0] != CS_SPIRV_MAGIC)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "bad magic number 0x%08x, expected 0x%08x%s", words[0],
                       CS_SPIRV_MAGIC,
                       words[0] == 0x03022307u ? " (module is big-endian)"
                                               : "");
    uint32_t version = words[1];
    if ((version & 0xff0000ffu) != 0 || version < 0x00010000u ||
        version > 0x0001ff00u)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "bad SPIR-V version word 0x%08x, expected 1.x", version);
    uint32_t id_bound = words[3];
    if (id_bound == 0 || id_bound > CS_SPIRV_MAX_ID_BOUND)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "SPIR-V id bound %u is out of range (1..%u)", id_bound,
                       (unsigned)CS_SPIRV_MAX_ID_BOUND);
    size_t at = CS_SPIRV_HEADER_WORDS;
    while (at < word_count) {
        uint32_t count = cs_spirv_word_count(words[at]);
        if (count == 0)
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "SPIR-V instruction at word %zu has word count 0",
                           at);
        if (count > word_count - at)
            return cs_fail(CS_ERROR_INVALID_SHADER,
                           "SPIR-V instruction at word %zu has word count %u, "
                           "past the end of the %zu-word module",
                           at, count, word_count);
        at += count;
    }
    out_module->words = words;
    out_module->word_count = word_count;
    out_module->version = version;
    out_module->id_bound = id_bound;
    return CS_OK;
}

cs_status cs_spirv_open_bytes(const void *bytes, size_t size,
                              cs_spirv *out_module, uint32_t **out_copy)
{
    *out_copy = NULL;
    if (bytes == NULL)
        return cs_fail(CS_ERROR_INVALID_SHADER, "SPIR-V blob is NULL");
    if (size % 4 != 0)
        return cs_fail(CS_ERROR_INVALID_SHADER,
                       "SPIR-V blob is %zu bytes, not a multiple of 4", size);
    const uint32_t *words = bytes;
    uint32_t *copy = NULL;
    if ((uintptr_t)bytes % _Alignof(uint32_t) != 0) {
        copy = malloc(size ? size : 1);
        if (copy == NULL)
            return cs_fail(CS_ERROR_OUT_OF_HOST_MEMORY,
                           "cannot copy a %zu-byte SPIR-V blob", size);
        memcpy(copy, bytes, size);
        words = copy;
    }
    cs_status status = cs_spirv_open(words, size / 4, out_module);
    if (status != CS_OK) {
        free(copy);
        return status;
    }
    *out_copy = copy;
    return CS_OK;
}

bool cs_spirv_read_string(const uint32_t *inst, uint32_t first, char *out,
                          size_t capacity)
{
    uint32_t count = cs_spirv_word_count(inst[0]);
    size_t written = 0;
    for (uint32_t w = first; w < count; w++) {
        for (int b = 0; b < 4; b++) {
            char c = (char)((inst[w] >> (8 * b)) & 0xffu);
            if (c == '\0') {
                if (capacity > 0)
                    out[written] = '\0';
                return true;
            }
            if (written + 1 < capacity)
                out[written++] = c;
        }
    }
    if (capacity > 0)
        out[written] = '\0';
    return false;
}

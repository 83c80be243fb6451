/* fuzz_common.h - helpers shared by the libFuzzer targets of tests/fuzz. */
#ifndef CS_FUZZ_COMMON_H
#define CS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of the first size / 4 * 4 bytes of data as words, sized
 * exactly so that AddressSanitizer reports any read past the module (at
 * least one byte is allocated so that an empty module is not NULL). */
static inline uint32_t *fuzz_copy_words(const uint8_t *data, size_t size,
                                        size_t *out_word_count)
{
    size_t word_count = size / 4;
    uint32_t *words = malloc(word_count ? word_count * 4 : 1);
    if (words == NULL)
        abort();
    if (word_count)
        memcpy(words, data, word_count * 4);
    *out_word_count = word_count;
    return words;
}

/* Aborts (a finding) with a message when an invariant does not hold. */
#define FUZZ_CHECK(condition)                                                  \
    do {                                                                       \
        if (!(condition)) {                                                    \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #condition);                                     \
            abort();                                                           \
        }                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
